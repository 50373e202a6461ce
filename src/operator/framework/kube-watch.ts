// Turns client-node's callback-style Watch into one promise per stream for kube-client.ts: events are
// normalised (a BOOKMARK keeps only its resourceVersion), an in-stream ERROR or a malformed object
// becomes a KubeApiError (410 → relist), the client's inactivity TimeoutError is a normal end,
// completion is idempotent (client-node #2387) and aborts are prompt. Takes the Watch (client-node's or
// the native one of http-transport.ts) structurally, so it does not import the library (rule D3).
import {
  KubeApiError,
  apiVersionOf,
  type KubeObject,
  type ResourceType,
  type WatchEnd,
  type WatchEvent,
  type WatchOptions,
} from './kube.js';
import { normalizeObject, parseStatusBody } from './normalize.js';

/** The part of client-node's Watch this module uses. */
export interface Watcher {
  watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: unknown) => void,
    done: (err: unknown) => void,
  ): Promise<AbortController>;
}

export interface WatchRun {
  readonly watcher: Watcher;
  readonly path: string;
  readonly type: ResourceType;
  readonly options: WatchOptions;
  readonly onEvent: (event: WatchEvent) => void;
  readonly count: (code: string) => void;
}

/** Turns the callback-style Watch into one promise; completion is idempotent (client-node #2387). */
export function runWatch(run: WatchRun): Promise<WatchEnd> {
  const { options, signal } = { options: run.options, signal: run.options.signal };
  return new Promise<WatchEnd>((resolve, reject) => {
    let settled = false;
    let controller: AbortController | undefined;
    const finish = (outcome: WatchEnd | KubeApiError): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      controller?.abort();
      if (outcome instanceof KubeApiError) reject(outcome);
      else resolve(outcome);
    };
    const onAbort = (): void => {
      finish('aborted');
    };
    if (signal.aborted) {
      finish('aborted');
      return;
    }
    signal.addEventListener('abort', onAbort, { once: true });
    const onData = (phase: string, apiObj: unknown): void => {
      if (settled) return;
      if (phase === 'ERROR') {
        finish(watchEventError(apiObj, run.path));
        return;
      }
      if (phase === 'BOOKMARK') {
        run.onEvent({ type: phase, object: bookmarkObject(apiObj, run.type) });
        return;
      }
      if (phase !== 'ADDED' && phase !== 'MODIFIED' && phase !== 'DELETED') return;
      let object;
      try {
        object = normalizeObject(apiObj, run.type);
      } catch (err) {
        // A malformed object ends this stream; the reflector resumes from the last resourceVersion.
        finish(err instanceof KubeApiError ? err : watchEventError(apiObj, run.path));
        return;
      }
      run.onEvent({ type: phase, object });
    };
    // The code the request is counted with when the watch fails before it is established.
    let connectFailure: string | undefined;
    const onDone = (err: unknown): void => {
      const failed = err !== null && err !== undefined;
      if (failed && controller === undefined) connectFailure = '<error>';
      if (!failed) finish('closed');
      else if (signal.aborted) finish('aborted');
      else if (err instanceof Error && err.name === 'TimeoutError') finish('timeout');
      else {
        finish(
          watchError(err, run.path, (code) => {
            if (controller === undefined) connectFailure = String(code);
          }),
        );
      }
    };
    const query = {
      resourceVersion: options.resourceVersion,
      allowWatchBookmarks: true,
      timeoutSeconds: options.timeoutSeconds,
      labelSelector: options.labelSelector,
    };
    run.watcher.watch(run.path, query, onData, onDone).then(
      (ctl) => {
        controller = ctl;
        run.count(connectFailure ?? '200');
        if (connectFailure === undefined && !settled) options.onOpen?.();
        if (settled) ctl.abort();
      },
      (err: unknown) => {
        run.count('<error>');
        finish(watchError(err, run.path, () => undefined));
      },
    );
  });
}

/** A BOOKMARK carries only metadata.resourceVersion (no name): it becomes a nameless object of the type
 * so the reflector can take its resourceVersion and count it as a sign of life. */
export function bookmarkObject(apiObj: unknown, type: ResourceType): KubeObject {
  const meta = (apiObj as { metadata?: { resourceVersion?: unknown } } | null)?.metadata;
  const rv = typeof meta?.resourceVersion === 'string' ? meta.resourceVersion : undefined;
  return {
    apiVersion: apiVersionOf(type),
    kind: type.kind,
    metadata: { name: '', ...(rv === undefined ? {} : { resourceVersion: rv }) },
  };
}

/** The KubeApiError for an in-stream ERROR event (its object is a metav1.Status; 410 → relist). */
export function watchEventError(apiObj: unknown, path: string): KubeApiError {
  const status = parseStatusBody(JSON.stringify(apiObj ?? {}));
  return new KubeApiError({
    status: status.code ?? 500,
    reason: status.reason ?? 'WatchError',
    message: status.message ?? 'error event in watch stream',
    method: 'WATCH',
    path,
  });
}

/** The KubeApiError for a watch that failed to connect or broke (HTTP status when there was one). */
export function watchError(
  err: unknown,
  path: string,
  onCode: (code: number) => void = () => undefined,
): KubeApiError {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  if (typeof code === 'number') {
    onCode(code);
    return new KubeApiError({
      status: code,
      reason: code === 410 ? 'Expired' : `HTTP${code}`,
      message: err instanceof Error ? err.message : `HTTP ${code}`,
      method: 'WATCH',
      path,
    });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new KubeApiError({
    status: 0,
    reason: 'TransportError',
    message,
    method: 'WATCH',
    path,
    cause: err,
  });
}
