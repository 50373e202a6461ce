// Incoming file transfers (anylog-node.md §6.7, §6.8): the path rules (ledger copies in blockchain_dir
// while the synchronizer runs, GENERIC 2; large messages `cmd.<ip>.<n>.lmsg` in prep_dir, GENERIC 3;
// nothing else) and a sink streaming frame data to `<path>.transfer`, renamed (or un-gzipped) at the end.
import { open, rename, rm, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { NodeServices } from '../ports/runtime.js';
import { toError } from '../../shared/errors.js';

export type FileKind = 'ledger' | 'lmsg';

export interface AcceptedFile {
  readonly kind: FileKind;
  /** Final path (after rename / un-gzip). */
  readonly path: string;
  /** Path the transfer is written to (before `.gz` handling). */
  readonly target: string;
}

const LEDGER_NAME = /^blockchain(\.master_id_[1-9])?\.new(\.gz)?$/;
const LMSG_NAME = /^cmd\.[A-Za-z0-9.:_-]{1,128}\.\d{1,3}\.lmsg$/;

/** The path of a `file write` command (TABs were spaces). */
export function fileWritePath(command: string): string {
  return command
    .replace(/^file[ \t]+write[ \t]+/, '')
    .replaceAll('\t', ' ')
    .trim();
}

/** Check a `file write <path>` with its GENERIC flag against §6.8; undefined = not authorized (294). */
export function authorizeFileWrite(
  node: NodeServices,
  rawPath: string,
  generic: number,
): AcceptedFile | undefined {
  if (rawPath === '' || rawPath.split(/[/\\]/).includes('..')) return undefined;
  if (generic === 2) {
    const dir = node.dirs['blockchain_dir'];
    if (dir === undefined || !node.sync.status().running) return undefined;
    const target = resolve(rawPath);
    if (dirname(target) !== resolve(dir) || !LEDGER_NAME.test(basename(target))) return undefined;
    return { kind: 'ledger', target, path: target.replace(/\.gz$/, '') };
  }
  if (generic === 3) {
    const dir = node.dirs['prep_dir'];
    if (dir === undefined || !LMSG_NAME.test(rawPath)) return undefined;
    const target = join(dir, rawPath);
    return { kind: 'lmsg', target, path: target };
  }
  return undefined;
}

/** Streams data to `<target>.transfer`; finish() renames it, abort() removes it. */
export class FileSink {
  private handle: Promise<FileHandle>;
  private chain: Promise<void> = Promise.resolve();
  private pendingWrites = 0;
  private failed: unknown;

  constructor(private readonly file: AcceptedFile) {
    this.handle = open(`${file.target}.transfer`, 'w');
    this.handle.catch((err: unknown) => {
      this.failed = err;
    });
  }

  /** Writes queued and not yet done (for back-pressure). */
  get backlog(): number {
    return this.pendingWrites;
  }

  write(data: Buffer): Promise<void> {
    if (data.length === 0) return this.chain;
    const copy = Buffer.from(data);
    this.pendingWrites += 1;
    this.chain = this.chain.then(async () => {
      try {
        if (this.failed === undefined) await (await this.handle).write(copy);
      } catch (err) {
        this.failed = err;
      } finally {
        this.pendingWrites -= 1;
      }
    });
    return this.chain;
  }

  async finish(): Promise<string> {
    await this.chain;
    const fh = await this.handle;
    await fh.close();
    if (this.failed !== undefined) throw toError(this.failed);
    const transfer = `${this.file.target}.transfer`;
    if (this.file.target.endsWith('.gz')) {
      await writeFile(this.file.path, gunzipSync(await readFile(transfer)));
      await rm(transfer, { force: true });
    } else {
      await rename(transfer, this.file.path);
    }
    return this.file.path;
  }

  async abort(): Promise<void> {
    await this.chain;
    try {
      await (await this.handle).close();
    } catch {
      // the file never opened: nothing to close
    }
    await rm(`${this.file.target}.transfer`, { force: true });
  }
}
