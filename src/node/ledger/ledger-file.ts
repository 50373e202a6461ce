// The local ledger file `blockchain.json` with its in-memory copy and indexes (anylog-node.md §8.5).
// Appends write one line under the ledger-file lock and update the indexes and a running md5 (no rewrite,
// no re-hash of the whole file); removals and installs rewrite through a temporary file + rename and
// rebuild. The path comes from `node.dirs.blockchain_file` at call time (factory convention).
import { createHash, type Hash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { open, rename, rm, writeFile, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { NodeServices } from '../ports/runtime.js';
import type { FilePolicy, LedgerFile } from '../ports/ledger.js';
import { Mutex } from './mutex.js';
import { PolicyIndex } from './policy-index.js';
import { ledgerText, parseLedgerText, parsePolicyLine } from './policy-line.js';
import { LedgerFileError } from './errors.js';

export interface LedgerFileOptions {
  /** Overrides `node.dirs.blockchain_file`. */
  readonly path?: string;
}

interface LoadedState {
  index: PolicyIndex;
  hash: Hash | undefined;
  version: string | undefined;
  endsWithNewline: boolean;
}

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
  /** Append handle, kept open between appends; closed before any rewrite or reload. */
  private handle: FileHandle | undefined;

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

  /** Queue one line; concurrent appends are written together in one appendFile (group commit). */
  append(dumpsLine: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ line: dumpsLine, resolve, reject });
      this.scheduleFlush();
    });
  }

  private scheduleFlush(): void {
    if (this.flushing !== undefined) return;
    this.flushing = this.lock
      .run(() => this.flushPending())
      .finally(() => {
        this.flushing = undefined;
        if (this.pending.length > 0) this.scheduleFlush();
      });
  }

  private async flushPending(): Promise<void> {
    while (this.pending.length > 0) {
      const batch = this.pending.splice(0);
      try {
        this.writeBatchToMemory(await this.appendBatch(batch.map((b) => b.line)));
        for (const b of batch) b.resolve();
      } catch (err) {
        for (const b of batch) b.reject(err);
      }
    }
  }

  private async appendBatch(lines: readonly string[]): Promise<{ text: string; lines: readonly string[] }> {
    const s = this.loaded();
    const text = `${s.endsWithNewline ? '' : '\n'}${lines.join('\n')}\n`;
    this.handle ??= await open(this.path, 'a');
    await this.handle.appendFile(text, 'utf8');
    return { text, lines };
  }

  private writeBatchToMemory(batch: { text: string; lines: readonly string[] }): void {
    const s = this.loaded();
    s.hash ??= createHash('md5');
    s.hash.update(batch.text, 'utf8');
    s.version = undefined;
    s.endsWithNewline = true;
    for (const line of batch.lines) {
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
      if (removed > 0) await this.writeWhole(ledgerText(kept), false);
      return removed;
    });
  }

  async install(content: string): Promise<void> {
    await this.lock.run(() => this.writeWhole(content, true));
  }

  async reload(): Promise<void> {
    await this.lock.run(async () => {
      await this.closeHandle();
      this.state = undefined;
      this.loaded();
    });
  }

  /** Replace the file by temporary + rename (keeping the previous one as blockchain.old when asked). */
  private async closeHandle(): Promise<void> {
    const handle = this.handle;
    this.handle = undefined;
    await handle?.close();
  }

  private async writeWhole(content: string, keepOld: boolean): Promise<void> {
    await this.closeHandle();
    const path = this.path;
    const tmp = `${path}.tmp`;
    await writeFile(tmp, content, 'utf8');
    if (keepOld) {
      const old = join(dirname(path), 'blockchain.old');
      await rm(old, { force: true });
      await rename(path, old).catch((err: unknown) => {
        if (!isMissing(err)) throw err;
      });
    }
    await rename(tmp, path);
    this.state = this.build(content);
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
      if (isMissing(err))
        return { index: new PolicyIndex(), hash: undefined, version: '0', endsWithNewline: true };
      throw new LedgerFileError(`cannot read ${this.path}`, err);
    }
    return this.build(content);
  }

  private build(content: string): LoadedState {
    const parsed = parseLedgerText(content);
    if (parsed.badLines.length > 0) {
      this.node.logger.warn(
        { lines: parsed.badLines.slice(0, 20) },
        'ledger file lines that are not policies skipped',
      );
    }
    const hash = createHash('md5').update(content, 'utf8');
    return {
      index: new PolicyIndex(parsed.policies),
      hash,
      version: undefined,
      endsWithNewline: content === '' || content.endsWith('\n'),
    };
  }
}

export function createLedgerFile(node: NodeServices, options: LedgerFileOptions = {}): LedgerFile {
  return new LocalLedgerFile(node, options);
}
