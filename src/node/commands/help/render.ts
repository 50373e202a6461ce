// `help` output in EdgeLake's layout: the command list, one command's Usage /
// Explanation / Examples / Index sections, the index of keywords, and "Unrecognized command" with "Maybe:"
// suggestions. Pure over a help tree; the text is what EdgeLake gives a REST caller (no leading CR LF).
import { isGroup, type HelpEntry, type HelpNode } from './texts.js';

type HelpTree = Readonly<Record<string, HelpNode>>;

const NOT_INDEXED = 'not indexed';

/** Sorted the way Python sorts str keys (code points), which is what EdgeLake's listings use. */
function sortedKeys(tree: HelpTree): string[] {
  return Object.keys(tree).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Most words in a key of this tree: how far a command's words are tried. */
function maxKeyWords(tree: HelpTree): number {
  return Math.max(1, ...Object.keys(tree).map((k) => k.split(' ').length));
}

/** Each field line on its own line after a tab, as EdgeLake prints help sections. */
function section(title: string, value: string): string {
  return `${title}\r\n\t${value.replace(/\n/g, '\r\n\t')}`;
}

/** Python's str() of a list of strings: `['a', 'b']`. */
function pyList(values: readonly string[]): string {
  return `[${values.map((v) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`).join(', ')}]`;
}

function entryText(entry: HelpEntry): string {
  let out =
    section('\r\nUsage:', entry.usage) +
    section('\r\n\nExplanation:', entry.text) +
    section('\r\n\nExamples:', entry.examples);
  if (entry.index !== undefined) out += section('\r\n\nIndex:', pyList(entry.index));
  return out;
}

function listAll(tree: HelpTree): string {
  return sortedKeys(tree)
    .filter((key) => tree[key]?.internal !== true)
    .map((key) => `\r\n${tree[key]?.usage ?? ''}`)
    .join('');
}

/** The longest key made of the first words: [words used, key]; 0 when none matches (key = first word). */
function longestKey(words: readonly string[], tree: HelpTree): [number, string] {
  for (let n = Math.min(words.length, maxKeyWords(tree)); n >= 1; n -= 1) {
    const key = words.slice(0, n).join(' ');
    if (tree[key] !== undefined) return [n, key];
  }
  return [0, words[0] ?? ''];
}

/** EdgeLake's suggestions: usages of keys containing the word; else keys containing it shortened. */
function suggestions(tree: HelpTree, word: string): string {
  if (word.length <= 1) return '';
  let out = '';
  let found = 0;
  for (const key of sortedKeys(tree)) {
    const node = tree[key];
    if (node === undefined) continue;
    if (isGroup(node)) out += suggestions(node.methods, word);
    else if (key.includes(word)) {
      found += 1;
      out += `\r\nMaybe: ${node.usage}`;
    }
  }
  if (found > 0) return out;
  const parts = word.split(' ');
  const shorter = parts.length > 1 ? parts.slice(0, -1).join(' ') : word.slice(0, -1);
  if (shorter === '') return out;
  for (const key of sortedKeys(tree)) if (key.includes(shorter)) out += `\r\nMaybe: ${key}`;
  return out;
}

function commandHelp(words: readonly string[], tree: HelpTree): string {
  if (words.length === 0) return listAll(tree);
  const [used, key] = longestKey(words, tree);
  const node = used === 0 ? undefined : tree[key];
  if (node === undefined) return `Unrecognized command\r\n${suggestions(tree, key)}`;
  return isGroup(node) ? commandHelp(words.slice(used), node.methods) : entryText(node);
}

/** `help index [keyword]`: keywords in order; with a keyword (or `*`), the commands filed under the matches. */
function indexHelp(word: string, tree: HelpTree): string {
  const byKeyword = new Map<string, string[]>();
  const file = (command: string, entry: HelpEntry): void => {
    for (const keyword of entry.index ?? [NOT_INDEXED]) {
      const list = byKeyword.get(keyword) ?? [];
      list.push(command);
      byKeyword.set(keyword, list);
    }
  };
  for (const [key, node] of Object.entries(tree)) {
    if (isGroup(node)) for (const [sub, entry] of Object.entries(node.methods)) file(`${key} ${sub}`, entry);
    else file(key, node);
  }
  let out = '';
  for (const keyword of [...byKeyword.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (word !== '' && word !== '*' && !keyword.startsWith(word)) continue;
    out += `\r\n${keyword}`;
    if (word === '') continue;
    const commands = (byKeyword.get(keyword) ?? []).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    for (const command of commands) out += `\r\n     ${command}`;
  }
  return out;
}

/** The answer to `help <words>` (words after `help`). */
export function renderHelp(words: readonly string[], tree: HelpTree): string {
  const text = words[0] === 'index' ? indexHelp(words.slice(1).join(' '), tree) : commandHelp(words, tree);
  return text.startsWith('\r\n') ? text.slice(2) : text;
}
