// The pod runner's own watch loop (list, then watch from the list's resourceVersion): reconnects with
// backoff after errors, re-watches from the last seen resourceVersion after a normal close, and relists
// on 410 Gone. Keeps a cache by UID and reports every change, including deletions found by a relist.
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import type { Api, Json } from './api.js';
import { errText, type RunnerLog } from './log.js';

export interface ReflectorOptions {
  /** Collection path, e.g. /api/v1/pods. */
  readonly path: string;
  readonly fieldSelector?: string;
  readonly onChange: (obj: Json, deleted: boolean) => void;
}

export interface Reflector {
  stop(): void;
  /** Resolves after the first list has been delivered. */
  readonly synced: Promise<void>;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function startReflector(kc: KubeConfig, api: Api, log: RunnerLog, o: ReflectorOptions): Reflector {
  const cache = new Map<string, Json>();
  let stopped = false;
  let abort: AbortController | undefined;
  let markSynced: () => void = () => {};
  const synced = new Promise<void>((r) => (markSynced = r));
  const isStopped = (): boolean => stopped;
  const watch = new Watch(kc);
  const selector =
    o.fieldSelector === undefined ? '' : `?fieldSelector=${encodeURIComponent(o.fieldSelector)}`;

  const relist = async (): Promise<string> => {
    const list = await api.get(`${o.path}${selector}`);
    const seen = new Set<string>();
    for (const item of (list['items'] ?? []) as Json[]) {
      const uid = item['metadata']?.uid as string;
      seen.add(uid);
      cache.set(uid, item);
      o.onChange(item, false);
    }
    for (const [uid, obj] of [...cache]) {
      if (!seen.has(uid)) {
        cache.delete(uid);
        o.onChange(obj, true);
      }
    }
    markSynced();
    return list['metadata']?.resourceVersion as string;
  };

  // One watch connection; resolves with 'gone' on 410, 'closed' on a normal end, or throws.
  const watchOnce = async (rv: string, setRv: (v: string) => void): Promise<'gone' | 'closed'> =>
    new Promise((resolve, reject) => {
      let gone = false;
      const query: Record<string, string | boolean> = { resourceVersion: rv, allowWatchBookmarks: true };
      if (o.fieldSelector !== undefined) query['fieldSelector'] = o.fieldSelector;
      watch
        .watch(
          o.path,
          query,
          (type: string, obj: Json) => {
            if (type === 'ERROR') {
              if (obj['code'] === 410) gone = true;
              abort?.abort();
              return;
            }
            const newRv = obj['metadata']?.resourceVersion as string | undefined;
            if (newRv !== undefined) setRv(newRv);
            if (type === 'BOOKMARK') return;
            const uid = obj['metadata']?.uid as string;
            if (type === 'DELETED') cache.delete(uid);
            else cache.set(uid, obj);
            o.onChange(obj, type === 'DELETED');
          },
          (err: unknown) => {
            if (gone) resolve('gone');
            else if (err === null || err === undefined || isStopped()) resolve('closed');
            else if (err instanceof Error && err.name === 'TimeoutError') resolve('closed');
            else reject(err instanceof Error ? err : new Error(JSON.stringify(err)));
          },
        )
        .then((ac) => {
          abort = ac;
          if (stopped) ac.abort();
        }, reject);
    });

  const loop = async (): Promise<void> => {
    let backoff = 200;
    let rv: string | undefined;
    while (!stopped) {
      try {
        rv ??= await relist();
        const outcome = await watchOnce(rv, (v) => (rv = v));
        if (outcome === 'gone') rv = undefined;
        backoff = 200;
      } catch (err) {
        if (isStopped()) break;
        log.warn('watch failed, retrying', { path: o.path, err: errText(err), backoffMs: backoff });
        await sleep(backoff);
        backoff = Math.min(backoff * 2, 5000);
        rv = undefined;
      }
    }
  };
  void loop();
  return {
    synced,
    stop: () => {
      stopped = true;
      abort?.abort();
    },
  };
}
