// Step 4 (steps/ledger.ts reconcileLedger) per ledger mode: Embedded is ready at once; External reads the
// node (and admin) Secret before provisioning and maps failures to LedgerReady and Stalled/Reconciling,
// keeping createdByOperator from status; Managed hands over to the managed step.
import t from 'tap';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { EMPTY_STATUS } from '../../../../src/operator/anylogmaster/observed-status.js';
import { SECRETS } from '../../../../src/operator/anylogmaster/resources.js';
import { reconcileLedger } from '../../../../src/operator/anylogmaster/steps/ledger.js';
import { freePort } from '../../../helpers/ports.js';
import { startFakePostgres } from './fixtures/fake-postgres.js';
import { crFromFixture, crFromSample } from '../../render/helpers.js';
import { serverError } from './fixtures/fake-kube.js';
import { passFor } from './fixtures/pass-env.js';

const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
const NODE_PASSWORD = 'n0de-Pa55word-never-logged';
const ADMIN_PASSWORD = 'adm1n-Pa55word-never-logged';

function secret(namespace: string, name: string, data: Record<string, string>): KubeObject {
  return { apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace }, data };
}

/** The external sample (admin Secret pg-admin) pointed at `host:port` without TLS. */
function external(host: string, port: number, withAdmin = true): AnyLogMaster {
  const cr = crFromSample('external');
  const ext = cr.spec.ledger?.external;
  if (ext === undefined) throw new Error('the external sample has no external ledger');
  const { adminCredentialsSecretRef, ...rest } = ext;
  return {
    ...cr,
    spec: {
      ...cr.spec,
      ledger: {
        external: {
          ...rest,
          host,
          port,
          sslMode: 'disable',
          ...(withAdmin && adminCredentialsSecretRef !== undefined ? { adminCredentialsSecretRef } : {}),
        },
      },
    },
  };
}

const nodeSecret = (cr: AnyLogMaster): KubeObject =>
  secret(cr.metadata.namespace, 'anylog-ledger', { username: b64('anylog'), password: b64(NODE_PASSWORD) });
const adminSecret = (cr: AnyLogMaster): KubeObject =>
  secret(cr.metadata.namespace, 'pg-admin', { username: b64('postgres'), password: b64(ADMIN_PASSWORD) });

t.test('Embedded is ready without touching the API', async (t) => {
  const p = passFor(crFromFixture('minimal.yaml'));
  const r = await reconcileLedger(p.env);
  t.strictSame(r, {
    outcome: { status: 'True', reason: 'Embedded', message: 'SQLite on the node volume' },
    status: { mode: 'Embedded' },
    ready: true,
  });
  t.equal(p.kube.calls.length, 0);
});

t.test('External: a missing node Secret stalls before any connection', async (t) => {
  const cr = external('10.20.30.40', 5433);
  const p = passFor(cr);
  const r = await reconcileLedger(p.env);
  t.strictSame(r.status, {
    mode: 'External',
    host: '10.20.30.40',
    port: 5433,
    database: 'blockchain',
    secretName: 'anylog-ledger',
    createdByOperator: { database: false, role: false },
  });
  t.equal(r.ready, false);
  t.equal(r.outcome.status, 'False');
  t.equal(r.outcome.reason, 'SecretNotFound');
  t.strictSame(r.stalled, { reason: 'SecretNotFound', message: r.outcome.message });
  t.match(r.outcome.message, 'anylog-ledger');
  t.equal(r.waiting, undefined);
  t.equal(r.render, undefined);
  t.equal(r.connection, undefined);
  t.strictSame(
    p.kube.callsOf('get', SECRETS).map((c) => c.ref),
    [{ namespace: cr.metadata.namespace, name: 'anylog-ledger' }],
    'the admin Secret is not read once the node Secret is missing',
  );
});

t.test('External: a missing admin Secret stalls with SecretNotFound naming it', async (t) => {
  const cr = external('10.20.30.40', 5433);
  const p = passFor(cr);
  p.kube.seed(SECRETS, nodeSecret(cr));
  const r = await reconcileLedger(p.env);
  t.equal(r.outcome.reason, 'SecretNotFound');
  t.strictSame(r.stalled, { reason: 'SecretNotFound', message: r.outcome.message });
  t.match(r.outcome.message, /Secret pg-admin not found/);
  t.strictSame(
    p.kube.callsOf('get', SECRETS).map((c) => c.ref.name),
    ['anylog-ledger', 'pg-admin'],
  );
});

t.test('External: a refused connection waits for the ledger and keeps createdByOperator', async (t) => {
  const port = await freePort();
  for (const withAdmin of [true, false]) {
    const cr = external('127.0.0.1', port, withAdmin);
    for (const created of [
      { database: true, role: false },
      { database: false, role: true },
    ]) {
      const p = passFor(cr, {
        status: { ...EMPTY_STATUS, ledger: { mode: 'External', createdByOperator: created } },
      });
      p.kube.seed(SECRETS, nodeSecret(cr));
      p.kube.seed(SECRETS, adminSecret(cr));
      const r = await reconcileLedger(p.env);
      const what = `admin ${String(withAdmin)}, created ${JSON.stringify(created)}`;
      t.equal(r.ready, false, what);
      t.equal(r.outcome.status, 'False', what);
      t.equal(r.outcome.reason, 'LedgerUnreachable', what);
      t.match(r.outcome.message, `127.0.0.1:${String(port)}`, what);
      t.strictSame(r.waiting, { reason: 'WaitingForLedger', message: r.outcome.message }, what);
      t.equal(r.stalled, undefined, what);
      t.strictSame(
        r.status,
        {
          mode: 'External',
          host: '127.0.0.1',
          port,
          database: 'blockchain',
          secretName: 'anylog-ledger',
          createdByOperator: created,
        },
        what,
      );
      t.strictSame(
        p.kube.callsOf('get', SECRETS).map((c) => c.ref.name),
        withAdmin ? ['anylog-ledger', 'pg-admin'] : ['anylog-ledger'],
        what,
      );
      const text = JSON.stringify({ r, log: p.log.lines, events: p.events });
      t.notMatch(text, NODE_PASSWORD, `${what}: no node password`);
      t.notMatch(text, ADMIN_PASSWORD, `${what}: no admin password`);
    }
  }
});

t.test('External: an API failure reading the Secret propagates', async (t) => {
  const cr = external('10.20.30.40', 5433);
  const p = passFor(cr);
  const failure = serverError();
  p.kube.failNext('get', failure, SECRETS);
  await t.rejects(reconcileLedger(p.env), failure);
});

t.test('Managed is handed to the managed step', async (t) => {
  const cr = crFromSample('managed');
  const p = passFor(cr);
  const r = await reconcileLedger(p.env);
  t.equal(r.status.mode, 'Managed');
  t.equal(r.waiting?.reason, 'WaitingForLedger');
  t.equal(p.kube.callsOf('createIfAbsent', SECRETS).length, 1);
});

t.test('External: a provisioned ledger is ready with render inputs and both credentials', async (t) => {
  const pg = await startFakePostgres('127.0.0.1');
  t.teardown(() => pg.close());
  const base = external('127.0.0.1', pg.port);
  const ext = base.spec.ledger?.external;
  if (ext === undefined) throw new Error('no external ledger');
  const cr: AnyLogMaster = {
    ...base,
    spec: {
      ...base.spec,
      ledger: {
        external: {
          ...ext,
          credentialsSecretRef: { name: 'anylog-ledger', usernameKey: 'user', passwordKey: 'pass' },
        },
      },
    },
  };
  const p = passFor(cr, {
    status: {
      ...EMPTY_STATUS,
      ledger: { mode: 'External', createdByOperator: { database: true, role: false } },
    },
  });
  const node = p.kube.seed(
    SECRETS,
    secret(cr.metadata.namespace, 'anylog-ledger', { user: b64('anylog'), pass: b64(NODE_PASSWORD) }),
  );
  p.kube.seed(SECRETS, adminSecret(cr));
  const r = await reconcileLedger(p.env);
  const endpoint = { host: '127.0.0.1', port: pg.port, database: 'blockchain', sslMode: 'disable' };
  t.equal(r.ready, true);
  t.strictSame(r.outcome, {
    status: 'True',
    reason: 'Provisioned',
    message: `table ledger ready in 127.0.0.1:${String(pg.port)}/blockchain`,
  });
  t.equal(r.waiting, undefined);
  t.equal(r.stalled, undefined);
  t.strictSame(r.status, {
    mode: 'External',
    host: '127.0.0.1',
    port: pg.port,
    database: 'blockchain',
    secretName: 'anylog-ledger',
    createdByOperator: { database: true, role: false },
  });
  t.strictSame(r.render, {
    endpoint,
    credentials: {
      secretName: 'anylog-ledger',
      usernameKey: 'user',
      passwordKey: 'pass',
      resourceVersion: node.metadata.resourceVersion,
    },
  });
  t.strictSame(r.connection, {
    endpoint,
    nodeCredentials: { username: 'anylog', password: NODE_PASSWORD },
    adminCredentials: { username: 'postgres', password: ADMIN_PASSWORD },
  });
  t.ok(pg.logins.length > 0);
  for (const login of pg.logins) {
    t.strictSame(
      login,
      login.user === 'postgres'
        ? { user: 'postgres', database: 'postgres', password: ADMIN_PASSWORD }
        : { user: 'anylog', database: 'blockchain', password: NODE_PASSWORD },
    );
  }
  t.ok(
    pg.logins.some((l) => l.user === 'postgres'),
    'the admin observes the catalogs',
  );
  const text = JSON.stringify({ status: r.status, outcome: r.outcome, log: p.log.lines, events: p.events });
  t.notMatch(text, NODE_PASSWORD);
  t.notMatch(text, ADMIN_PASSWORD);
});

t.test('External without admin Secret: provisioned as the node role only', async (t) => {
  const pg = await startFakePostgres('127.0.0.1');
  t.teardown(() => pg.close());
  const cr = external('127.0.0.1', pg.port, false);
  const p = passFor(cr);
  p.kube.seed(SECRETS, nodeSecret(cr));
  const r = await reconcileLedger(p.env);
  t.equal(r.outcome.reason, 'Provisioned');
  t.equal(r.ready, true);
  t.equal(r.connection?.adminCredentials, undefined);
  t.match(r.status, { createdByOperator: { database: false, role: false } });
  t.strictSame(new Set(pg.logins.map((l) => l.user)), new Set(['anylog']));
});

t.test('External: createdByOperator adds what this pass created to what status recorded', async (t) => {
  const cases = [
    { before: { database: false, role: false }, missing: {}, after: { database: false, role: false } },
    { before: { database: false, role: true }, missing: {}, after: { database: false, role: true } },
    {
      before: { database: false, role: false },
      missing: { roleMissing: true },
      after: { database: false, role: true },
    },
    {
      before: { database: false, role: false },
      missing: { databaseMissing: true },
      after: { database: true, role: false },
    },
    {
      before: { database: true, role: false },
      missing: { roleMissing: true, databaseMissing: true },
      after: { database: true, role: true },
    },
  ];
  for (const c of cases) {
    const pg = await startFakePostgres('127.0.0.1', c.missing);
    try {
      const cr = external('127.0.0.1', pg.port);
      const p = passFor(cr, {
        status: { ...EMPTY_STATUS, ledger: { mode: 'External', createdByOperator: c.before } },
      });
      p.kube.seed(SECRETS, nodeSecret(cr));
      p.kube.seed(SECRETS, adminSecret(cr));
      const r = await reconcileLedger(p.env);
      const what = JSON.stringify(c);
      t.equal(r.outcome.reason, 'Provisioned', what);
      t.strictSame(r.status.createdByOperator, c.after, what);
      t.equal(
        pg.queries.some((q) => q.startsWith('CREATE ROLE ')),
        'roleMissing' in c.missing,
        `${what}: CREATE ROLE only when the role is missing`,
      );
    } finally {
      await pg.close();
    }
  }
});
