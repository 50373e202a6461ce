import t from 'tap';
import { parse, stringify } from 'yaml';
import { RenderInputError } from '../../../src/render/errors.js';
import { renderAll } from '../../../src/render/index.js';
import { PASSWORD, allCrs, crFromSample, inputsFor } from './helpers.js';

const kindsAndNames = (objects: ReturnType<typeof renderAll>): string[] =>
  objects.map((o) => `${o.kind}/${o.metadata.name}`);

t.test('renderAll returns the children in apply order for each ledger mode', async (t) => {
  const embedded = crFromSample('embedded');
  t.same(kindsAndNames(renderAll(embedded, inputsFor(embedded))), [
    'Service/master',
    'Service/master-headless',
    'NetworkPolicy/master',
    'ConfigMap/master-config',
    'StatefulSet/master',
  ]);
  const managed = crFromSample('managed');
  t.same(kindsAndNames(renderAll(managed, inputsFor(managed))), [
    'Service/master-managed-ledger',
    'Service/master-managed-ledger-headless',
    'StatefulSet/master-managed-ledger',
    'Service/master-managed',
    'Service/master-managed-headless',
    'NetworkPolicy/master-managed',
    'ConfigMap/master-managed-config',
    'StatefulSet/master-managed',
  ]);
  t.throws(() => renderAll(managed, { ...inputsFor(managed), images: { node: 'n' } }), RenderInputError);
});

t.test('every child: namespace, managed-by label, one controller owner reference, no secret', async (t) => {
  for (const { file, cr } of allCrs()) {
    const objects = renderAll(cr, inputsFor(cr));
    const text = JSON.stringify(objects);
    t.notMatch(text, PASSWORD, `${file}: no password anywhere`);
    t.notMatch(text, /"kind":"Secret"/, `${file}: no Secret in renderAll`);
    for (const o of objects) {
      t.equal(o.metadata.namespace, 'anylog', `${file} ${o.kind}: namespace`);
      t.equal(o.metadata.labels?.['app.kubernetes.io/managed-by'], 'anylog-operator');
      const refs = o.metadata.ownerReferences ?? [];
      t.equal(refs.length, 1, `${file} ${o.kind}/${o.metadata.name}: one owner reference`);
      t.match(refs[0], {
        kind: 'AnyLogMaster',
        name: cr.metadata.name,
        uid: cr.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      });
    }
  }
});

t.test('renderAll is deterministic and round-trips through YAML', async (t) => {
  for (const { file, cr } of allCrs()) {
    const a = renderAll(cr, inputsFor(cr));
    t.same(renderAll(cr, inputsFor(cr)), a, `${file}: equal`);
    t.same(parse(stringify(a)), JSON.parse(JSON.stringify(a)), `${file}: plain data`);
  }
});
