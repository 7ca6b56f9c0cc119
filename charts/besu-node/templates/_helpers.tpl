{{- define "besu-node.labels" -}}
app.kubernetes.io/name: besu-node
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: {{ .Values.node.role }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end }}

{{- define "besu-node.selector" -}}
app.kubernetes.io/name: besu-node
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end }}
