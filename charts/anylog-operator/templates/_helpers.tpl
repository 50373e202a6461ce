{{/* Names and labels shared by every template. */}}
{{- define "anylog-operator.name" -}}
anylog-operator
{{- end -}}

{{- define "anylog-operator.fullname" -}}
{{- if contains "anylog-operator" .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-anylog-operator" .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "anylog-operator.selectorLabels" -}}
app.kubernetes.io/name: {{ include "anylog-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: operator
{{- end -}}

{{/* The selector labels as k=v,k=v (OPERATOR_POD_LABELS), in key order. */}}
{{- define "anylog-operator.selectorLabelList" -}}
{{- $pairs := list -}}
{{- range $k, $v := include "anylog-operator.selectorLabels" . | fromYaml -}}
{{- $pairs = append $pairs (printf "%s=%s" $k $v) -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end -}}

{{- define "anylog-operator.labels" -}}
{{ include "anylog-operator.selectorLabels" . }}
app.kubernetes.io/part-of: anylog
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "anylog-operator.image" -}}
{{- printf "%s:%s" .Values.image.repository (default .Chart.AppVersion .Values.image.tag) -}}
{{- end -}}

{{/* What the operator may do with the resources it watches; bound cluster-wide or per watched namespace. */}}
{{- define "anylog-operator.rules" -}}
- apiGroups: ["anylog.co"]
  resources: ["anylogmasters"]
  verbs: ["get", "list", "watch", "patch"]
- apiGroups: ["anylog.co"]
  resources: ["anylogmasters/status"]
  verbs: ["get", "patch", "update"]
- apiGroups: ["anylog.co"]
  resources: ["anylogmasters/finalizers"]
  verbs: ["update"]
- apiGroups: ["apps"]
  resources: ["statefulsets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: [""]
  resources: ["services", "configmaps", "secrets"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["networking.k8s.io"]
  resources: ["networkpolicies"]
  verbs: ["get", "list", "watch", "create", "patch", "delete"]
- apiGroups: [""]
  resources: ["pods", "persistentvolumeclaims"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["batch"]
  resources: ["cronjobs", "jobs"]
  verbs: ["get", "list", "watch", "create", "patch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end -}}

{{/* Affinity of the operator pods: the user's, plus preferred anti-affinity between the replicas unless
the user's affinity brings its own podAntiAffinity. */}}
{{- define "anylog-operator.affinity" -}}
{{- $affinity := deepCopy .Values.affinity -}}
{{- if and .Values.podAntiAffinity.enabled (not (hasKey $affinity "podAntiAffinity")) -}}
{{- $term := dict "topologyKey" .Values.podAntiAffinity.topologyKey "labelSelector" (dict "matchLabels" (include "anylog-operator.selectorLabels" . | fromYaml)) -}}
{{- $preferred := list (dict "weight" (int .Values.podAntiAffinity.weight) "podAffinityTerm" $term) -}}
{{- $_ := set $affinity "podAntiAffinity" (dict "preferredDuringSchedulingIgnoredDuringExecution" $preferred) -}}
{{- end -}}
{{- with $affinity }}{{ toYaml . }}{{ end -}}
{{- end -}}

{{/* topologySpreadConstraints with the operator pods' selector filled in where an entry has none. */}}
{{- define "anylog-operator.topologySpread" -}}
{{- $out := list -}}
{{- range .Values.topologySpreadConstraints -}}
{{- $c := deepCopy . -}}
{{- if not (hasKey $c "labelSelector") -}}
{{- $_ := set $c "labelSelector" (dict "matchLabels" (include "anylog-operator.selectorLabels" $ | fromYaml)) -}}
{{- end -}}
{{- $out = append $out $c -}}
{{- end -}}
{{- with $out }}{{ toYaml . }}{{ end -}}
{{- end -}}

{{/* Namespaces whose pods the operator manages: the watched ones, or every namespace. */}}
{{- define "anylog-operator.watchedNamespaceSelector" -}}
{{- if empty .Values.watchNamespaces -}}
namespaceSelector: {}
{{- else -}}
namespaceSelector:
  matchExpressions:
    - key: kubernetes.io/metadata.name
      operator: In
      values:
        {{- toYaml .Values.watchNamespaces | nindent 8 }}
{{- end -}}
{{- end -}}

{{/* Labels of the `helm test` objects: not the operator's selector labels, so nothing selects them as operator pods. */}}
{{- define "anylog-operator.testLabels" -}}
app.kubernetes.io/name: {{ include "anylog-operator.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: test
app.kubernetes.io/part-of: anylog
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{/* Hook annotations of the `helm test` objects: made before the test pod (weight), removed once the test passed and before the next run. */}}
{{- define "anylog-operator.testHook" -}}
helm.sh/hook: test
helm.sh/hook-weight: {{ . | quote }}
helm.sh/hook-delete-policy: before-hook-creation,hook-succeeded
{{- end -}}
