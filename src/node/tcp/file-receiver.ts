// Incoming file transfers: the path rules (ledger copies in blockchain_dir
// while the synchronizer runs, GENERIC 2; large messages `cmd.<ip>.<n>.lmsg` in prep_dir, GENERIC 3;
// nothing else) and a sink streaming frame data to `<path>.transfer`, renamed (or un-gzipped) at the end.
import { open, rename, rm, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { NodeServices } from '../ports/runtime.js';
import { toError } from '../../common/errors.js';

export type FileKind = 'ledger' | 'lmsg';

/**
 * node:zlib is loaded on the first gzipped transfer only (idle memory, ADR 0010); off the event loop.
 * No `node:util` promisify: an ESM import of node:util evaluates its lazy exports (2.9 MB resident).
 */
async function gunzip(data: Buffer): Promise<Buffer> {
  const zlib = await import('node:zlib');
  return new Promise((resolve, reject) => {
    zlib.gunzip(data, (err, out) => {
      if (err === null) resolve(out);
      else reject(err);
    });
  });
}

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

/** Check a `file write <path>` with its GENERIC flag against where that kind may be written (a ledger file into blockchain_dir while sync runs, a message file into prep_dir); undefined = not authorized (294). */
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

/** One vectored write, then plain writes for whatever a short write left. */
async function writeAll(fh: FileHandle, buffers: Buffer[]): Promise<void> {
  const total = buffers.reduce((n, b) => n + b.length, 0);
  const { bytesWritten } = await fh.writev(buffers);
  if (bytesWritten >= total) return;
  let rest = Buffer.concat(buffers).subarray(bytesWritten);
  while (rest.length > 0) {
    const { bytesWritten: n } = await fh.write(rest);
    rest = rest.subarray(n);
  }
}

/** Bytes gathered from frames before one vectored write (frames carry 2 KiB each). */
const GROUP_BYTES = 1 << 20;

/**
 * Streams data to `<target>.transfer`; finish() renames it, abort() removes it. Frame data is gathered
 * and written with one `writev` per ~1 MiB (one awaited write per 2 KiB frame made a 20 MB ledger copy
 * cost ~10,000 file-system round trips).
 */
export class FileSink {
  private handle: Promise<FileHandle>;
  private chain: Promise<void> = Promise.resolve();
  private pendingWrites = 0;
  private failed: unknown;
  private gathered: Buffer[] = [];
  private gatheredBytes = 0;

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
    this.gathered.push(Buffer.from(data));
    this.gatheredBytes += data.length;
    return this.gatheredBytes >= GROUP_BYTES ? this.flush() : this.chain;
  }

  /** Queue one vectored write of everything gathered so far. */
  private flush(): Promise<void> {
    if (this.gathered.length === 0) return this.chain;
    const buffers = this.gathered;
    this.gathered = [];
    this.gatheredBytes = 0;
    this.pendingWrites += 1;
    this.chain = this.chain.then(async () => {
      try {
        if (this.failed === undefined) await writeAll(await this.handle, buffers);
      } catch (err) {
        this.failed = err;
      } finally {
        this.pendingWrites -= 1;
      }
    });
    return this.chain;
  }

  async finish(): Promise<string> {
    await this.flush();
    const fh = await this.handle;
    await fh.close();
    if (this.failed !== undefined) throw toError(this.failed);
    const transfer = `${this.file.target}.transfer`;
    if (this.file.target.endsWith('.gz')) {
      await writeFile(this.file.path, await gunzip(await readFile(transfer)));
      await rm(transfer, { force: true });
    } else {
      await rename(transfer, this.file.path);
    }
    return this.file.path;
  }

  async abort(): Promise<void> {
    this.gathered = [];
    this.gatheredBytes = 0;
    await this.chain;
    try {
      await (await this.handle).close();
    } catch {
      // the file never opened: nothing to close
    }
    await rm(`${this.file.target}.transfer`, { force: true });
  }
}
