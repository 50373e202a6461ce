// Turns a pod spec into things a local process can use: the pod
// directory, volumes as directories, mounts as symlinks under root/, path rewriting for command, args,
// env and workingDir, and the container environment built like the kubelet does it (envFrom, env with
// fieldRef/configMapKeyRef/secretKeyRef/resourceFieldRef, `$(VAR)` expansion).
import { chmodSync, mkdirSync, symlinkSync, writeFileSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isStatus, type Api, type Json } from './api.js';
import { parseQuantity } from './quantity.js';

export class PodSetupError extends Error {
  constructor(
    readonly reason: string,
    message: string,
  ) {
    super(message);
    this.name = 'PodSetupError';
  }
}

export interface PodDirs {
  readonly base: string;
  readonly root: string;
  readonly volumes: string;
  readonly logs: string;
  readonly home: string;
}

export function podDirs(podsDir: string, pod: Json): PodDirs {
  const m = pod['metadata'];
  const base = join(podsDir, `${m.namespace}_${m.name}_${m.uid}`);
  const dirs = {
    base,
    root: join(base, 'root'),
    volumes: join(base, 'volumes'),
    logs: join(base, 'logs'),
    home: join(base, 'home'),
  };
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true });
  return dirs;
}

const b64 = (s: string): Buffer => Buffer.from(s, 'base64');

async function readSource(
  api: Api,
  ns: string,
  kind: 'configmaps' | 'secrets',
  name: string,
): Promise<Json | undefined> {
  try {
    return await api.get(`/api/v1/namespaces/${ns}/${kind}/${name}`);
  } catch (err) {
    if (isStatus(err, 404)) return undefined;
    throw err;
  }
}

/** Key → bytes of a ConfigMap (data + binaryData) or Secret (data, base64). */
function entries(kind: 'configmaps' | 'secrets', obj: Json): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (kind === 'secrets') {
    for (const [k, v] of Object.entries((obj['data'] ?? {}) as Record<string, string>)) out.set(k, b64(v));
  } else {
    for (const [k, v] of Object.entries((obj['data'] ?? {}) as Record<string, string>))
      out.set(k, Buffer.from(v));
    for (const [k, v] of Object.entries((obj['binaryData'] ?? {}) as Record<string, string>))
      out.set(k, b64(v));
  }
  return out;
}

function writeKeyFiles(
  dir: string,
  data: Map<string, Buffer>,
  items: Json[] | undefined,
  mode: number,
): void {
  mkdirSync(dir, { recursive: true });
  const list: Json[] = items ?? [...data.keys()].map((key) => ({ key, path: key }));
  for (const it of list) {
    const v = data.get(it['key'] as string);
    if (v === undefined) continue;
    const file = join(dir, it['path'] as string);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, v);
    chmodSync(file, (it['mode'] as number | undefined) ?? mode);
  }
}

function fieldValue(pod: Json, path: string, podIP: string): string {
  const m = pod['metadata'];
  const sub = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (sub !== null) return String(m[sub[1] ?? '']?.[sub[2] ?? ''] ?? '');
  switch (path) {
    case 'metadata.name':
      return m.name;
    case 'metadata.namespace':
      return m.namespace;
    case 'metadata.uid':
      return m.uid;
    case 'spec.nodeName':
      return pod['spec']?.nodeName ?? '';
    case 'spec.serviceAccountName':
      return pod['spec']?.serviceAccountName ?? 'default';
    case 'status.podIP':
    case 'status.podIPs':
      return podIP;
    case 'status.hostIP':
    case 'status.hostIPs':
      return '127.0.0.1';
    default:
      throw new PodSetupError(
        'UnsupportedFieldRef',
        `fieldRef ${path} is not supported by the local pod runner`,
      );
  }
}

async function sourceVolume(
  api: Api,
  ns: string,
  src: Json,
  dir: string,
  defaultMode: number,
): Promise<void> {
  const kind = src['secret'] !== undefined ? 'secrets' : 'configmaps';
  const ref = (src['secret'] ?? src['configMap']) as Json;
  const name = (ref['secretName'] ?? ref['name']) as string;
  const obj = await readSource(api, ns, kind, name);
  if (obj === undefined) {
    if (ref['optional'] === true) {
      mkdirSync(dir, { recursive: true });
      return;
    }
    throw new PodSetupError('MissingVolumeSource', `${kind} ${ns}/${name} not found`);
  }
  writeKeyFiles(
    dir,
    entries(kind, obj),
    ref['items'] as Json[] | undefined,
    (ref['defaultMode'] as number | undefined) ?? defaultMode,
  );
}

/** Materialise every volume of the pod; returns volume name → directory. */
export async function materialiseVolumes(
  api: Api,
  pod: Json,
  dirs: PodDirs,
  pvcDir: (ns: string, claim: string) => Promise<string>,
  podIP: string,
): Promise<Map<string, string>> {
  const ns = pod['metadata'].namespace as string;
  const out = new Map<string, string>();
  for (const v of (pod['spec']?.volumes ?? []) as Json[]) {
    const dir = join(dirs.volumes, v['name'] as string);
    if (v['configMap'] !== undefined || v['secret'] !== undefined) {
      await sourceVolume(api, ns, v, dir, 0o644);
    } else if (v['emptyDir'] !== undefined) {
      mkdirSync(dir, { recursive: true });
    } else if (v['persistentVolumeClaim'] !== undefined) {
      out.set(v['name'] as string, await pvcDir(ns, v['persistentVolumeClaim'].claimName as string));
      continue;
    } else if (v['projected'] !== undefined || v['downwardAPI'] !== undefined) {
      mkdirSync(dir, { recursive: true });
      const mode = (v['projected']?.defaultMode ?? v['downwardAPI']?.defaultMode ?? 0o644) as number;
      const sources = (v['projected']?.sources ?? [{ downwardAPI: v['downwardAPI'] }]) as Json[];
      for (const s of sources) {
        if (s['configMap'] !== undefined || s['secret'] !== undefined)
          await sourceVolume(api, ns, s, dir, mode);
        for (const it of (s['downwardAPI']?.items ?? []) as Json[]) {
          if (it['fieldRef'] === undefined) continue;
          const file = join(dir, it['path'] as string);
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, fieldValue(pod, it['fieldRef'].fieldPath as string, podIP));
        }
        // serviceAccountToken sources are replaced by the per-pod kubeconfig.
      }
    } else {
      throw new PodSetupError(
        'UnsupportedVolume',
        `volume ${v['name']} has a type the local pod runner does not support`,
      );
    }
    out.set(v['name'] as string, dir);
  }
  return out;
}

/** Each volumeMount becomes a symlink at root/<mountPath> pointing at the volume (or its subPath). */
export function linkMounts(container: Json, volumes: Map<string, string>, root: string): void {
  for (const m of (container['volumeMounts'] ?? []) as Json[]) {
    const vol = volumes.get(m['name'] as string);
    if (vol === undefined)
      throw new PodSetupError('UnsupportedVolume', `volumeMount ${m['name']} has no volume`);
    const target = m['subPath'] ? join(vol, m['subPath'] as string) : vol;
    if (m['subPath'] && !existsSync(target)) mkdirSync(target, { recursive: true });
    const link = join(root, m['mountPath'] as string);
    mkdirSync(dirname(link), { recursive: true });
    rmSync(link, { force: true, recursive: false });
    symlinkSync(target, link);
  }
}

/**
 * Host file of a container's terminationMessagePath under root/, parent created. Only a path outside /dev
 * (the default /dev/termination-log) is provided: a local process cannot be given its own /dev.
 */
export function terminationMessageFile(container: Json, root: string): string | undefined {
  const path = container['terminationMessagePath'] as string | undefined;
  if (path === undefined || path.startsWith('/dev/')) return undefined;
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  return file;
}

/** First path segments of every mountPath and terminationMessagePath of the pod (init and app containers). */
export function mountPrefixes(pod: Json): string[] {
  const segs = new Set<string>();
  for (const c of [
    ...((pod['spec']?.initContainers ?? []) as Json[]),
    ...((pod['spec']?.containers ?? []) as Json[]),
  ]) {
    const message = c['terminationMessagePath'] as string | undefined;
    const messageSeg = message?.startsWith('/dev/') === false ? message.split('/')[1] : undefined;
    if (messageSeg !== undefined && messageSeg !== '') segs.add(messageSeg);
    for (const m of (c['volumeMounts'] ?? []) as Json[]) {
      const seg = String(m['mountPath'])
        .split('/')
        .filter((s) => s !== '')[0];
      if (seg !== undefined) segs.add(seg);
    }
  }
  return [...segs];
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Rewrite absolute paths whose first segment is a mount's first segment to the same path under root. */
export function rewritePaths(value: string, prefixes: readonly string[], root: string): string {
  if (prefixes.length === 0) return value;
  const re = new RegExp(`(^|[\\s=:,"'])/(${prefixes.map(escapeRe).join('|')})(?=/|$|[\\s"',:])`, 'g');
  return value.replace(re, (_all, lead: string, seg: string) => `${lead}${root}/${seg}`);
}

/** Kubelet-style `$(VAR)` expansion; `$$(VAR)` yields a literal `$(VAR)`; unknown variables stay as written. */
export function expand(value: string, vars: ReadonlyMap<string, string>): string {
  return value.replace(/\$\$|\$\(([A-Za-z_][A-Za-z0-9_.-]*)\)/g, (all, name: string | undefined) => {
    if (name === undefined) return '$';
    return vars.get(name) ?? all;
  });
}

function resourceValue(container: Json, ref: Json): string {
  const [kind, res] = String(ref['resource']).split('.');
  const q = container['resources']?.[kind ?? '']?.[res ?? ''] as string | undefined;
  if (q === undefined) return '0';
  const divisor = parseQuantity((ref['divisor'] as string | undefined) ?? '1');
  return String(Math.ceil(parseQuantity(q) / divisor));
}

export interface EnvContext {
  readonly api: Api;
  readonly pod: Json;
  readonly container: Json;
  readonly podIP: string;
  readonly base: Record<string, string>;
}

async function keyRef(
  api: Api,
  ns: string,
  kind: 'configmaps' | 'secrets',
  ref: Json,
): Promise<string | undefined> {
  const obj = await readSource(api, ns, kind, ref['name'] as string);
  const v = obj === undefined ? undefined : entries(kind, obj).get(ref['key'] as string);
  if (v === undefined && ref['optional'] !== true) {
    throw new PodSetupError(
      'CreateContainerConfigError',
      `${kind} ${ns}/${ref['name']} key ${ref['key']} not found`,
    );
  }
  return v?.toString('utf8');
}

/** Build the container environment in kubelet order. */
export async function buildEnv(c: EnvContext): Promise<Map<string, string>> {
  const ns = c.pod['metadata'].namespace as string;
  const vars = new Map<string, string>(Object.entries(c.base));
  for (const from of (c.container['envFrom'] ?? []) as Json[]) {
    const kind = from['secretRef'] !== undefined ? 'secrets' : 'configmaps';
    const ref = (from['secretRef'] ?? from['configMapRef']) as Json;
    const obj = await readSource(c.api, ns, kind, ref['name'] as string);
    if (obj === undefined) {
      if (ref['optional'] === true) continue;
      throw new PodSetupError('CreateContainerConfigError', `${kind} ${ns}/${ref['name']} not found`);
    }
    for (const [k, v] of entries(kind, obj))
      vars.set(`${(from['prefix'] as string | undefined) ?? ''}${k}`, v.toString('utf8'));
  }
  for (const e of (c.container['env'] ?? []) as Json[]) {
    const name = e['name'] as string;
    const vf = e['valueFrom'] as Json | undefined;
    let value: string | undefined;
    if (vf === undefined) value = expand((e['value'] as string | undefined) ?? '', vars);
    else if (vf['fieldRef'] !== undefined)
      value = fieldValue(c.pod, vf['fieldRef'].fieldPath as string, c.podIP);
    else if (vf['configMapKeyRef'] !== undefined)
      value = await keyRef(c.api, ns, 'configmaps', vf['configMapKeyRef'] as Json);
    else if (vf['secretKeyRef'] !== undefined)
      value = await keyRef(c.api, ns, 'secrets', vf['secretKeyRef'] as Json);
    else if (vf['resourceFieldRef'] !== undefined)
      value = resourceValue(c.container, vf['resourceFieldRef'] as Json);
    if (value !== undefined) vars.set(name, value);
  }
  return vars;
}
