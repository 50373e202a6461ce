// Condition types, statuses and reasons of the AnyLogMaster status contract, and the
// phases the status reports. Reasons are stable API: docs/errors.md lists them and a test keeps both in sync.

export const CONDITION_TYPES = {
  Ready: 'Ready',
  Reconciling: 'Reconciling',
  Stalled: 'Stalled',
  LedgerReady: 'LedgerReady',
  NodeReachable: 'NodeReachable',
  PolicyPosted: 'PolicyPosted',
  ProcessesHealthy: 'ProcessesHealthy',
  BackupHealthy: 'BackupHealthy',
} as const;
export type ConditionType = (typeof CONDITION_TYPES)[keyof typeof CONDITION_TYPES];

/** Domain conditions, in the order Ready mirrors them. */
export const DOMAIN_CONDITIONS = [
  'LedgerReady',
  'NodeReachable',
  'PolicyPosted',
  'ProcessesHealthy',
] as const;

export type ConditionStatus = 'True' | 'False' | 'Unknown';

/** Every reason any condition may carry. */
export const REASONS = {
  Ready: 'Ready',
  Progressing: 'Progressing',
  ProvisioningLedger: 'ProvisioningLedger',
  WaitingForLedger: 'WaitingForLedger',
  WaitingForLoadBalancer: 'WaitingForLoadBalancer',
  RollingOut: 'RollingOut',
  WaitingForPod: 'WaitingForPod',
  WaitingForNode: 'WaitingForNode',
  PostingPolicy: 'PostingPolicy',
  ReplacingPolicy: 'ReplacingPolicy',
  Deleting: 'Deleting',
  InvalidSpec: 'InvalidSpec',
  SecretNotFound: 'SecretNotFound',
  LedgerAuthFailed: 'LedgerAuthFailed',
  DatabaseMissing: 'DatabaseMissing',
  PolicyRejected: 'PolicyRejected',
  ResourceConflict: 'ResourceConflict',
  ProgressDeadlineExceeded: 'ProgressDeadlineExceeded',
  CleanupFailed: 'CleanupFailed',
  Provisioned: 'Provisioned',
  Embedded: 'Embedded',
  LedgerUnreachable: 'LedgerUnreachable',
  Reachable: 'Reachable',
  NodeUnreachable: 'NodeUnreachable',
  NotChecked: 'NotChecked',
  Posted: 'Posted',
  PolicyNotPosted: 'PolicyNotPosted',
  AllRunning: 'AllRunning',
  ProcessesNotRunning: 'ProcessesNotRunning',
  RestoringLedger: 'RestoringLedger',
  RestoreFailed: 'RestoreFailed',
  BackupSucceeded: 'BackupSucceeded',
  BackupPending: 'BackupPending',
  BackupFailed: 'BackupFailed',
  BackupStale: 'BackupStale',
} as const;
export type Reason = (typeof REASONS)[keyof typeof REASONS];

/** Reasons of `Reconciling=True`. */
export const RECONCILING_REASONS = [
  'Progressing',
  'ProvisioningLedger',
  'WaitingForLedger',
  'WaitingForLoadBalancer',
  'RollingOut',
  'WaitingForPod',
  'WaitingForNode',
  'PostingPolicy',
  'ReplacingPolicy',
  'RestoringLedger',
  'Deleting',
] as const satisfies readonly Reason[];
export type ReconcilingReason = (typeof RECONCILING_REASONS)[number];

/** Reasons of `Stalled=True`. */
export const STALLED_REASONS = [
  'InvalidSpec',
  'SecretNotFound',
  'LedgerAuthFailed',
  'DatabaseMissing',
  'PolicyRejected',
  'ResourceConflict',
  'ProgressDeadlineExceeded',
  'CleanupFailed',
  'RestoreFailed',
] as const satisfies readonly Reason[];
export type StalledReason = (typeof STALLED_REASONS)[number];

/** Reasons of `Ready=False|Unknown`: the mirrored blocking cause. */
export const READY_BLOCKED_REASONS = [
  'Progressing',
  'WaitingForLedger',
  'WaitingForLoadBalancer',
  'RollingOut',
  'WaitingForPod',
  'NodeUnreachable',
  'PolicyNotPosted',
  'ProcessesNotRunning',
  ...STALLED_REASONS,
  'Deleting',
] as const satisfies readonly Reason[];

/** Reasons allowed per condition type and status. */
export const CONDITION_REASONS = {
  Ready: { True: ['Ready'], False: READY_BLOCKED_REASONS, Unknown: READY_BLOCKED_REASONS },
  Reconciling: { True: RECONCILING_REASONS },
  Stalled: { True: STALLED_REASONS },
  LedgerReady: {
    True: ['Provisioned', 'Embedded'],
    False: ['WaitingForLedger', 'LedgerUnreachable', 'LedgerAuthFailed', 'DatabaseMissing', 'SecretNotFound'],
  },
  NodeReachable: {
    True: ['Reachable'],
    False: ['WaitingForPod', 'NodeUnreachable'],
    Unknown: ['NotChecked'],
  },
  PolicyPosted: {
    True: ['Posted'],
    False: ['WaitingForNode', 'PolicyRejected', 'ReplacingPolicy', 'RestoringLedger', 'RestoreFailed'],
    Unknown: ['NotChecked'],
  },
  ProcessesHealthy: { True: ['AllRunning'], False: ['ProcessesNotRunning'], Unknown: ['NotChecked'] },
  // Not mirrored by Ready: a late backup does not make the master unready.
  BackupHealthy: {
    True: ['BackupSucceeded'],
    False: ['BackupFailed', 'BackupStale'],
    Unknown: ['BackupPending'],
  },
} as const satisfies Record<ConditionType, Partial<Record<ConditionStatus, readonly Reason[]>>>;

/** The processes a master must run. */
export const REQUIRED_PROCESSES = ['TCP', 'REST', 'Blockchain Sync', 'Scheduler'] as const;

export const PHASES = ['Pending', 'Provisioning', 'Running', 'Degraded', 'Failed', 'Terminating'] as const;
export type Phase = (typeof PHASES)[number];
