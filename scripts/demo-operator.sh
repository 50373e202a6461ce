#!/usr/bin/env bash
# The operator demo on a fresh machine: setup (packages, Kubernetes binaries, CoreDNS, helm/kubectl,
# the images built from the project's Dockerfile), the local cluster with a real node (kubelet +
# containerd) and PostgreSQL (npm run cluster:up), the operator chart installed with helm (the CRD, two
# operator containers under the chart's ServiceAccount and RBAC, leader election) and checked with
# `helm test`, an external-ledger AnyLogMaster on the local PostgreSQL, then its status and the node's
# `get processes` through the AnyLogMaster's Service.
# The cluster keeps running afterwards; `bash scripts/demo-operator.sh --down` (npm run cluster:down) stops it.
set -euo pipefail
cd "$(dirname "$0")/.."

NS="${DEMO_NAMESPACE:-anylog-demo}"
OPNS="${DEMO_OPERATOR_NAMESPACE:-anylog-system}"
NAME="${DEMO_NAME:-master-external}"
TIMEOUT="${DEMO_TIMEOUT_SECONDS:-300}"
START=$(date +%s)
elapsed() { echo "$(($(date +%s) - START))s"; }

if [[ "${1:-}" == "--down" ]]; then
  exec npm run --silent cluster:down
fi

if [[ "${DEMO_SKIP_SETUP:-}" != "1" ]]; then
  echo "==> setup (packages, Kubernetes binaries, CoreDNS, helm/kubectl, build, images)"
  bash scripts/setup.sh
fi

echo "==> starting the local cluster (real node) and PostgreSQL ($(elapsed))"
# cluster:up prints `export ...` lines (also when a cluster already runs) and returns; the cluster stays up.
eval "$(npm run --silent cluster:up | grep '^export ')"
: "${KUBECONFIG:?cluster:up printed no KUBECONFIG}" "${ANYLOG_TEST_PG_URL:?cluster:up started no PostgreSQL}"
: "${ANYLOG_TEST_IMAGE:?the local cluster has no project image (is it running with --runtime=process?)}"
KUBECTL="$ANYLOG_TEST_KUBECTL"
HELM_HOME="$ANYLOG_TEST_RUN_DIR/helm-home"
mkdir -p "$HELM_HOME"
k() { "$KUBECTL" --kubeconfig "$KUBECONFIG" "$@"; }
h() {
  HOME="$HELM_HOME" HELM_CACHE_HOME="$HELM_HOME/cache" HELM_CONFIG_HOME="$HELM_HOME/config" \
    HELM_DATA_HOME="$HELM_HOME/data" "$ANYLOG_TEST_HELM" --kubeconfig "$KUBECONFIG" "$@"
}

echo "==> installing the operator chart into $OPNS ($(elapsed))"
for ns in "$OPNS" "$NS"; do
  k create namespace "$ns" --dry-run=client -o yaml | k apply --server-side -f - >/dev/null
  k label namespace "$ns" pod-security.kubernetes.io/enforce=restricted --overwrite >/dev/null
done
# The chart brings the CRD: `helm upgrade` keeps it current, `helm uninstall` leaves it.
h upgrade --install anylog-operator charts/anylog-operator -n "$OPNS" \
  -f scripts/demo/values.yaml --set "image.repository=${ANYLOG_TEST_IMAGE%:*}" --set "image.tag=${ANYLOG_TEST_IMAGE##*:}" \
  --set "ledgerImage=${ANYLOG_TEST_POSTGRES_IMAGE}" --wait --timeout 5m
k -n "$OPNS" get deployment anylog-operator
k -n "$OPNS" get pods -o wide

echo "==> helm test: the operator's readiness through a Service, AnyLogMasters served ($(elapsed))"
h test anylog-operator -n "$OPNS" --timeout 3m --logs | sed -n '/^POD LOGS/,$p' | awk '!seen[$0]++'

echo "==> external ledger: role and database in the local PostgreSQL, credentials Secret, AnyLogMaster ($(elapsed))"
if k -n "$NS" get secret "$NAME-ledger" >/dev/null 2>&1; then
  echo "Secret $NS/$NAME-ledger exists: reusing it and the ledger role"
else
  npx --no-install tsx scripts/demo/external-ledger.ts "$NS" "$NAME" | k apply --server-side -f -
fi

echo "==> waiting for $NS/$NAME to become Ready (up to ${TIMEOUT}s)"
last=""
deadline=$(($(date +%s) + TIMEOUT))
while :; do
  line="$(k -n "$NS" get anylogmaster "$NAME" -o \
    jsonpath='{.status.phase} {range .status.conditions[?(@.type=="Ready")]}Ready={.status} {.reason}: {.message}{end}' \
    2>/dev/null || true)"
  if [[ "$line" != "$last" ]]; then
    echo "  [$(elapsed)] ${line:-waiting for the operator}"
    last="$line"
  fi
  if [[ "$line" == *"Ready=True"* ]]; then break; fi
  if (($(date +%s) > deadline)); then
    echo "timed out; the operator's log: $KUBECTL --kubeconfig $KUBECONFIG -n $OPNS logs deploy/anylog-operator" >&2
    k -n "$NS" get anylogmaster "$NAME" -o yaml >&2
    exit 1
  fi
  sleep 2
done
k -n "$NS" wait --for=condition=Ready "anylogmaster/$NAME" --timeout=10s >/dev/null

echo
echo "==> kubectl get alm -o wide"
k -n "$NS" get alm -o wide
echo
echo "==> conditions"
k -n "$NS" get anylogmaster "$NAME" -o \
  jsonpath='{range .status.conditions[*]}{.type}{"\t"}{.status}{"\t"}{.reason}{"\t"}{.message}{"\n"}{end}'
echo
echo "==> kubectl get nodes,pods -o wide"
k get nodes -o wide
k get pods -A -o wide
echo
SVC_IP="$(k -n "$NS" get service "$NAME" -o jsonpath='{.spec.clusterIP}')"
REST_PORT="$(k -n "$NS" get anylogmaster "$NAME" -o jsonpath='{.spec.network.restPort}')"
echo "==> get processes (REST through the Service, http://$SVC_IP:$REST_PORT)"
curl -sS --max-time 10 -H 'User-Agent: AnyLog/1.23' -H 'command: get processes' "http://$SVC_IP:$REST_PORT/"
echo
echo
echo "Demo ready in $(elapsed). The cluster keeps running; to use it:"
echo "  eval \"\$(npm run --silent cluster:env)\"; $KUBECTL -n $NS get alm"
echo "Logs: $KUBECTL --kubeconfig $KUBECONFIG -n <namespace> logs <pod>; the node's own: $ANYLOG_TEST_RUN_DIR/logs/"
echo "Stop everything (node, control plane, containers, PostgreSQL, pod network): npm run demo:down"
