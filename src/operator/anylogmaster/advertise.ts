// PURE choice of the advertised address (docs/design/operator.md §7.1): ClusterIP → the client Service's
// spec.clusterIP, LoadBalancer → status.loadBalancer.ingress[0].ip (a hostname-only ingress is not
// usable), Overlay → spec.network.advertise.ip. The address goes into the master policy and EXTERNAL_IP.
import type { ResolvedAdvertise } from '../../api/types.js';
import { asRecord } from '../../shared/is-record.js';

export type AdvertiseResult =
  { readonly kind: 'ok'; readonly address: string } | { readonly kind: 'waiting'; readonly message: string };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const isIp = (v: unknown): v is string => typeof v === 'string' && (IPV4.test(v) || v.includes(':'));

function clusterIpOf(service: unknown): string | undefined {
  const ip = asRecord(asRecord(service)['spec'])['clusterIP'];
  return isIp(ip) ? ip : undefined;
}

function ingressOf(service: unknown): { ip?: string; hostname?: string } | undefined {
  const ingress = asRecord(asRecord(asRecord(service)['status'])['loadBalancer'])['ingress'];
  if (!Array.isArray(ingress) || ingress.length === 0) return undefined;
  const first = asRecord(ingress[0]);
  const ip = first['ip'];
  const hostname = first['hostname'];
  return {
    ...(isIp(ip) ? { ip } : {}),
    ...(typeof hostname === 'string' ? { hostname } : {}),
  };
}

/** The advertised address for `advertise`, given the client Service as the API returned it. */
export function chooseAdvertisedAddress(
  advertise: ResolvedAdvertise,
  clientService: unknown,
): AdvertiseResult {
  switch (advertise.mode) {
    case 'Overlay':
      return advertise.ip === undefined
        ? { kind: 'waiting', message: 'advertise.ip is required in Overlay mode' }
        : { kind: 'ok', address: advertise.ip };
    case 'ClusterIP': {
      const ip = clusterIpOf(clientService);
      return ip === undefined
        ? { kind: 'waiting', message: 'the client Service has no cluster IP yet' }
        : { kind: 'ok', address: ip };
    }
    case 'LoadBalancer': {
      const ingress = ingressOf(clientService);
      if (ingress?.ip !== undefined) return { kind: 'ok', address: ingress.ip };
      if (ingress?.hostname !== undefined) {
        return {
          kind: 'waiting',
          message: `the load balancer reports only the hostname ${ingress.hostname}; the master policy needs an IP`,
        };
      }
      return { kind: 'waiting', message: 'waiting for the load balancer to report an ingress IP' };
    }
  }
}

/** `status.endpoints`: ip:port of the peer protocol and of the REST API. */
export function endpointsOf(
  address: string,
  tcpPort: number,
  restPort: number,
): { tcp: string; rest: string } {
  return { tcp: `${address}:${tcpPort}`, rest: `${address}:${restPort}` };
}
