// Command registry and dispatch: keys of 1–3 lower-case words, longest key wins.
// A first word no key starts with → 1 `Unrecognized Command`; a known first word without a matching key
// → 2 `Error Command Structure`; both with detail `Unknown command: '<text>'`.
import { AppError } from '../../common/errors.js';
import { fail, type CommandDef, type CommandResult } from '../ports/command.js';
import { STATUS } from '../../contract/status-codes.js';

export type MatchResult =
  | { readonly ok: true; readonly def: CommandDef; readonly keyWords: number }
  | { readonly ok: false; readonly result: CommandResult };

export class CommandRegistry {
  private readonly byKey = new Map<string, CommandDef>();
  private readonly firstWords = new Set<string>();

  constructor(defs: readonly CommandDef[] = []) {
    this.register(defs);
  }

  /** Add commands; a key registered twice is a programming error. */
  register(defs: readonly CommandDef[]): void {
    for (const def of defs) {
      const words = def.key.split(' ').filter((w) => w !== '');
      const key = words.join(' ');
      if (words.length < 1 || words.length > 3)
        throw new AppError('ERR_INTERNAL', `bad command key '${def.key}'`);
      if (this.byKey.has(key)) throw new AppError('ERR_INTERNAL', `command key '${key}' registered twice`);
      this.byKey.set(key, def);
      this.firstWords.add(words[0] ?? '');
    }
  }

  /** Whether some key starts with this word. */
  knowsFirstWord(word: string): boolean {
    return this.firstWords.has(word);
  }

  has(key: string): boolean {
    return this.byKey.has(key);
  }

  keys(): string[] {
    return [...this.byKey.keys()].sort();
  }

  /** Find the command for expanded words; `text` is used for the error detail. */
  match(words: readonly string[], text: string): MatchResult {
    for (let n = Math.min(3, words.length); n >= 1; n -= 1) {
      const def = this.byKey.get(words.slice(0, n).join(' '));
      if (def !== undefined) return { ok: true, def, keyWords: n };
    }
    const code = this.firstWords.has(words[0] ?? '') ? STATUS.COMMAND_STRUCTURE : STATUS.UNRECOGNIZED_COMMAND;
    return { ok: false, result: fail(code, `Unknown command: '${text}'`) };
  }
}
