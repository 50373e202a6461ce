// Finds references that a reader of a clone cannot follow: paths that leave the repository, names of
// documents the repository does not hold, section numbers cited outside a document's own text (code says
// what it needs; documents link to another document's heading), `§N` citations of a heading a document
// does not have, and markdown links to missing files. Pure: the caller supplies the files' text and the set of paths that exist.
import { posix } from 'node:path';

export interface RepoView {
  /** Repository-relative POSIX paths of every file (tracked or about to be). */
  readonly paths: ReadonlySet<string>;
  /** Text of a file, for the documents a citation points at. */
  readonly read: (path: string) => string | undefined;
}

export interface ReferenceProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

/**
 * Names that only exist beside a checkout on a development machine, never in a clone. Two are spelled in
 * parts so that a search of the repository for them finds real uses only, not this list.
 */
const OUTSIDE_MARKERS: readonly RegExp[] = [
  new RegExp(String.raw`\bshared\/spec\b`),
  new RegExp(String.raw`\b${['ANYLOG', 'SPEC', 'DIR'].join('_')}\b`),
  /(^|[\s'"`(])\/work\//,
];

// A document name: path segments ending in .md (no scheme, so URLs are skipped by the caller).
const MD_NAME = /(?<![\w/.:${}-])((?:\.{1,2}\/)*[\w.-]+(?:\/[\w.-]+)*\.md)\b/g;
const SECTION = /§\s?(\d+(?:\.\d+)*)/g;
const MD_LINK = /\]\(([^)\s]+)\)/g;
const URL = /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi;

/** Section numbers a markdown document declares in headings like `## 4. Title` or `### 4.2 Title`. */
export function headingNumbers(markdown: string): Set<string> {
  const found = new Set<string>();
  for (const m of markdown.matchAll(/^#{1,6}\s+(\d+(?:\.\d+)*)\.?\s/gm)) {
    if (m[1] !== undefined) found.add(m[1]);
  }
  return found;
}

function inside(path: string): boolean {
  return path !== '..' && !path.startsWith('../') && !posix.isAbsolute(path);
}

/**
 * Resolves a document name the way a reader would: beside the file, then from the repository root, then, for
 * a bare file name, the one file of the repository with that name.
 */
function resolveDoc(view: RepoView, file: string, name: string): string | undefined {
  const candidates = [posix.normalize(posix.join(posix.dirname(file), name)), posix.normalize(name)];
  const direct = candidates.find((c) => inside(c) && view.paths.has(c));
  if (direct !== undefined || name.includes('/')) return direct;
  const named = [...view.paths].filter((p) => posix.basename(p) === name);
  return named.length === 1 ? named[0] : undefined;
}

function checkLine(
  view: RepoView,
  file: string,
  text: string,
  lineNo: number,
  out: ReferenceProblem[],
): void {
  const report = (message: string): void => {
    out.push({ file, line: lineNo, message });
  };
  for (const marker of OUTSIDE_MARKERS) {
    if (marker.test(text)) report(`names a location outside the repository (${marker.source})`);
  }
  const line = text.replace(URL, ' ');
  for (const m of line.matchAll(/(?:\.\.\/)+[\w.-]+/g)) {
    const target = posix.normalize(posix.join(posix.dirname(file), m[0]));
    if (!inside(target)) report(`path ${m[0]} leaves the repository`);
  }
  const docs: { at: number; name: string; path: string | undefined }[] = [];
  for (const m of line.matchAll(MD_NAME)) {
    const name = m[1] ?? '';
    const path = resolveDoc(view, file, name);
    if (path === undefined) report(`refers to ${name}, which the repository does not contain`);
    docs.push({ at: m.index, name, path });
  }
  for (const m of line.matchAll(SECTION)) {
    const number = m[1] ?? '';
    if (!file.endsWith('.md')) {
      // Code, tests and fixtures say what they rely on themselves; a section number is not an explanation.
      report(`§${number}: say here what the reader needs instead of citing a section`);
      continue;
    }
    const before = docs.filter((d) => d.at < m.index).at(-1);
    if (before !== undefined) {
      report(`${before.name} §${number}: link to the heading instead of citing another document's section`);
      continue;
    }
    if (!headingNumbers(view.read(file) ?? '').has(number)) report(`${file} has no section ${number}`);
  }
  if (file.endsWith('.md')) {
    for (const m of text.replace(/`[^`]*`/g, ' ').matchAll(MD_LINK)) {
      const target = (m[1] ?? '').split('#')[0] ?? '';
      if (target === '' || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
      const path = posix.normalize(posix.join(posix.dirname(file), target)).replace(/\/$/, '');
      if (!inside(path)) report(`link ${target} leaves the repository`);
      else if (!view.paths.has(path) && ![...view.paths].some((p) => p.startsWith(`${path}/`))) {
        report(`link ${target} points at a missing file`);
      }
    }
  }
}

/** Every problem in the given files, in file and line order. */
export function findReferenceProblems(view: RepoView, files: Iterable<string>): ReferenceProblem[] {
  const out: ReferenceProblem[] = [];
  for (const file of files) {
    const text = view.read(file);
    if (text === undefined) continue;
    text.split('\n').forEach((line, i) => {
      checkLine(view, file, line, i + 1, out);
    });
  }
  return out;
}
