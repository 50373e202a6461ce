// The Argo CD health check: every fixture in test/fixtures/argocd/ is converted into a
// Lua table literal, charts/anylog-operator/argocd/health.lua runs on it under Debian's lua5.4 (installed
// by scripts/setup.sh), and the returned status and message must equal the fixture's expectation.
// A missing lua5.4 fails the suite; it never skips.
import t from 'tap';
import { execFile } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../controlplane/src/paths.js';

const fixtures = join(repoRoot, 'test', 'fixtures', 'argocd');
const healthLua = readFileSync(join(repoRoot, 'charts', 'anylog-operator', 'argocd', 'health.lua'), 'utf8');

interface Fixture {
  readonly description: string;
  readonly object: unknown;
  readonly expected: { readonly status: string; readonly message: string };
}

/** A JSON value as a Lua literal: objects become tables with string keys, arrays 1-based sequences. */
function toLua(v: unknown): string {
  if (v === null || v === undefined) return 'nil';
  if (typeof v === 'string') return luaString(v);
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) throw new Error(`not a JSON number: ${v}`);
    return String(v);
  }
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `{${v.map(toLua).join(', ')}}`;
  if (typeof v === 'object') {
    const fields = Object.entries(v as Record<string, unknown>)
      .filter(([, x]) => x !== null && x !== undefined)
      .map(([k, x]) => `[${luaString(k)}] = ${toLua(x)}`);
    return `{${fields.join(', ')}}`;
  }
  throw new Error(`cannot convert ${typeof v} to Lua`);
}

function luaString(s: string): string {
  // Decimal escapes for every byte outside printable ASCII, and for quotes and backslashes.
  let out = '"';
  for (const b of Buffer.from(s, 'utf8')) {
    out += b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c ? String.fromCharCode(b) : `\\${b}`;
  }
  return `${out}"`;
}

/** Runs the health check on obj; the result comes back as two lines: status, then message. */
async function assess(obj: unknown): Promise<{ status: string; message: string }> {
  const program =
    `local obj = ${toLua(obj)}\n` +
    `local function check()\n${healthLua}\nend\n` +
    `local hs = check()\n` +
    `io.write(hs.status, "\\n", hs.message, "\\n")\n`;
  return new Promise((resolve, reject) => {
    const child = execFile('lua5.4', ['-'], { timeout: 10_000 }, (err, stdout, stderr) => {
      if (err !== null) {
        reject(new Error(`lua5.4 failed (is it installed? bash scripts/setup.sh): ${err.message} ${stderr}`));
        return;
      }
      const [status = '', message = ''] = stdout.split('\n');
      resolve({ status, message });
    });
    child.stdin?.end(program);
  });
}

const files = readdirSync(fixtures)
  .filter((f) => f.endsWith('.json'))
  .sort();

t.test('fixture set covers every health outcome', async (t) => {
  const statuses = new Set(
    files.map((f) => (JSON.parse(readFileSync(join(fixtures, f), 'utf8')) as Fixture).expected.status),
  );
  t.same([...statuses].sort(), ['Degraded', 'Healthy', 'Progressing']);
  t.ok(files.length >= 8, `${files.length} fixtures`);
});

for (const f of files) {
  t.test(f, async (t) => {
    const fx = JSON.parse(readFileSync(join(fixtures, f), 'utf8')) as Fixture;
    t.same(await assess(fx.object), fx.expected, fx.description);
  });
}

t.test('Lua literal conversion escapes quotes, backslashes and non-ASCII', async (t) => {
  const obj = { metadata: { generation: 1 }, status: { conditions: [] }, n: 'a"b\\c\né' };
  t.equal(toLua(obj.n), '"a\\34b\\92c\\10\\195\\169"');
  const lua =
    `local v = ${toLua({ s: 'a"b\\c\né', list: [1, 2, 3], flag: false, none: null })}\n` +
    'io.write(v.s, "|", #v.list, "|", tostring(v.flag), "|", tostring(v.none))';
  const out = await new Promise<string>((resolve, reject) => {
    const child = execFile('lua5.4', ['-'], { timeout: 10_000 }, (err, stdout) =>
      err === null ? resolve(stdout) : reject(new Error(err.message)),
    );
    child.stdin?.end(lua);
  });
  t.equal(out, 'a"b\\c\né|3|false|nil');
});

t.test('docs/argocd.md carries the same Lua as the chart', async (t) => {
  const doc = readFileSync(join(repoRoot, 'docs', 'argocd.md'), 'utf8');
  const m = /<!-- health\.lua:start -->\n+```lua\n([\s\S]*?)```\n+<!-- health\.lua:end -->/.exec(doc);
  t.ok(m, 'docs/argocd.md has the health.lua block');
  t.equal(m?.[1], healthLua, 'the block equals charts/anylog-operator/argocd/health.lua');
  t.match(doc, 'resource.customizations.health.anylog.co_AnyLogMaster');
});

t.test('a Ready=True condition for an older generation is not Healthy', async (t) => {
  const obj = {
    metadata: { generation: 2 },
    status: {
      observedGeneration: 2,
      conditions: [{ type: 'Ready', status: 'True', observedGeneration: 1, reason: 'Ready', message: 'ok' }],
    },
  };
  t.same(await assess(obj), { status: 'Progressing', message: 'Waiting for the operator' });
});
