// The master's ledger through its REST API, with the project's node client: `blockchain get *` reads every
// policy as the node keeps it (id and date included); `blockchain push ignore <policy>` stores a policy
// unchanged on a master, and a policy that already has its id and date keeps them, so a restored ledger
// has the same ids. An id that is already there counts as restored, so running a restore again succeeds.
// A node serving REST over TLS is reached with the client certificate from a mounted Secret directory.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHttpNodeClient, type NodeClient, type NodeClientTls } from '../nodeclient/index.js';
import { TLS_CA_KEY, TLS_CERT_KEY, TLS_KEY_KEY } from '../render/rest-tls.js';
import { isRecord } from '../common/is-record.js';

/** Backups and restores may meet a large ledger: a longer request timeout than the operator's probes. */
const REQUEST_TIMEOUT_MS = 60_000;

/** Where the client certificate Secret is mounted and the name the server certificate must carry. */
export interface ClientTlsFiles {
  readonly dir: string;
  readonly servername: string;
}

/** The PEM texts of a mounted kubernetes.io/tls Secret that also holds `ca.crt`. */
export function readClientTls(files: ClientTlsFiles): NodeClientTls {
  const read = (key: string): string => readFileSync(join(files.dir, key), 'utf8');
  return {
    ca: read(TLS_CA_KEY),
    cert: read(TLS_CERT_KEY),
    key: read(TLS_KEY_KEY),
    servername: files.servername,
  };
}

/** A node client for `http://<host>:<port>/`, or `https://` with the client certificate of `tls`. */
export function clientFor(url: string, tls?: ClientTlsFiles): NodeClient {
  const { hostname, port, protocol } = new URL(url);
  const https = protocol === 'https:';
  if (https !== (tls !== undefined))
    throw new Error(`${url}: an https URL needs the client certificate, and only an https URL takes one`);
  return createHttpNodeClient({
    host: hostname.replace(/^\[|\]$/g, ''),
    port: Number(port === '' ? (https ? 443 : 80) : port),
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    ...(tls === undefined ? {} : { tls: readClientTls(tls) }),
  });
}

/** A backup entry that is not a policy object; restore refuses the file rather than skip it. */
export class NotAPolicyError extends Error {
  constructor(index: number) {
    super(`entry ${index} of the backup is not a policy object`);
    this.name = 'NotAPolicyError';
  }
}

/** Every policy of the ledger, in the node's order. */
export async function readPolicies(client: NodeClient): Promise<unknown[]> {
  return [...(await client.readLedger())];
}

/** Checks every entry first, then stores each policy as is; returns how many were sent. */
export async function pushPolicies(client: NodeClient, policies: readonly unknown[]): Promise<number> {
  const checked = policies.map((p, i) => {
    if (!isRecord(p)) throw new NotAPolicyError(i);
    return p;
  });
  for (const policy of checked) await client.pushPolicy(policy);
  return checked.length;
}
