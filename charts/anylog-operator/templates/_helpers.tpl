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

{{/* The rules of docs/design/operator.md §12 for the watched resources (namespaced or cluster-wide). */}}
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
- apiGroups: [""]
  resources: ["pods", "persistentvolumeclaims"]
  verbs: ["get", "list", "watch"]
- apiGroups: ["events.k8s.io"]
  resources: ["events"]
  verbs: ["create", "patch"]
{{- end -}}
