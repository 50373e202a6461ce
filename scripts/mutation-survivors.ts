// Lists the mutants of a folder's last mutation run that no test detected (Survived, NoCoverage), as the
// Markdown table rows docs/testing/mutation-scores.md gives with a judgement each, and the folder's counts.
// Reads .stryker/report/<folder>.json, which `npm run test:mutation -- <folder>` writes.
// Usage: tsx scripts/mutation-survivors.ts <folder>
import { readFileSync } from 'node:fs';

interface Mutant {
  readonly mutatorName: string;
  readonly replacement?: string;
  readonly status: string;
  readonly location: { readonly start: { readonly line: number; readonly column: number } };
}

interface Report {
  readonly files: Readonly<Record<string, { readonly mutants: readonly Mutant[] }>>;
}

const SHOWN = 48;

function shorten(text: string): string {
  const one = text.replace(/\s+/g, ' ').replaceAll('|', '\\|');
  return one.length > SHOWN ? `${one.slice(0, SHOWN)}...` : one;
}

/** Inline code; text holding a backtick is fenced with two and padded, as Markdown wants. */
function code(text: string): string {
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

function main(folder: string | undefined): number {
  if (folder === undefined) {
    process.stderr.write('usage: tsx scripts/mutation-survivors.ts <folder>\n');
    return 2;
  }
  const report = JSON.parse(readFileSync(`.stryker/report/${folder}.json`, 'utf8')) as Report;
  const counts = new Map<string, number>();
  const rows: string[] = [];
  for (const [file, { mutants }] of Object.entries(report.files).sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...mutants].sort(
      (a, b) =>
        a.location.start.line - b.location.start.line || a.location.start.column - b.location.start.column,
    );
    for (const m of sorted) {
      counts.set(m.status, (counts.get(m.status) ?? 0) + 1);
      if (m.status !== 'Survived' && m.status !== 'NoCoverage') continue;
      const where = `${file}:${m.location.start.line}:${m.location.start.column}`;
      const change =
        m.replacement === undefined ? m.mutatorName : `${m.mutatorName} → ${code(shorten(m.replacement))}`;
      rows.push(`| \`${where}\` | ${change}${m.status === 'NoCoverage' ? ' (no coverage)' : ''} | |`);
    }
  }
  const n = (s: string): number => counts.get(s) ?? 0;
  const detected = n('Killed') + n('Timeout');
  const scored = detected + n('Survived') + n('NoCoverage');
  process.stdout.write(`${[...counts].map(([s, c]) => `${s} ${c}`).join(', ')}\n`);
  process.stdout.write(
    `score ${detected}/${scored} = ${((100 * detected) / Math.max(scored, 1)).toFixed(2)} %\n\n`,
  );
  process.stdout.write(`| Where | Mutation | Judgement |\n|---|---|---|\n${rows.join('\n')}\n`);
  return 0;
}

process.exitCode = main(process.argv[2]);
