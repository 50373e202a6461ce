// `helm test` of the anylog-operator chart, run with the node binary of the operator image. Two checks,
// each retried until TIMEOUT_SECONDS have passed: the operator answers 200 on its readiness endpoint
// through a Service (READY_URL), and the API server lists AnyLogMasters for this pod's ServiceAccount
// (API_PATH), which it only does while the CRD is served. Exits 1 naming every check that failed.
import { readFile } from 'node:fs/promises';

const env = process.env;
const timeoutMs = Number(env.TIMEOUT_SECONDS ?? '60') * 1000;
const attemptMs = 5000;
const saDir = env.SERVICEACCOUNT_DIR ?? '/var/run/secrets/kubernetes.io/serviceaccount';

function apiServer() {
  if (env.API_SERVER) return env.API_SERVER;
  const host = env.KUBERNETES_SERVICE_HOST ?? '';
  const port = env.KUBERNETES_SERVICE_PORT ?? '443';
  if (host === '') throw new Error('KUBERNETES_SERVICE_HOST is not set');
  return `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
}

/** An error's message with its cause (fetch reports "fetch failed" and puts the reason in the cause). */
function describe(err) {
  if (!(err instanceof Error)) return String(err);
  return err.cause instanceof Error ? `${err.message} (${err.cause.message})` : err.message;
}

/** Runs one attempt after another until one returns undefined (passed) or the time is up. */
async function retry(name, attempt) {
  const deadline = Date.now() + timeoutMs;
  let problem = 'no attempt';
  for (;;) {
    try {
      problem = await attempt();
    } catch (err) {
      problem = describe(err);
    }
    if (problem === undefined) {
      console.log(`PASS ${name}`);
      return true;
    }
    if (Date.now() + 1000 > deadline) {
      console.error(`FAIL ${name}: ${problem}`);
      return false;
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

async function ready() {
  const url = env.READY_URL ?? '';
  if (url === '') return 'READY_URL is not set';
  const res = await fetch(url, { signal: AbortSignal.timeout(attemptMs) });
  const body = (await res.text()).trim().slice(0, 200);
  return res.status === 200 ? undefined : `GET ${url}: HTTP ${res.status} ${body}`;
}

async function served() {
  const path = env.API_PATH ?? '';
  if (path === '') return 'API_PATH is not set';
  const token = (await readFile(`${saDir}/token`, 'utf8')).trim();
  const url = `${apiServer()}${path}?limit=1`;
  const res = await fetch(url, {
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
    signal: AbortSignal.timeout(attemptMs),
  });
  const text = await res.text();
  if (res.status !== 200) return `GET ${path}: HTTP ${res.status} ${text.trim().slice(0, 200)}`;
  const kind = JSON.parse(text).kind;
  return kind === 'AnyLogMasterList' ? undefined : `GET ${path}: a ${kind}, not an AnyLogMasterList`;
}

const results = await Promise.all([
  retry('the operator is ready (readiness endpoint through its Service)', ready),
  retry('the API server serves AnyLogMasters', served),
]);
process.exitCode = results.every(Boolean) ? 0 : 1;
