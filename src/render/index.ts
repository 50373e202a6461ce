// renderAll(cr, inputs): every applied child of an AnyLogMaster in apply order:
// managed-ledger Services and StatefulSet, node Services, the node's NetworkPolicy (unless
// disabled), ConfigMap, node StatefulSet. The
// managed-ledger Secret is not here: it is created once from a generated password (ledger-postgres.ts).
import { resolveSpec } from '../api/defaults.js';
import type { AnyLogMaster } from '../api/types.js';
import { renderConfigMap } from './configmap.js';
import { RenderInputError } from './errors.js';
import type { RenderInputs } from './inputs.js';
import type { KubeObject } from './k8s-types.js';
export type * from './k8s-types.js';
import { renderLedgerServices, renderLedgerStatefulSet } from './ledger-postgres.js';
import { renderClientService, renderHeadlessService } from './services.js';
import { renderNodeStatefulSet } from './statefulset.js';
import { renderNetworkPolicy } from './networkpolicy.js';

export * from './inputs.js';
export { renderClientService, renderHeadlessService } from './services.js';
export { renderConfigMap, renderConfigData, renderNodeEnvironment, MASTER_SCRIPT_KEY } from './configmap.js';
export { renderMasterScript } from './master-script.js';
export { renderBackupCronJob, renderRestoreJob, type BackupRenderInputs } from './backup.js';
export * from './rest-tls.js';
export { renderNodeStatefulSet, computeConfigHash } from './statefulset.js';
export {
  renderNetworkPolicy,
  operatorPeer,
  DEFAULT_OPERATOR_POD_LABELS,
  NAMESPACE_NAME_LABEL,
  type OperatorPods,
} from './networkpolicy.js';
export {
  renderLedgerServices,
  renderLedgerStatefulSet,
  renderLedgerSecret,
  renderLedgerSecretOwnership,
  managedLedgerEndpoint,
  managedLedgerCredentials,
} from './ledger-postgres.js';

function ledgerObjects(cr: AnyLogMaster, inputs: RenderInputs): KubeObject[] {
  if (resolveSpec(cr.spec).ledger.mode !== 'Managed') return [];
  const image = inputs.images.ledger;
  if (image === undefined) throw new RenderInputError('render inputs lack the effective ledger image');
  return [
    ...renderLedgerServices(cr, inputs),
    renderLedgerStatefulSet(cr, { operatorVersion: inputs.operatorVersion, image }),
  ];
}

/** All applied children, in apply order; pure and deterministic. */
export function renderAll(cr: AnyLogMaster, inputs: RenderInputs): KubeObject[] {
  return [
    ...ledgerObjects(cr, inputs),
    renderClientService(cr, inputs),
    renderHeadlessService(cr, inputs),
    ...[renderNetworkPolicy(cr, inputs)].filter((o) => o !== undefined),
    renderConfigMap(cr, inputs),
    renderNodeStatefulSet(cr, inputs),
  ];
}
