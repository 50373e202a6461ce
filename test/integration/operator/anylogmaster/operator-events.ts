// The operator's events.k8s.io/v1 Events about one AnyLogMaster, as the API server holds them, for the
// failure suites: one Event object per (reason, type) within 10 minutes, whose
// `series.count` counts later emissions. `emissions` is therefore how often a transition was reported.
import { getJson, type KubeObject } from '../../../helpers/cluster.js';

export const REPORTING_CONTROLLER = 'anylog.co/anylog-operator';

export interface RecordedEvent {
  readonly name: string;
  readonly reason: string;
  readonly type: string;
  readonly note: string;
  /** 1 for a single emission, else the Event's series.count. */
  readonly emissions: number;
}

/** The operator's Events about the AnyLogMaster with this uid. */
export async function operatorEvents(namespace: string, uid: string): Promise<RecordedEvent[]> {
  const list = await getJson(['-n', namespace, 'events.events.k8s.io']);
  return (list.items as KubeObject[])
    .filter((e) => e.reportingController === REPORTING_CONTROLLER && e.regarding?.uid === uid)
    .map((e) => ({
      name: e.metadata.name as string,
      reason: e.reason as string,
      type: e.type as string,
      note: (e.note as string | undefined) ?? '',
      emissions: (e.series?.count as number | undefined) ?? 1,
    }));
}

export function withReason(events: readonly RecordedEvent[], reason: string): RecordedEvent[] {
  return events.filter((e) => e.reason === reason);
}

/** "Reason×emissions" for every Event, for assertion messages. */
export function summary(events: readonly RecordedEvent[]): string {
  return events.map((e) => `${e.type}/${e.reason}×${e.emissions}`).join(', ');
}
