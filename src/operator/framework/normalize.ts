// Normalisation of objects entering the operator (docs/design/operator.md §11.3): apiVersion and kind set (list
// items lack them), managedFields stripped, metadata narrowed once so no caller needs non-null
// assertions. Also parses metav1.Status error bodies. Pure.
import { KubeApiError, apiVersionOf, type KubeObject, type ObjectMeta, type ResourceType } from './kube.js';
import { isRecord } from '../../shared/is-record.js';

/** Returns the object with apiVersion/kind filled in and metadata.managedFields removed. */
export function normalizeObject(raw: unknown, type: ResourceType): KubeObject {
  if (!isRecord(raw) || !isRecord(raw['metadata']) || typeof raw['metadata']['name'] !== 'string') {
    throw new KubeApiError({ status: 0, reason: 'InvalidObject', message: `malformed ${type.kind} object` });
  }
  const metadata = Object.fromEntries(Object.entries(raw['metadata']).filter(([k]) => k !== 'managedFields'));
  const apiVersion = typeof raw['apiVersion'] === 'string' ? raw['apiVersion'] : apiVersionOf(type);
  const kind = typeof raw['kind'] === 'string' ? raw['kind'] : type.kind;
  return { ...raw, apiVersion, kind, metadata: metadata as unknown as ObjectMeta };
}

export interface StatusBody {
  readonly code?: number;
  readonly reason?: string;
  readonly message?: string;
}

/** Parses a metav1.Status from an error body; tolerant of non-JSON bodies. */
export function parseStatusBody(text: string): StatusBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return text === '' ? {} : { message: text.slice(0, 512) };
  }
  if (!isRecord(parsed)) return {};
  const out: { code?: number; reason?: string; message?: string } = {};
  if (typeof parsed['code'] === 'number') out.code = parsed['code'];
  if (typeof parsed['reason'] === 'string' && parsed['reason'] !== '') out.reason = parsed['reason'];
  if (typeof parsed['message'] === 'string') out.message = parsed['message'];
  return out;
}
