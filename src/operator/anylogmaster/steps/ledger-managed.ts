// Managed ledger: the credentials Secret is created once (password generated here,
// never in a renderer; its data is never applied again), its owner reference follows deletionPolicy,
// the PostgreSQL StatefulSet and Services are applied, and once the pod is Ready the same provisioning
// plan as an external ledger runs with the generated role as admin and node role.
import { randomBytes } from 'node:crypto';
import { ledgerCredentialsSecretName, ledgerPodName, ledgerStatefulSetName } from '../../../api/names.js';
import { provisionLedger, type LedgerEndpoint } from '../../../ledger/index.js';
import {
  managedLedgerCredentials,
  managedLedgerEndpoint,
  renderLedgerSecret,
  renderLedgerSecretOwnership,
  renderLedgerServices,
  renderLedgerStatefulSet,
} from '../../../render/index.js';
import {
  LEDGER_DATABASE,
  SECRET_PASSWORD_KEY,
  SECRET_USERNAME_KEY,
} from '../../../render/ledger-postgres.js';
import type { KubeObject } from '../../framework/kube.js';
import { FIELD_MANAGER, type PassEnv } from '../deps.js';
import { condition } from '../outcomes.js';
import { PODS, SECRETS } from '../resources.js';
import { checkRollout } from '../rollout.js';
import { podView, statefulSetView } from '../views.js';
import { conflictOf, ensureChild, liveObject, ResourceConflictError } from './apply.js';
import { asKube, imagesOf } from './children.js';
import { ledgerFailure, type LedgerStatus, type LedgerStepResult } from './ledger-result.js';
import { credentialsFrom } from './secrets.js';

/** Creates the Secret once (409 → read), then converges only its owner reference. */
async function ensureLedgerSecret(env: PassEnv): Promise<KubeObject> {
  const { cr } = env;
  const owned = env.spec.deletionPolicy === 'Delete';
  const operatorVersion = env.deps.operatorVersion;
  let live = await liveObject(env, 'Secret', ledgerCredentialsSecretName(cr));
  if (live === undefined) {
    const password = randomBytes(32).toString('base64url');
    const body = asKube(renderLedgerSecret(cr, { operatorVersion, password, owned }));
    live = (
      await env.ctx.kube.createIfAbsent(SECRETS, body, {
        fieldManager: FIELD_MANAGER,
        signal: env.ctx.signal,
      })
    ).object;
  }
  const conflict = conflictOf(env, live);
  if (conflict !== undefined) throw new ResourceConflictError(conflict);
  await ensureChild(env, asKube(renderLedgerSecretOwnership(cr, { operatorVersion, owned })));
  return live;
}

function managedStatus(env: PassEnv, endpoint: LedgerEndpoint): LedgerStatus {
  return {
    mode: 'Managed',
    host: endpoint.host,
    port: endpoint.port,
    database: LEDGER_DATABASE,
    secretName: ledgerCredentialsSecretName(env.cr),
  };
}

async function applyLedgerWorkload(env: PassEnv): Promise<KubeObject> {
  const operatorVersion = env.deps.operatorVersion;
  const image = imagesOf(env).ledger ?? env.deps.settings.defaultLedgerImage;
  for (const svc of renderLedgerServices(env.cr, { operatorVersion })) await ensureChild(env, asKube(svc));
  return ensureChild(env, asKube(renderLedgerStatefulSet(env.cr, { operatorVersion, image })));
}

/** Step 4 in managed mode. */
export async function provisionManagedLedger(env: PassEnv): Promise<LedgerStepResult> {
  const { cr } = env;
  let status = managedStatus(env, managedLedgerEndpoint(cr));
  try {
    const secret = await ensureLedgerSecret(env);
    const sts = await applyLedgerWorkload(env);
    const pod = env.ctx.cache(PODS).get(`${cr.metadata.namespace}/${ledgerPodName(cr)}`);
    const rollout = checkRollout(
      ledgerStatefulSetName(cr),
      statefulSetView(sts),
      ledgerPodName(cr),
      podView(pod),
    );
    if (rollout.kind === 'waiting') {
      const message = `PostgreSQL: ${rollout.waiting.message}`;
      return {
        outcome: condition('False', 'WaitingForLedger', message),
        status,
        ready: false,
        waiting: { reason: 'WaitingForLedger', message },
      };
    }
    const byPodIp = env.deps.settings.ledgerAddressing === 'pod-ip';
    const renderEndpoint = managedLedgerEndpoint(cr, byPodIp ? rollout.podIP : undefined);
    status = managedStatus(env, renderEndpoint);
    const endpoint: LedgerEndpoint = {
      ...renderEndpoint,
      host: byPodIp ? rollout.podIP : renderEndpoint.host,
    };
    const creds = credentialsFrom(secret, SECRET_USERNAME_KEY, SECRET_PASSWORD_KEY);
    const connection = { endpoint, nodeCredentials: creds, adminCredentials: creds };
    await provisionLedger({ ...connection, logger: env.ctx.logger, signal: env.ctx.signal });
    return {
      outcome: condition(
        'True',
        'Provisioned',
        `managed PostgreSQL ${renderEndpoint.host}:${renderEndpoint.port} ready`,
      ),
      status,
      ready: true,
      render: {
        endpoint: renderEndpoint,
        credentials: managedLedgerCredentials(cr, secret.metadata.resourceVersion ?? ''),
      },
      connection,
    };
  } catch (err) {
    if (err instanceof ResourceConflictError) throw err;
    return ledgerFailure(err, status);
  }
}
