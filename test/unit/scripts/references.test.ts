// The reference check of `npm run check:drift`: each rule fires on what a clone cannot follow and stays quiet
// on what it can. Section marks and outside paths are built from parts (`S`, `UP`) so that a search of the
// repository for cited sections or outside paths finds real uses only, not these test inputs.
import t from 'tap';
import { findReferenceProblems, headingNumbers } from '../../../scripts/lib/references.js';

const S = '\u00a7';
const UP = '../../' + 'shared';

const files: Record<string, string> = {
  'docs/design/node.md': `# Node\n## 4. Commands\n### 4.2 Servers\nSee ${S}4.\n`,
  'docs/a/x.md': '# one\n',
  'docs/b/x.md': '# two\n',
  'README.md': '# readme\n',
  'src/ok.ts': [
    '// the commands of docs/design/node.md and README.md',
    "const url = 'https://example.invalid/spec.md';",
    '// node.md names the one node.md of the repository',
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

t.test("document names, URLs and a document's own sections pass", async (t) => {
  t.same(problems('src/ok.ts', files['src/ok.ts'] ?? ''), []);
  t.same(problems('docs/design/node.md', files['docs/design/node.md'] ?? ''), []);
  t.same(problems('docs/guide.md', '[servers](design/node.md#42-servers)'), []);
});

t.test('each kind of unfollowable reference is reported with its line', async (t) => {
  t.same(problems('src/a.ts', '// ok\n// see operator.md'), [
    '2: refers to operator.md, which the repository does not contain',
  ]);
  t.same(problems('docs/design/node.md', `# Node\n## 4. Commands\nSee ${S}9.9.\n`), [
    '3: docs/design/node.md has no section 9.9',
  ]);
  t.same(problems('test/a.ts', `join(root, '${UP}/spec/vectors')`), [
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

t.test("code, tests and fixtures cite no section; documents link to another one's heading", async (t) => {
  t.same(problems('src/a.ts', `// (docs/design/node.md ${S}4.2, ${S}4)`), [
    '1: ' + S + '4.2: say here what the reader needs instead of citing a section',
    '1: ' + S + '4: say here what the reader needs instead of citing a section',
  ]);
  t.same(problems('src/a.ts', `// the flow of ${S}5`), [
    '1: ' + S + '5: say here what the reader needs instead of citing a section',
  ]);
  t.same(problems('test/fixtures/a.json', `{"about": "the frames of ${S}6.2"}`), [
    '1: ' + S + '6.2: say here what the reader needs instead of citing a section',
  ]);
  t.same(problems('docs/guide.md', `as design/node.md ${S}4.2 says`), [
    '1: design/node.md ' + S + "4.2: link to the heading instead of citing another document's section",
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
