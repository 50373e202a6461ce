// PURE choice of the advertised address: ClusterIP → the client Service's
// spec.clusterIP, LoadBalancer → status.loadBalancer.ingress[0].ip (a hostname-only ingress is not
// usable), Overlay → spec.network.advertise.ip. The address goes into the master policy and EXTERNAL_IP.
import type { ResolvedAdvertise } from '../../api/types.js';
import type { ServiceView } from './views.js';

export type AdvertiseResult =
  { readonly kind: 'ok'; readonly address: string } | { readonly kind: 'waiting'; readonly message: string };

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const isIp = (v: string | undefined): v is string => v !== undefined && (IPV4.test(v) || v.includes(':'));

function clusterIpOf(service: ServiceView | undefined): string | undefined {
  const ip = service?.spec?.clusterIP;
  return isIp(ip) ? ip : undefined;
}

function ingressOf(service: ServiceView | undefined): { ip?: string; hostname?: string } | undefined {
  const first = service?.status?.loadBalancer?.ingress?.[0];
  if (first === undefined) return undefined;
  const { ip, hostname } = first;
  return {
    ...(isIp(ip) ? { ip } : {}),
    ...(hostname === undefined ? {} : { hostname }),
  };
}

/** The advertised address for `advertise`, given the client Service as the API returned it. */
export function chooseAdvertisedAddress(
  advertise: ResolvedAdvertise,
  clientService: ServiceView | undefined,
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
