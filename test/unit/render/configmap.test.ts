import t from 'tap';
import {
  renderConfigMap,
  renderNodeEnvironment,
  FORBIDDEN_CONFIG_KEYS,
} from '../../../src/render/configmap.js';
import { RenderInputError } from '../../../src/render/errors.js';
import { PASSWORD, allCrs, crFromFixture, crFromSample, inputsFor } from './helpers.js';

t.test('ConfigMap environment for the embedded sample', async (t) => {
  const cr = crFromSample('embedded');
  const cm = renderConfigMap(cr, inputsFor(cr));
  t.equal(cm.metadata.name, 'master-config');
  t.equal(cm.metadata.namespace, 'anylog');
  const { ['master.al']: script, ...env } = cm.data;
  t.ok(script?.includes('run blockchain sync'));
  t.same(env, {
    ANYLOG_PATH: '/app',
    ANYLOG_REST_PORT: '32049',
    ANYLOG_SERVER_PORT: '32048',
    BLOCKCHAIN_SYNC: '30 seconds',
    CITY: 'Unknown',
    COMPANY_NAME: 'New Company',
    COUNTRY: 'Unknown',
    DB_TYPE: 'sqlite',
    EXTERNAL_IP: '10.96.12.7',
    IS_HIDDEN: 'true',
    LOCATION: '0.0, 0.0',
    NODE_NAME: 'anylog-master',
    NODE_TYPE: 'master',
    OVERLAY_NETWORK: 'false',
    REST_BIND: 'false',
    REST_THREADS: '6',
    REST_TIMEOUT: '30',
    STATE: 'Unknown',
    TCP_BIND: 'false',
    TCP_THREADS: '6',
  });
  t.same(Object.keys(cm.data), Object.keys(cm.data).sort(), 'keys sorted');
});

t.test('psql modes render the ledger endpoint, never credentials', async (t) => {
  const ext = crFromSample('external');
  const env = renderNodeEnvironment(ext, inputsFor(ext));
  t.match(env, {
    DB_TYPE: 'psql',
    DB_IP: 'pg.example.internal',
    DB_PORT: '5432',
    DB_NAME: 'blockchain',
    DB_SSLMODE: 'require',
  });
  t.match(env, { LOCATION: '52.52, 13.40', COUNTRY: 'Germany', STATE: 'Berlin', CITY: 'Berlin' });
  const managed = crFromSample('managed');
  const menv = renderNodeEnvironment(managed, inputsFor(managed));
  t.match(menv, {
    DB_TYPE: 'psql',
    DB_IP: 'master-managed-ledger.anylog.svc',
    DB_PORT: '5432',
    DB_NAME: 'blockchain',
    DB_SSLMODE: 'disable',
  });
  t.equal(menv['BLOCKCHAIN_SYNC'], '15 seconds');
  t.throws(
    () => renderNodeEnvironment(ext, { ...inputsFor(ext), ledger: undefined } as never),
    RenderInputError,
  );
});

t.test('Overlay mode binds TCP and sets OVERLAY_IP; other modes leave it out', async (t) => {
  const overlay = crFromFixture('overlay.yaml');
  const env = renderNodeEnvironment(overlay, inputsFor(overlay, { advertisedAddress: '10.8.0.5' }));
  t.match(env, {
    TCP_BIND: 'true',
    OVERLAY_NETWORK: 'true',
    OVERLAY_IP: '10.8.0.5',
    EXTERNAL_IP: '10.8.0.5',
    COMPANY_NAME: 'Acme & Sons (EU), Ltd.',
  });
  const plain = crFromFixture('minimal.yaml');
  t.notOk('OVERLAY_IP' in renderNodeEnvironment(plain, inputsFor(plain)));
});

t.test('no ConfigMap holds a secret value or a forbidden key', async (t) => {
  for (const { file, cr } of allCrs()) {
    const cm = renderConfigMap(cr, inputsFor(cr));
    for (const key of FORBIDDEN_CONFIG_KEYS) t.notOk(key in cm.data, `${file}: no ${key}`);
    const text = JSON.stringify(cm);
    t.notMatch(text, PASSWORD, `${file}: password absent`);
    t.notMatch(
      text,
      /LICENSE|SYNC_TIME|BLOCKCHAIN_DESTINATION/,
      `${file}: no upstream secrets or legacy keys`,
    );
    for (const value of Object.values(cm.data)) t.type(value, 'string');
  }
});

t.test('the ConfigMap is deterministic', async (t) => {
  const cr = crFromSample('managed');
  t.equal(
    JSON.stringify(renderConfigMap(cr, inputsFor(cr))),
    JSON.stringify(renderConfigMap(cr, inputsFor(cr))),
  );
});
