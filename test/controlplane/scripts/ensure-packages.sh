#!/usr/bin/env bash
# Installs the Debian packages the local cluster needs when they are missing: etcd-server, postgresql,
# lua5.4 and unzip for the control plane; containerd, runc, the CNI plugins, iptables, nftables,
# conntrack, iproute2 and openssl for the real node; buildah and mmdebstrap to build its images;
# shellcheck for `npm run lint` (actionlint checks the workflows' run: scripts with it).
# Idempotent; uses sudo when not root. Never starts services.
set -euo pipefail
need=()
have_cmd() { command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || [ -x "/sbin/$1" ]; }
have_cmd etcd || need+=(etcd-server)
[ -d /usr/lib/postgresql ] || need+=(postgresql)
have_cmd lua5.4 || need+=(lua5.4)
have_cmd unzip || need+=(unzip)
have_cmd containerd || need+=(containerd)
have_cmd runc || need+=(runc)
[ -x /usr/lib/cni/bridge ] || need+=(containernetworking-plugins)
have_cmd iptables || need+=(iptables)
have_cmd nft || need+=(nftables)
have_cmd conntrack || need+=(conntrack)
have_cmd ip || need+=(iproute2)
have_cmd openssl || need+=(openssl)
have_cmd buildah || need+=(buildah)
have_cmd mmdebstrap || need+=(mmdebstrap)
have_cmd shellcheck || need+=(shellcheck)
if [ "${#need[@]}" -eq 0 ]; then
  echo "ensure-packages: every package of the local cluster is installed"
  exit 0
fi
sudo_cmd=""
[ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
echo "ensure-packages: installing ${need[*]}"
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
echo "ensure-packages: installed ${need[*]}"
