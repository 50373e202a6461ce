// PURE receiving side of the wire form of commands: TABs in the command key
// (first words) separate words, TABs inside a later word become spaces of one quoted word. The sending
// side (words → wire text) is `wireText` in commands/network/run-client.ts.

/** Words of the command key in which a TAB is a word separator (`blockchain push<TAB>ignore`). */
const KEY_WORDS = 3;

/** Turn received wire text into command text the interpreter tokenizes to the sender's words. */
export function fromWireText(text: string): string {
  if (!text.includes('\t')) return text;
  const out: string[] = [];
  let depth = 0;
  let word = '';
  let index = 0;
  const flush = (): void => {
    if (word === '') return;
    out.push(convertWord(word, index));
    index += 1;
    word = '';
  };
  for (const ch of text) {
    if (depth === 0 && ch === ' ') {
      flush();
      continue;
    }
    if (ch === '{' || ch === '[') depth += 1;
    else if ((ch === '}' || ch === ']') && depth > 0) depth -= 1;
    word += ch;
  }
  flush();
  return out.join(' ');
}

function convertWord(word: string, index: number): string {
  if (!word.includes('\t') || word.startsWith('{') || word.startsWith('[')) return word;
  if (index < KEY_WORDS)
    return word
      .split('\t')
      .filter((w) => w !== '')
      .join(' ');
  return word.includes('"') ? word.replaceAll('\t', ' ') : `"${word.replaceAll('\t', ' ')}"`;
}
