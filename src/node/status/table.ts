// EdgeLake's table rendering, reproduced exactly: widths from titles and cells
// (capped at 100), two-line titles, right-aligned numeric cells, long cells cut into 100-character pieces,
// CR LF line ends. Pure; used by every status output and `blockchain get … bring.table`.

export type Cell = string | number | boolean | null | undefined;

export interface TableOptions {
  readonly titles: readonly string[];
  readonly rows: readonly (readonly Cell[])[];
  /** Line prefix: '' or four spaces. */
  readonly prefix?: string;
  /** Optional header line printed before the titles. */
  readonly header?: string;
}

const CAP = 100;

function cellText(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'boolean') return cell ? 'True' : 'False';
  if (typeof cell === 'number') return String(cell);
  return cell.replace(/\r/g, '').replace(/[\n\t]/g, ' ');
}

/** Numbers, and short strings of digits, `.`, `,` with at most one leading `-`, align right. */
function alignsRight(cell: Cell): boolean {
  if (typeof cell === 'number') return true;
  if (typeof cell !== 'string' || cell === '' || cell.length >= 20) return false;
  return /^-?[0-9.,]*$/.test(cell) && /[0-9.,]/.test(cell);
}

function titleWidth(title: string): number {
  const nl = title.indexOf('\n');
  if (nl < 0) return title.length;
  return Math.max(nl, title.length - nl - 1 + 1);
}

function columnWidths(options: TableOptions): number[] {
  return options.titles.map((title, col) => {
    let width = Math.min(CAP, titleWidth(title));
    for (const row of options.rows) width = Math.max(width, Math.min(CAP, cellText(row[col]).length));
    return width;
  });
}

function titleLines(titles: readonly string[]): string[][] {
  if (!titles.some((t) => t.includes('\n'))) return [titles.slice()];
  const split = titles.map((t) => {
    const nl = t.indexOf('\n');
    return nl < 0 ? [t, ''] : [t.slice(0, nl), t.slice(nl + 1)];
  });
  return [split.map((p) => p[0] ?? ''), split.map((p) => p[1] ?? '')];
}

function renderRow(row: readonly Cell[], widths: readonly number[], prefix: string): string {
  const pieces: string[] = [];
  let line = '';
  widths.forEach((width, col) => {
    const cell = row[col];
    const text = cellText(cell);
    if (text === '') {
      line += ' '.repeat(width) + '|';
      return;
    }
    const first = text.slice(0, CAP);
    line += (alignsRight(cell) ? first.padStart(width) : first.padEnd(width)) + '|';
    for (let at = CAP; at < text.length; at += CAP) {
      const blanks = widths
        .slice(0, col)
        .map((w) => ' '.repeat(w) + '|')
        .join('');
      pieces.push(`\r\n${prefix}${blanks}${text.slice(at, at + CAP).padEnd(width)}|`);
    }
  });
  return `\r\n${prefix}${line}${pieces.join('')}`;
}

/** Render a table. */
export function renderTable(options: TableOptions): string {
  const prefix = options.prefix ?? '';
  const widths = columnWidths(options);
  let out = options.header === undefined ? '' : `\r\n${prefix}${options.header}`;
  for (const line of titleLines(options.titles)) {
    out += `\r\n${prefix}${line.map((t, i) => t.padEnd((widths[i] ?? 0) + 1)).join('')}`;
  }
  out += `\r\n${prefix}${widths.map((w) => '-'.repeat(w) + '|').join('')}`;
  for (const row of options.rows) out += renderRow(row, widths, prefix);
  return out + '\r\n';
}
