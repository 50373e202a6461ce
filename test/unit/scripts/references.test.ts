// The reference check of `npm run check:drift`: each rule fires on what a clone cannot follow and stays quiet
// on what it can.
import t from 'tap';
import { findReferenceProblems, headingNumbers } from '../../../scripts/lib/references.js';

const files: Record<string, string> = {
  'docs/design/node.md': '# Node\n## 4. Commands\n### 4.2 Servers\nSee §4.\n',
  'docs/a/x.md': '# one\n',
  'docs/b/x.md': '# two\n',
  'README.md': '# readme\n',
  'src/ok.ts': [
    '// (docs/design/node.md §4.2, §4) and README.md',
    "const url = 'https://example.invalid/spec.md';",
    '// node.md §4.2 names the one node.md of the repository',
  ].join('\n'),
};

function problems(path: string, text: string): string[] {
  const all = { ...files, [path]: text };
  const view = { paths: new Set(Object.keys(all)), read: (p: string) => all[p] };
  return findReferenceProblems(view, [path]).map((p) => `${p.line}: ${p.message}`);
}

t.test('headings declare section numbers with or without a trailing dot', async (t) => {
  t.same([...headingNumbers('## 4. A\n### 4.2 B\ntext 5.1\n#### 10.3.1 C\n')], ['4', '4.2', '10.3.1']);
});

t.test('citations, URLs and in-repo names pass', async (t) => {
  t.same(problems('src/ok.ts', files['src/ok.ts'] ?? ''), []);
  t.same(problems('docs/design/node.md', files['docs/design/node.md'] ?? ''), []);
});

t.test('each kind of unfollowable reference is reported with its line', async (t) => {
  t.same(problems('src/a.ts', '// ok\n// see operator.md §7.1'), [
    '2: refers to operator.md, which the repository does not contain',
  ]);
  t.same(problems('src/a.ts', '// docs/design/node.md §9.9'), ['1: docs/design/node.md has no section 9.9']);
  t.same(problems('src/a.ts', '// the flow of §5'), ['1: §5 does not say which document it cites']);
  t.same(problems('test/a.ts', "join(root, '../../shared/spec/vectors')"), [
    '1: names a location outside the repository (\\bshared\\/spec\\b)',
    '1: path ../../shared leaves the repository',
  ]);
  t.same(problems('src/a.ts', "const dir = '/work/main';"), [
    '1: names a location outside the repository ((^|[\\s\'"`(])\\/work\\/)',
  ]);
  t.same(problems('src/a.ts', 'x.md is ambiguous'), [
    '1: refers to x.md, which the repository does not contain',
  ]);
});

t.test('markdown links must reach a file inside the repository; code spans are not links', async (t) => {
  t.same(
    problems('docs/guide.md', '[a](design/node.md#4-commands) [b](a/x.md) [d](design/) `[c](nowhere)`'),
    [],
  );
  t.same(problems('docs/guide.md', '[a](missing.md) [b](../../outside.txt)'), [
    '1: path ../../outside.txt leaves the repository',
    '1: refers to missing.md, which the repository does not contain',
    '1: link missing.md points at a missing file',
    '1: link ../../outside.txt leaves the repository',
  ]);
});
