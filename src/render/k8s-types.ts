// Plain-data shapes of the Kubernetes objects the renderers produce (the subset of core/v1 and apps/v1
// fields we set). client-node's model classes are not used for object literals: rendered objects are
// JSON data for server-side apply, not class instances.

export type Labels = Record<string, string>;

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller: boolean;
  blockOwnerDeletion: boolean;
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Labels;
  annotations?: Labels;
  ownerReferences?: OwnerReference[];
}

/** Every rendered object. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
}

export interface ServicePort {
  name: string;
  port: number;
  targetPort: string | number;
  protocol: 'TCP';
}

export interface Service extends KubeObject {
  kind: 'Service';
  spec: {
    type: 'ClusterIP' | 'NodePort' | 'LoadBalancer';
    clusterIP?: 'None';
    publishNotReadyAddresses?: boolean;
    selector: Labels;
    ports: ServicePort[];
    loadBalancerSourceRanges?: string[];
  };
}

export interface ConfigMap extends KubeObject {
  kind: 'ConfigMap';
  data: Record<string, string>;
}

export interface Secret extends KubeObject {
  kind: 'Secret';
  type?: string;
  data?: Record<string, string>;
  stringData?: Record<string, string>;
}

export interface EnvVar {
  name: string;
  value?: string;
  valueFrom?: {
    fieldRef?: { fieldPath: string };
    secretKeyRef?: { name: string; key: string };
  };
}

export interface Probe {
  tcpSocket?: { port: string | number };
  httpGet?: { path: string; port: string | number; httpHeaders?: { name: string; value: string }[] };
  periodSeconds?: number;
  failureThreshold?: number;
}

export interface ResourceRequirements {
  requests?: Record<string, string>;
  limits?: Record<string, string>;
}

export interface SecurityContext {
  allowPrivilegeEscalation: boolean;
  readOnlyRootFilesystem: boolean;
  runAsNonRoot: boolean;
  capabilities: { drop: string[] };
}

export interface PodSecurityContext {
  runAsNonRoot: boolean;
  runAsUser: number;
  runAsGroup: number;
  fsGroup: number;
  seccompProfile: { type: 'RuntimeDefault' };
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  subPath?: string;
  readOnly?: boolean;
}

export interface Container {
  name: string;
  image: string;
  imagePullPolicy: string;
  command?: string[];
  ports: { name: string; containerPort: number; protocol: 'TCP' }[];
  envFrom?: { configMapRef: { name: string } }[];
  env: EnvVar[];
  resources: ResourceRequirements;
  startupProbe: Probe;
  readinessProbe: Probe;
  livenessProbe: Probe;
  securityContext: SecurityContext;
  volumeMounts: VolumeMount[];
}

export interface KeyToPath {
  key: string;
  path: string;
}

export interface Volume {
  name: string;
  configMap?: { name: string; items: KeyToPath[]; defaultMode: number };
  secret?: { secretName: string; items: KeyToPath[]; defaultMode: number };
  emptyDir?: Record<string, never>;
}

export interface PodSpec {
  enableServiceLinks: boolean;
  automountServiceAccountToken: boolean;
  terminationGracePeriodSeconds: number;
  securityContext: PodSecurityContext;
  containers: Container[];
  volumes: Volume[];
  imagePullSecrets?: { name: string }[];
  nodeSelector?: Labels;
  tolerations?: Record<string, unknown>[];
  affinity?: Record<string, unknown>;
  priorityClassName?: string;
}

export interface PersistentVolumeClaimTemplate {
  apiVersion: 'v1';
  kind: 'PersistentVolumeClaim';
  metadata: { name: string; labels: Labels };
  spec: {
    accessModes: ['ReadWriteOnce'];
    resources: { requests: { storage: string } };
    storageClassName?: string;
  };
}

export interface StatefulSet extends KubeObject {
  kind: 'StatefulSet';
  spec: {
    replicas: 1;
    serviceName: string;
    podManagementPolicy: 'OrderedReady';
    updateStrategy: { type: 'RollingUpdate' };
    persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain' | 'Delete'; whenScaled: 'Retain' };
    selector: { matchLabels: Labels };
    template: { metadata: { labels: Labels; annotations?: Labels }; spec: PodSpec };
    volumeClaimTemplates: PersistentVolumeClaimTemplate[];
  };
}

/** The backup CronJob and restore Job; their pod template is kept loose (only renderers build it). */
export interface BatchObject extends KubeObject {
  kind: 'CronJob' | 'Job';
  spec: Record<string, unknown>;
}

export interface LabelSelector {
  matchLabels?: Labels;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

export interface NetworkPolicyPeer {
  namespaceSelector?: LabelSelector;
  podSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface NetworkPolicyIngressRule {
  ports: { port: string | number; protocol: 'TCP' }[];
  from: NetworkPolicyPeer[];
}

export interface NetworkPolicy extends KubeObject {
  kind: 'NetworkPolicy';
  spec: {
    podSelector: LabelSelector;
    policyTypes: ['Ingress'];
    ingress: NetworkPolicyIngressRule[];
  };
}
