// Step 3 (steps/validate.ts): a stored object becomes the typed CR and its resolved spec, or
// Stalled/InvalidSpec naming every problem; wantsCleanup reads deletionPolicy even from an invalid spec.
import t from 'tap';
import type { AnyLogMaster } from '../../../../src/api/types.js';
import type { KubeObject } from '../../../../src/operator/framework/kube.js';
import { validateObject, wantsCleanup } from '../../../../src/operator/anylogmaster/steps/validate.js';
import { crFromFixture } from '../../render/helpers.js';

const cr = crFromFixture('minimal.yaml');
const asObject = (o: AnyLogMaster | Record<string, unknown>): KubeObject => o as unknown as KubeObject;

function stalledOf(object: KubeObject): { reason: string; message: string } {
  const result = validateObject(object);
  if (result.ok) throw new Error('expected the object to be invalid');
  return result.stalled;
}

t.test('a valid object yields the CR without status and the resolved spec', async (t) => {
  const object = asObject({
    ...cr,
    metadata: { ...cr.metadata, generation: 7, labels: { team: 'a' }, resourceVersion: '12' },
    status: { phase: 'Running', conditions: 'not a list' },
  });
  const result = validateObject(object);
  if (!result.ok) throw new Error(result.stalled.message);
  t.strictSame(Object.keys(result.cr).sort(), ['apiVersion', 'kind', 'metadata', 'spec']);
  t.equal(result.cr.apiVersion, 'anylog.co/v1alpha1');
  t.equal(result.cr.kind, 'AnyLogMaster');
  t.strictSame(result.cr.metadata, {
    name: 'minimal',
    namespace: 'anylog',
    uid: 'uid-minimal',
    generation: 7,
    labels: { team: 'a' },
    resourceVersion: '12',
  });
  t.equal(result.cr.spec.nodeName, 'anylog-master');
  t.equal(result.cr.spec.network?.restPort, 32049, 'the CR carries the defaulted spec');
  t.equal(result.spec.ledger.mode, 'Embedded');
  t.equal(result.spec.network.tcpPort, 32048);
  t.equal(result.spec.progressDeadlineSeconds, 600);
  t.equal(object['status'] === undefined, false, 'the input is not modified');
});

t.test('an invalid spec is InvalidSpec listing every problem', async (t) => {
  const stalled = stalledOf(
    asObject({ ...cr, spec: { company: 'New Company', network: { restPort: 'x' } } }),
  );
  t.equal(stalled.reason, 'InvalidSpec');
  t.match(stalled.message, /nodeName/);
  t.match(stalled.message, /restPort/);
  t.match(stalled.message, /; /, 'problems are joined');
});

t.test('a wrong kind or a missing spec is InvalidSpec', async (t) => {
  t.equal(stalledOf(asObject({ ...cr, kind: 'Other' })).reason, 'InvalidSpec');
  const { spec: _spec, ...noSpec } = cr;
  t.equal(stalledOf(asObject(noSpec)).reason, 'InvalidSpec');
});

t.test('namespace and uid are both required', async (t) => {
  const { namespace: _ns, ...noNamespace } = cr.metadata;
  const { uid: _uid, ...noUid } = cr.metadata;
  for (const metadata of [noNamespace, noUid]) {
    const stalled = stalledOf(asObject({ ...cr, metadata }));
    t.equal(stalled.reason, 'InvalidSpec');
    t.equal(stalled.message, 'metadata.namespace and metadata.uid are required');
  }
});

t.test('wantsCleanup is true only for deletionPolicy Delete', async (t) => {
  const withSpec = (spec: unknown): KubeObject => asObject({ ...cr, spec });
  t.equal(wantsCleanup(withSpec({ ...cr.spec, deletionPolicy: 'Delete' })), true);
  t.equal(wantsCleanup(withSpec({ deletionPolicy: 'Delete' })), true, 'read even from an invalid spec');
  t.equal(wantsCleanup(withSpec({ ...cr.spec, deletionPolicy: 'Retain' })), false);
  t.equal(wantsCleanup(withSpec(cr.spec)), false, 'the default keeps the data');
  t.equal(wantsCleanup(withSpec({ deletionPolicy: 'delete' })), false);
  t.equal(wantsCleanup(withSpec(undefined)), false);
  t.equal(wantsCleanup(withSpec('Delete')), false);
  t.equal(wantsCleanup(withSpec([{ deletionPolicy: 'Delete' }])), false);
});
