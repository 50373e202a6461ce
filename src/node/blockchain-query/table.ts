// EdgeLake's table rendering for `blockchain get … bring.table` (no line prefix, one-line
// titles): widths from titles and cells capped at 100, numbers right-justified, CR LF line ends.
// Pure; a local copy of the algorithm so the query engine stays independent of the status commands.

export type Cell = string | number | boolean | undefined;

const CAP = 100;

function cellText(cell: Cell): string {
  if (cell === undefined) return '';
  if (typeof cell === 'boolean') return cell ? 'True' : 'False';
  if (typeof cell === 'number') return String(cell);
  return cell.replace(/\r/g, '').replace(/[\n\t]/g, ' ');
}

function rightAligned(cell: Cell): boolean {
  if (typeof cell === 'number') return true;
  if (typeof cell !== 'string' || cell.length >= 20 || !/\d/.test(cell)) return false;
  return /^-?[\d.,]*$/.test(cell) && /^[^\d]*-?\d/.test(cell) && (cell.match(/-/g) ?? []).length <= 1;
}

function pad(text: string, width: number, right: boolean): string {
  return right ? text.padStart(width) : text.padEnd(width);
}

export function renderTable(titles: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const widths = titles.map((title, c) =>
    Math.min(CAP, Math.max(title.length, ...rows.map((r) => cellText(r[c]).length))),
  );
  let out = '\r\n' + titles.map((t, c) => t.padEnd((widths[c] ?? 0) + 1)).join('');
  out += '\r\n' + widths.map((w) => `${'-'.repeat(w)}|`).join('');
  for (const row of rows) out += renderRow(row, widths);
  return `${out}\r\n`;
}

function renderRow(row: readonly Cell[], widths: readonly number[]): string {
  const pieces = widths.map((w, c) => {
    const text = cellText(row[c]);
    const chunks: string[] = [];
    for (let i = 0; i < text.length; i += w) chunks.push(text.slice(i, i + w));
    return chunks.length === 0 ? [''] : chunks;
  });
  let out = '\r\n' + widths.map((w, c) => `${pad(pieces[c]?.[0] ?? '', w, rightAligned(row[c]))}|`).join('');
  widths.forEach((_, c) => {
    for (const extra of (pieces[c] ?? []).slice(1)) {
      const blanks = widths
        .slice(0, c)
        .map((w) => ' '.repeat(w + 1))
        .join('');
      out += `\r\n${blanks}${extra.padEnd(widths[c] ?? 0)}|`;
    }
  });
  return out;
}
