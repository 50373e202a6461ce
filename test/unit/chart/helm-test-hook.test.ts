// The `helm test` hook as rendered: every object a test hook, made before the pod and removed after a
// pass; the pod runs the chart's files/helm-test.mjs with node from the operator image under a
// ServiceAccount that may only list AnyLogMasters in the release namespace, and reaches the readiness
// endpoint through a Service of the operator pods; nothing of the test is selected as an operator pod.
import t from 'tap';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chartDir, isHook, NAMESPACE, only, render, RELEASE, type Obj } from '../../helpers/chart-render.js';

const NAME = `${RELEASE}-anylog-operator-test`;

t.test('the test hook objects', async (t) => {
  const objs = await render();
  const hooks = objs.filter(isHook);
  t.same(
    hooks.map((o) => o.kind).sort(),
    ['ConfigMap', 'Pod', 'Role', 'RoleBinding', 'Service', 'ServiceAccount'],
    'six test hooks',
  );
  for (const h of hooks) {
    const a = h.metadata.annotations;
    t.equal(a['helm.sh/hook'], 'test', `${h.kind} is a test hook`);
    t.equal(a['helm.sh/hook-delete-policy'], 'before-hook-creation,hook-succeeded', `${h.kind} cleaned up`);
    t.equal(a['helm.sh/hook-weight'], h.kind === 'Pod' ? '0' : '-10', `${h.kind} weight`);
    t.equal(h.metadata.name, NAME, `${h.kind} name`);
    t.equal(h.metadata.namespace, NAMESPACE, `${h.kind} namespace`);
    t.equal(h.metadata.labels['app.kubernetes.io/component'], 'test', `${h.kind} is labelled as the test`);
  }

  const selector = only(objs, 'Deployment').spec.selector.matchLabels;
  const pod = hooks.find((o) => o.kind === 'Pod');
  const selects = (labels: Record<string, string>): boolean =>
    Object.entries(selector).every(([k, v]) => labels[k] === v);
  t.notOk(selects(pod.metadata.labels), "the test pod does not carry the operator's selector labels");

  const role = hooks.find((o) => o.kind === 'Role');
  t.same(
    role.rules,
    [{ apiGroups: ['anylog.co'], resources: ['anylogmasters'], verbs: ['list'] }],
    'list only',
  );
  const binding = hooks.find((o) => o.kind === 'RoleBinding');
  t.same(binding.subjects, [{ kind: 'ServiceAccount', name: NAME, namespace: NAMESPACE }]);
  t.same(binding.roleRef, { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: NAME });

  const svc = hooks.find((o) => o.kind === 'Service');
  t.same(svc.spec.selector, selector, 'the Service selects the operator pods');
  t.same(svc.spec.ports, [{ name: 'health', port: 8081, targetPort: 'health', protocol: 'TCP' }]);

  const script = readFileSync(join(chartDir, 'files', 'helm-test.mjs'), 'utf8');
  const cm = hooks.find((o) => o.kind === 'ConfigMap');
  t.equal(cm.data['helm-test.mjs'], script, 'the ConfigMap carries files/helm-test.mjs unchanged');

  const spec = pod.spec;
  t.equal(spec.serviceAccountName, NAME);
  t.equal(spec.restartPolicy, 'Never');
  const c = spec.containers[0];
  t.equal(c.image, only(objs, 'Deployment').spec.template.spec.containers[0].image, 'the operator image');
  t.same(c.command, ['node', '/checks/helm-test.mjs']);
  const env = Object.fromEntries(c.env.map((e: Obj) => [e.name, e.value]));
  t.same(env, {
    READY_URL: `http://${NAME}.${NAMESPACE}.svc:8081/readyz`,
    API_PATH: `/apis/anylog.co/v1alpha1/namespaces/${NAMESPACE}/anylogmasters`,
    TIMEOUT_SECONDS: '60',
    NODE_EXTRA_CA_CERTS: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
  });
  t.same(
    c.securityContext,
    {
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    },
    'the restricted Pod Security profile',
  );
  t.equal(spec.securityContext.runAsNonRoot, true);
});

t.test('the health port and timeout follow the values', async (t) => {
  const objs = await render(['healthProbePort=9443', 'tests.timeoutSeconds=15']);
  const pod = objs.find((o) => isHook(o) && o.kind === 'Pod');
  const env = Object.fromEntries(pod.spec.containers[0].env.map((e: Obj) => [e.name, e.value]));
  t.equal(env['READY_URL'], `http://${NAME}.${NAMESPACE}.svc:9443/readyz`);
  t.equal(env['TIMEOUT_SECONDS'], '15');
  t.equal(objs.find((o) => isHook(o) && o.kind === 'Service').spec.ports[0].port, 9443);
});

t.test('no test hooks with tests.enabled=false or --skip-tests', async (t) => {
  t.equal((await render(['tests.enabled=false'])).filter(isHook).length, 0);
  t.equal((await render([], ['--skip-tests'])).filter(isHook).length, 0);
});
