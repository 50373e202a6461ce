// What the backup and restore suites (control plane and real node) share: policies compared by id, the
// claim that holds the backups, the test playing the load balancer so a recreated master advertises the
// same address (and so keeps its master policy id), and waiting for a deleted object to be gone.
import { kubectl, kubectlOk, waitUntil } from './cluster.js';

export type Policy = Record<string, Record<string, unknown>>;

/** The policy's type: its single top-level key. */
export const typeOf = (p: Policy): string => Object.keys(p)[0] ?? '';

export const idOf = (p: Policy): string => {
  const id = p[typeOf(p)]?.['id'];
  return typeof id === 'string' ? id : '';
};

/** The policies sorted by id, for comparing two ledgers whatever order they were read in. */
export const byId = (policies: readonly Policy[]): Policy[] =>
  [...policies].sort((a, b) => idOf(a).localeCompare(idOf(b)));

/** Creates the PersistentVolumeClaim the backups are written to (default StorageClass, 64 MiB). */
export async function createBackupClaim(ns: string, name: string): Promise<void> {
  await kubectlOk(['apply', '-f', '-'], {
    input: JSON.stringify({
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name, namespace: ns },
      spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '64Mi' } } },
    }),
  });
}

/**
 * Acts as the load balancer of the LoadBalancer Service `name`: once it exists, reports `ip` as its
 * ingress. Tests give a loopback address nothing connects to, so no packet leaves the machine.
 */
export async function provideIngress(ns: string, name: string, ip: string): Promise<void> {
  await waitUntil(
    `the client Service ${ns}/${name}`,
    async () => (await kubectl(['-n', ns, 'get', 'service', name])).code === 0,
    120_000,
    500,
  );
  await kubectlOk([
    '-n',
    ns,
    'patch',
    'service',
    name,
    '--subresource=status',
    '--type=merge',
    '-p',
    JSON.stringify({ status: { loadBalancer: { ingress: [{ ip }] } } }),
  ]);
}

/** Waits until `kind` `name` no longer exists in `ns`. */
export async function waitGone(ns: string, kind: string, name: string, timeoutMs = 180_000): Promise<void> {
  await waitUntil(
    `${kind} ${ns}/${name} gone`,
    async () => {
      const r = await kubectl(['-n', ns, 'get', kind, name, '--ignore-not-found', '-o', 'name']);
      return r.code === 0 && r.stdout.trim() === '';
    },
    timeoutMs,
    500,
  );
}
