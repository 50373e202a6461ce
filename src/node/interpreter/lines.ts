// Physical → logical lines: trimming, CLI prompt removal, comments, angle blocks
// `<…>`, open JSON joined until balanced (scripts), `and` continuation lines. Pure; used for script files and
// REST POST bodies (without prompt removal or JSON joining). Labels and brace blocks are classified later by script.ts.
import { skipQuoted } from './tokenizer.js';

export interface LogicalLine {
  readonly text: string;
  /** 1-based number of the first physical line. */
  readonly line: number;
}

export interface LinesResult {
  readonly lines: LogicalLine[];
  /** A syntax error found while joining (unterminated angle block), with its line. */
  readonly error?: { readonly line: number; readonly message: string };
}

const PROMPT_RE = /^(AL|EL)( [^ >]+)? \+?> ?/;

/** Remove a `#` comment that starts a word outside quotes and brackets. */
export function stripComment(line: string): string {
  if (!line.includes('#')) return line;
  let depth = 0;
  let i = 0;
  while (i < line.length) {
    const ch = line[i] ?? '';
    if (ch === '"' || ch === "'") {
      i = skipQuoted(line, i);
      continue;
    }
    depth = Math.max(0, depth + bracketDelta(ch));
    if (ch === '#' && depth === 0 && /^\s?$/.test(line[i - 1] ?? '')) return line.slice(0, i).trimEnd();
    i += 1;
  }
  return line;
}

function bracketDelta(ch: string): number {
  if (ch === '(' || ch === '{' || ch === '[') return 1;
  if (ch === ')' || ch === '}' || ch === ']') return -1;
  return 0;
}

/** Balance of `{`/`}` and `[`/`]` outside double-quoted strings. */
export function bracketBalance(text: string): { braces: number; brackets: number } {
  let braces = 0;
  let brackets = 0;
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '"') {
      i = skipQuoted(text, i);
      continue;
    }
    if (ch === '{') braces += 1;
    else if (ch === '}') braces -= 1;
    else if (ch === '[') brackets += 1;
    else if (ch === ']') brackets -= 1;
    i += 1;
  }
  return { braces, brackets };
}

/** Whether a line is a brace-block line (`if … {`, `} else {`, `} else if … {`, `}`). */
export function isBraceLine(text: string): boolean {
  if (text === '}') return true;
  if (!text.endsWith('{')) return false;
  if (/^\}\s*else\s*\{$/i.test(text)) return true;
  const body = text.replace(/^\}\s*else\s+/i, '');
  return /^if[\s(]/i.test(body) && !/(^|\s)then(\s|$)/.test(body);
}

interface Physical {
  readonly text: string;
  readonly line: number;
}

function cleanPhysical(source: string, prompts: boolean): Physical[] {
  const out: Physical[] = [];
  source.split('\n').forEach((rawLine, idx) => {
    let text = rawLine.replace(/\r/g, '').trim();
    if (prompts) text = text.replace(PROMPT_RE, '').trim();
    if (text === '' || text.startsWith('#')) return;
    text = stripComment(text);
    if (text !== '') out.push({ text, line: idx + 1 });
  });
  return out;
}

/** Join an angle block starting at index `i`; returns the joined line and the next index. */
function joinAngle(lines: Physical[], i: number): { text: string; next: number } | undefined {
  const parts: string[] = [];
  for (let j = i; j < lines.length; j += 1) {
    const text = lines[j]?.text ?? '';
    parts.push(text);
    if (text.endsWith('>')) {
      const joined = parts.join(' ');
      return { text: joined.slice(1, -1).trim(), next: j + 1 };
    }
  }
  return undefined;
}

/** Join following lines while braces/brackets are open. */
function joinOpenJson(lines: Physical[], i: number): { text: string; next: number } {
  let text = lines[i]?.text ?? '';
  let j = i + 1;
  for (;;) {
    const { braces, brackets } = bracketBalance(text);
    if ((braces <= 0 && brackets <= 0) || j >= lines.length) return { text, next: j };
    text += ' ' + (lines[j]?.text ?? '');
    j += 1;
  }
}

/**
 * Turn source text into logical lines. `prompts` enables rule 2 (scripts and CLI),
 * `joinJson` rule 5 (off for REST bodies, whose lines end at newlines).
 */
export function toLogicalLines(source: string, prompts = true, joinJson = true): LinesResult {
  const physical = cleanPhysical(source, prompts);
  const lines: LogicalLine[] = [];
  let i = 0;
  while (i < physical.length) {
    const current = physical[i] ?? { text: '', line: 0 };
    let joined: { text: string; next: number };
    if (current.text.startsWith('<')) {
      const angle = joinAngle(physical, i);
      if (angle === undefined)
        return { lines, error: { line: current.line, message: "Missing '>' to close the '<' block" } };
      joined = angle;
    } else if (joinJson && !isBraceLine(current.text)) {
      joined = joinOpenJson(physical, i);
    } else {
      joined = { text: current.text, next: i + 1 };
    }
    const previous = lines[lines.length - 1];
    if (/^and(\s|$)/.test(joined.text) && previous !== undefined) {
      lines[lines.length - 1] = { text: `${previous.text} ${joined.text}`, line: previous.line };
    } else {
      lines.push({ text: joined.text, line: current.line });
    }
    i = joined.next;
  }
  return { lines };
}
