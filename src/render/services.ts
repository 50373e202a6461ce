// The node's client Service (its cluster or load-balancer IP is the advertised address) and headless
// Service (stable pod DNS, publishNotReadyAddresses). Pure.
import { resolveSpec } from '../api/defaults.js';
import { selectorLabels } from '../api/labels.js';
import { clientServiceName, headlessServiceName } from '../api/names.js';
import type { AnyLogMaster } from '../api/types.js';
import { childMetadata } from './common.js';
import type { Service, ServicePort } from './k8s-types.js';

export interface ServiceInputs {
  readonly operatorVersion: string;
}

export const TCP_PORT_NAME = 'tcp';
export const REST_PORT_NAME = 'rest';

function nodePorts(cr: AnyLogMaster): ServicePort[] {
  const { network } = resolveSpec(cr.spec);
  return [
    { name: TCP_PORT_NAME, port: network.tcpPort, targetPort: TCP_PORT_NAME, protocol: 'TCP' },
    { name: REST_PORT_NAME, port: network.restPort, targetPort: REST_PORT_NAME, protocol: 'TCP' },
  ];
}

/** Client Service `<name>`: type, annotations and source ranges from `spec.service`. */
export function renderClientService(cr: AnyLogMaster, inputs: ServiceInputs): Service {
  const { service } = resolveSpec(cr.spec);
  const spec: Service['spec'] = {
    type: service.type,
    selector: selectorLabels(cr),
    ports: nodePorts(cr),
  };
  if (service.type === 'LoadBalancer' && service.loadBalancerSourceRanges.length > 0) {
    spec.loadBalancerSourceRanges = [...service.loadBalancerSourceRanges];
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: childMetadata(cr, {
      name: clientServiceName(cr),
      operatorVersion: inputs.operatorVersion,
      annotations: service.annotations,
    }),
    spec,
  };
}

/** Headless Service `<name>-headless`, the StatefulSet's serviceName. */
export function renderHeadlessService(cr: AnyLogMaster, inputs: ServiceInputs): Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: childMetadata(cr, { name: headlessServiceName(cr), operatorVersion: inputs.operatorVersion }),
    spec: {
      type: 'ClusterIP',
      clusterIP: 'None',
      publishNotReadyAddresses: true,
      selector: selectorLabels(cr),
      ports: nodePorts(cr),
    },
  };
}
