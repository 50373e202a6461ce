// The local ledger file `blockchain.json` with its in-memory copy and indexes.
// Appends write one line under the ledger-file lock (a synchronous write of the batch: no thread-pool
// round trip) and update the indexes and a running md5 (no rewrite, no re-hash of the whole file).
// Removals and full installs rewrite through a temporary file + rename; an incremental sync install
// (rewriteTail) truncates the lines after a TailMark and appends, so its cost follows the change, not
// the ledger. The path comes from `node.dirs.blockchain_file` at call time (factory convention).
import { createHash } from 'node:crypto';
import { closeSync, ftruncateSync, openSync, readFileSync, writeSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { NodeServices } from '../ports/runtime.js';
import type { FilePolicy, LedgerFile, ReceivedFile, RewritePlan, TailMark } from '../ports/ledger.js';
import { Mutex } from '../../common/mutex.js';
import { PolicyIndex } from './policy-index.js';
import { ledgerText, parseLedgerText, parsePolicyLine, renumber } from './policy-line.js';
import { LedgerFileError } from './errors.js';
import { emptyState, stateOf, warnBadLines, type LoadedState } from './file-state.js';

export interface LedgerFileOptions {
  /** Overrides `node.dirs.blockchain_file`. */
  readonly path?: string;
}

const MEMO_ENTRIES = 4;

interface PendingAppend {
  readonly line: string;
  readonly resolve: () => void;
  readonly reject: (err: unknown) => void;
}

function isMissing(err: unknown): boolean {
  return err instanceof Error && 'code' in err && err.code === 'ENOENT';
}

export class LocalLedgerFile implements LedgerFile {
  private state: LoadedState | undefined;
  private readonly lock = new Mutex();
  private readonly pending: PendingAppend[] = [];
  private flushing: Promise<void> | undefined;
  /** Append descriptor, kept open between appends; closed before any rewrite or reload. */
  private fd: number | undefined;
  /** Bumped by every rewrite, install and reload (invalidates TailMarks). */
  private generation = 0;
  /** Ids of appendNew calls not yet written: a second insert of the same id is a duplicate meanwhile. */
  private readonly reserved = new Set<string>();

  constructor(
    private readonly node: NodeServices,
    private readonly options: LedgerFileOptions = {},
  ) {}

  get path(): string {
    const configured = this.options.path ?? this.node.dirs['blockchain_file'];
    if (configured !== undefined && configured !== '') return configured;
    const dir = this.node.dirs['blockchain_dir'];
    if (dir === undefined) throw new LedgerFileError('no blockchain_file or blockchain_dir configured');
    return join(dir, 'blockchain.json');
  }

  policies(): readonly FilePolicy[] {
    return this.loaded().index.all();
  }

  metadataVersion(): string {
    const s = this.loaded();
    if (s.hash === undefined) return '0';
    s.version ??= s.hash.copy().digest('hex');
    return s.version;
  }

  hasId(id: string): boolean {
    return this.loaded().index.byId(id) !== undefined;
  }

  byId(id: string): FilePolicy | undefined {
    return this.loaded().index.byId(id);
  }

  byType(type: string): readonly FilePolicy[] {
    return this.loaded().index.byType(type);
  }

  candidates(type: string, key: string, value: string): readonly FilePolicy[] {
    return this.loaded().index.candidates(type, key, value);
  }

  memo(key: string, compute: () => string): string {
    const memo = this.loaded().memo;
    let text = memo.get(key);
    if (text === undefined) {
      text = compute();
      if (memo.size >= MEMO_ENTRIES) memo.clear();
      memo.set(key, text);
    }
    return text;
  }

  /** Queue one line; concurrent appends are written together in one write (group commit). */
  append(dumpsLine: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line: dumpsLine, resolve, reject });
      this.scheduleFlush();
    });
  }

  async appendNew(id: string, dumpsLine: string): Promise<boolean> {
    if (this.reserved.has(id) || this.hasId(id)) return false;
    this.reserved.add(id);
    try {
      await this.append(dumpsLine);
    } finally {
      this.reserved.delete(id);
    }
    return true;
  }

  private scheduleFlush(): void {
    if (this.flushing !== undefined) return;
    this.flushing = this.lock
      .run(() => {
        this.flushPending();
        return Promise.resolve();
      })
      .finally(() => {
        this.flushing = undefined;
        if (this.pending.length > 0) this.scheduleFlush();
      });
  }

  private flushPending(): void {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        const s = this.loaded();
        const text = `${s.endsWithNewline ? '' : '\n'}${batch.map((b) => b.line).join('\n')}\n`;
        this.writeAtEnd(text);
        this.appendToMemory(
          text,
          batch.map((b) => b.line),
        );
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
  }

  private writeAtEnd(text: string): void {
    this.fd ??= openSync(this.path, 'a');
    const buf = Buffer.from(text, 'utf8');
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
  }

  private appendToMemory(text: string, lines: readonly string[]): void {
    const s = this.loaded();
    s.hash ??= createHash('md5');
    s.hash.update(text, 'utf8');
    s.version = undefined;
    s.memo.clear();
    s.endsWithNewline = true;
    s.bytes += Buffer.byteLength(text, 'utf8');
    for (const line of lines) {
      const policy = parsePolicyLine(line, s.index.size);
      if (policy === undefined)
        this.node.logger.warn('appended ledger line is not a policy; skipped in memory');
      else s.index.add(policy);
    }
  }

  async removeIds(ids: readonly string[]): Promise<number> {
    const drop = new Set(ids);
    return this.lock.run(async () => {
      const before = this.loaded().index.all();
      const kept = before.filter((p) => !drop.has(p.id));
      const removed = before.length - kept.length;
      if (removed > 0) await this.writeWhole(kept, kept.length, false);
      return removed;
    });
  }

  async install(content: string): Promise<void> {
    await this.lock.run(async () => {
      const parsed = parseLedgerText(content);
      warnBadLines(this.node.logger, parsed.badLines);
      await this.writeWhole(parsed.policies, parsed.policies.length, true, content);
    });
  }

  /**
   * Replace the whole file with a plan made from the current policies under the file lock,
   * so appends cannot slip in between planning and writing. undefined from `plan` writes nothing.
   * Returns the plan's result and a mark after its head lines.
   */
  async rewrite<R>(
    plan: (current: readonly FilePolicy[]) => RewritePlan<R> | undefined,
    source?: ReceivedFile,
  ): Promise<{ result: R; mark: TailMark } | undefined> {
    return this.lock.run(async () => {
      const p = plan(this.loaded().index.all());
      if (p === undefined) return undefined;
      const all = [...p.head, ...p.extra];
      const same = source !== undefined && p.extra.length === 0 && isTextOf(all, source.text);
      const mark = same
        ? await this.writeWhole(all, all.length, true, source.text, source)
        : await this.writeWhole(all, p.head.length, true);
      return { result: p.result, mark };
    });
  }

  /**
   * The file's text when the in-memory policies reproduce it byte for byte (no skipped, empty or CR
   * lines; ends with a newline), memoized until the next change; else undefined.
   */
  exactText(): string | undefined {
    const s = this.loaded();
    if (!s.endsWithNewline || s.hash === undefined) return undefined;
    const text = this.memo('exact-text', () => ledgerText(s.index.all()));
    return Buffer.byteLength(text, 'utf8') === s.bytes ? text : undefined;
  }

  /** A mark at the current end of the file; undefined when the file does not end with a newline. */
  mark(): TailMark | undefined {
    const s = this.loaded();
    if (!s.endsWithNewline) return undefined;
    return {
      generation: this.generation,
      size: s.index.size,
      bytes: s.bytes,
      hash: (s.hash ?? createHash('md5')).copy(),
    };
  }

  /**
   * Incremental install: keep the file up to `mark`, replace what follows with the plan's lines (made under
   * the file lock from the policies after the mark). undefined when the mark is stale (the file was
   * rewritten since) or the plan declines; the caller then installs the whole ledger.
   */
  async rewriteTail<R>(
    mark: TailMark,
    plan: (tail: readonly FilePolicy[], inHead: (id: string) => boolean) => RewritePlan<R> | undefined,
  ): Promise<{ result: R; mark: TailMark } | undefined> {
    return this.lock.run(() => {
      const s = this.loaded();
      if (mark.generation !== this.generation || s.index.size < mark.size || s.bytes < mark.bytes)
        return Promise.resolve(undefined);
      const inHead = (id: string): boolean => {
        const first = s.index.byId(id);
        return first !== undefined && first.seq < mark.size;
      };
      const p = plan(s.index.all().slice(mark.size), inHead);
      if (p === undefined) return Promise.resolve(undefined);
      try {
        return Promise.resolve({ result: p.result, mark: this.writeTail(s, mark, p) });
      } catch (err) {
        // The file and the in-memory copy may disagree now: read the file again on next use.
        this.closeFd();
        this.generation += 1;
        this.state = undefined;
        throw err;
      }
    });
  }

  private writeTail<R>(s: LoadedState, mark: TailMark, p: RewritePlan<R>): TailMark {
    const headText = ledgerText(p.head);
    const extraText = ledgerText(p.extra);
    if (s.bytes > mark.bytes) {
      this.fd ??= openSync(this.path, 'a');
      ftruncateSync(this.fd, mark.bytes);
    }
    if (headText !== '' || extraText !== '') this.writeAtEnd(headText + extraText);
    s.memo.clear();
    s.index.truncate(mark.size);
    const hash = mark.hash.copy();
    hash.update(headText, 'utf8');
    for (const policy of p.head) s.index.add(renumber(policy, s.index.size));
    const next: TailMark = {
      generation: this.generation,
      size: s.index.size,
      bytes: mark.bytes + Buffer.byteLength(headText, 'utf8'),
      hash: hash.copy(),
    };
    hash.update(extraText, 'utf8');
    for (const policy of p.extra) s.index.add(renumber(policy, s.index.size));
    s.hash = hash;
    s.version = undefined;
    s.bytes = next.bytes + Buffer.byteLength(extraText, 'utf8');
    s.endsWithNewline = true;
    return next;
  }

  async reload(): Promise<void> {
    await this.lock.run(() => {
      this.closeFd();
      this.generation += 1;
      this.state = undefined;
      this.loaded();
      return Promise.resolve();
    });
  }

  private closeFd(): void {
    const fd = this.fd;
    this.fd = undefined;
    if (fd !== undefined) closeSync(fd);
  }

  /**
   * Replace the file by temporary + rename (keeping the previous one as blockchain.old when asked) with
   * `policies` (or `content`, already parsed into them); the in-memory copy is built from the policies
   * (no second parse). Returns a mark after the first `headCount` policies.
   */
  private async writeWhole(
    policies: readonly FilePolicy[],
    headCount: number,
    keepOld: boolean,
    content?: string,
    source?: ReceivedFile,
  ): Promise<TailMark> {
    this.closeFd();
    this.generation += 1;
    this.state = undefined;
    const headText = content ?? ledgerText(policies.slice(0, headCount));
    const text = content ?? headText + ledgerText(policies.slice(headCount));
    const path = this.path;
    // A received file that already holds exactly the new content is renamed into place (no second write).
    const tmp = source !== undefined && source.text === text ? source.path : `${path}.tmp`;
    if (tmp === `${path}.tmp`) await writeFile(tmp, text, 'utf8');
    if (keepOld) {
      const old = join(dirname(path), 'blockchain.old');
      await rm(old, { force: true });
      await rename(path, old).catch((err: unknown) => {
        if (!isMissing(err)) throw err;
      });
    }
    await rename(tmp, path);
    const hash = createHash('md5').update(headText, 'utf8');
    const headBytes = Buffer.byteLength(headText, 'utf8');
    const mark: TailMark = {
      generation: this.generation,
      size: headCount,
      bytes: headBytes,
      hash: hash.copy(),
    };
    const rest = text.slice(headText.length);
    hash.update(rest, 'utf8');
    this.state = {
      index: new PolicyIndex(policies.map((p, i) => renumber(p, i))),
      hash,
      version: undefined,
      endsWithNewline: text === '' || text.endsWith('\n'),
      bytes: headBytes + Buffer.byteLength(rest, 'utf8'),
      memo: new Map(),
    };
    return mark;
  }

  private loaded(): LoadedState {
    this.state ??= this.readFromDisk();
    return this.state;
  }

  private readFromDisk(): LoadedState {
    let content: string;
    try {
      content = readFileSync(this.path, 'utf8');
    } catch (err) {
      if (isMissing(err)) return emptyState();
      throw new LedgerFileError(`cannot read ${this.path}`, err);
    }
    return stateOf(content, this.node.logger);
  }
}

/**
 * Whether `text` is exactly these policies' lines (each followed by `\n`), for policies read from `text`:
 * skipped empty or bad lines, CRs or a missing last newline would make it longer or not end with `\n`.
 */
function isTextOf(policies: readonly FilePolicy[], text: string): boolean {
  if (!text.endsWith('\n')) return false;
  let length = 0;
  for (const p of policies) length += p.line.length + 1;
  return length === text.length;
}

export function createLedgerFile(node: NodeServices, options: LedgerFileOptions = {}): LedgerFile {
  return new LocalLedgerFile(node, options);
}
