// Step 5: apply the client and headless Services and the node's
// NetworkPolicy (or delete it when disabled), read the advertised address
// from the client Service, then apply the ConfigMap and the node StatefulSet (whose pod template carries
// the config hash). Waiting for a load-balancer IP ends the step with WaitingForLoadBalancer. With REST TLS
// the certificates' Secrets are ensured between the Services (whose names and IP they carry) and the pod.
import { effectiveImages } from '../../../api/defaults.js';
import type { EffectiveImages } from '../../../api/defaults.js';
import {
  renderClientService,
  renderConfigMap,
  renderHeadlessService,
  renderNetworkPolicy,
  renderNodeStatefulSet,
  DEFAULT_OPERATOR_POD_LABELS,
  type KubeObject as RenderedObject,
  type OperatorPods,
  type PsqlLedgerInputs,
  type RenderInputs,
} from '../../../render/index.js';
import type { KubeObject } from '../../framework/kube.js';
import { chooseAdvertisedAddress } from '../advertise.js';
import type { PassEnv } from '../deps.js';
import type { StalledOutcome, WaitingOutcome } from '../outcomes.js';
import { serviceView } from '../views.js';
import { conflictOf, ensureChild, liveObject } from './apply.js';
import { reconcileRestTls, type RestClientTls } from './rest-tls.js';
import { networkPolicyName } from '../../../api/names.js';
import { NETWORKPOLICIES } from '../resources.js';

export type ChildrenResult =
  | {
      readonly kind: 'applied';
      readonly advertisedAddress: string;
      readonly statefulSet: KubeObject;
      readonly images: EffectiveImages;
      /** What the operator's REST client presents and trusts; absent without REST TLS. */
      readonly clientTls?: RestClientTls;
    }
  | { readonly kind: 'waiting'; readonly waiting: WaitingOutcome; readonly images: EffectiveImages }
  | { readonly kind: 'stalled'; readonly stalled: StalledOutcome; readonly images: EffectiveImages };

/** A rendered object as the framework's KubeObject (a shallow copy: the same JSON, typed as an open object). */
export const asKube = (o: RenderedObject): KubeObject => ({ ...o });

export function imagesOf(env: PassEnv): EffectiveImages {
  return effectiveImages(env.spec, {
    nodeImage: env.deps.nodeImage,
    ledgerImage: env.deps.settings.defaultLedgerImage,
  });
}

export function operatorPodsOf(env: PassEnv): OperatorPods {
  const { podNamespace, operatorPodLabels } = env.deps.settings;
  return {
    ...(podNamespace === undefined || podNamespace === '' ? {} : { namespace: podNamespace }),
    labels: operatorPodLabels ?? DEFAULT_OPERATOR_POD_LABELS,
  };
}

/** Apply the node's NetworkPolicy, or delete ours when `spec.networkPolicy.enabled` is false. */
async function reconcileNetworkPolicy(env: PassEnv): Promise<void> {
  const { cr } = env;
  const policy = renderNetworkPolicy(cr, {
    operatorVersion: env.deps.operatorVersion,
    operatorPods: operatorPodsOf(env),
  });
  if (policy !== undefined) {
    await ensureChild(env, asKube(policy));
    return;
  }
  const live = await liveObject(env, 'NetworkPolicy', networkPolicyName(cr));
  // A policy someone else made under this name is theirs: leave it.
  if (live === undefined || conflictOf(env, live) !== undefined) return;
  await env.ctx.kube.delete(
    NETWORKPOLICIES,
    { namespace: cr.metadata.namespace, name: networkPolicyName(cr) },
    env.ctx.signal,
  );
}

/** Renders and applies the node's children in order; `ledger` is the psql input (external, managed). */
export async function applyNodeChildren(
  env: PassEnv,
  ledger: PsqlLedgerInputs | undefined,
): Promise<ChildrenResult> {
  const { cr } = env;
  const operatorVersion = env.deps.operatorVersion;
  const images = imagesOf(env);
  const client = await ensureChild(env, asKube(renderClientService(cr, { operatorVersion })));
  await ensureChild(env, asKube(renderHeadlessService(cr, { operatorVersion })));
  await reconcileNetworkPolicy(env);
  const advertised = chooseAdvertisedAddress(env.spec.network.advertise, serviceView(client));
  if (advertised.kind === 'waiting') {
    const reason =
      env.spec.network.advertise.mode === 'LoadBalancer' ? 'WaitingForLoadBalancer' : 'Progressing';
    return { kind: 'waiting', waiting: { reason, message: advertised.message }, images };
  }
  const tls = await reconcileRestTls(env, client, advertised.address);
  if (tls.kind === 'stalled') return { kind: 'stalled', stalled: tls.stalled, images };
  const inputs: RenderInputs = {
    operatorVersion,
    images,
    advertisedAddress: advertised.address,
    operatorPods: operatorPodsOf(env),
    ...(ledger === undefined ? {} : { ledger }),
    ...(tls.kind === 'ready' ? { restTls: tls.render } : {}),
  };
  await ensureChild(env, asKube(renderConfigMap(cr, inputs)));
  const statefulSet = await ensureChild(env, asKube(renderNodeStatefulSet(cr, inputs)));
  return {
    kind: 'applied',
    advertisedAddress: advertised.address,
    statefulSet,
    images,
    ...(tls.kind === 'ready' ? { clientTls: tls.client } : {}),
  };
}
