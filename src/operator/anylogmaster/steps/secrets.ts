// Reading referenced Secrets: a direct GET per pass, never a watch;
// a missing Secret or key is SecretNotFound. Values are decoded here and never logged or put in status.
import { AppError } from '../../../common/errors.js';
import type { ResolvedSecretRef } from '../../../api/types.js';
import type { LedgerCredentials } from '../../../ledger/index.js';
import type { KubeObject } from '../../framework/kube.js';
import type { PassEnv } from '../deps.js';
import { SECRETS } from '../resources.js';
import { secretView, type SecretView } from '../views.js';

export class SecretNotFoundError extends AppError {
  constructor(message: string) {
    super('ERR_SECRET_NOT_FOUND', message, { retryable: false });
  }
}

export interface ReadCredentials {
  readonly credentials: LedgerCredentials;
  readonly resourceVersion: string;
}

function decodeKey(secret: SecretView | undefined, key: string): string | undefined {
  const value = secret?.data?.[key];
  return value === undefined ? undefined : Buffer.from(value, 'base64').toString('utf8');
}

/** Username and password from `secret` under the given keys; throws SecretNotFoundError. */
export function credentialsFrom(
  secret: KubeObject,
  usernameKey: string,
  passwordKey: string,
): LedgerCredentials {
  const view = secretView(secret);
  const username = decodeKey(view, usernameKey);
  const password = decodeKey(view, passwordKey);
  const name = secret.metadata.name;
  if (username === undefined || username === '')
    throw new SecretNotFoundError(`Secret ${name} has no key ${usernameKey}`);
  if (password === undefined) throw new SecretNotFoundError(`Secret ${name} has no key ${passwordKey}`);
  return { username, password };
}

/** GET the referenced Secret of the CR's namespace and read its credentials. */
export async function readSecretCredentials(env: PassEnv, ref: ResolvedSecretRef): Promise<ReadCredentials> {
  const namespace = env.cr.metadata.namespace;
  const secret = await env.ctx.kube.get(SECRETS, { namespace, name: ref.name }, env.ctx.signal);
  if (secret === undefined)
    throw new SecretNotFoundError(`Secret ${ref.name} not found in namespace ${namespace}`);
  return {
    credentials: credentialsFrom(secret, ref.usernameKey, ref.passwordKey),
    resourceVersion: secret.metadata.resourceVersion ?? '',
  };
}
