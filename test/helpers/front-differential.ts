// The differential property of the REST socket front against node:http's parser (llhttp): run the front's
// request parser over a byte stream as its connection loop does (given pieces, serving complete requests
// in order, stopping at an answer that closes the connection, handing over at a `slow` step) and check
// that every request it served is one llhttp splits out of the same bytes, identical in method, target,
// version, headers and body, and that what it hands over (or still waits for) leaves node:http exactly
// the stream node:http would have parsed after those requests.
import { isDeepStrictEqual } from 'node:util';
import { parseHead, type ParsedHead } from '../../src/node/http/wire.js';
import { lastHeaderValues } from '../../src/node/http/headers.js';
import { referenceParse, type ReferenceParse, type ReferenceRequest } from './llhttp-reference.js';

export interface FrontRun {
  readonly served: readonly ParsedHead[];
  /** Offset just after the last served request. */
  readonly servedEnd: number;
  /** 'closed': the last answer closes the connection; 'slow': handed over; 'waiting': bytes wait for more. */
  readonly outcome: 'clean' | 'closed' | 'slow' | 'waiting';
}

/** The front answers keep-alive only when the client asks for it (handling.ts). */
function keepsAlive(head: ParsedHead): boolean {
  return head.headers['connection']?.toLowerCase() === 'keep-alive';
}

export type HeadParser = (buf: Buffer, start: number) => ReturnType<typeof parseHead>;

/** The front's connection loop over `pieces` (the bytes as they arrive), with `parse` as its parser. */
export function frontRun(pieces: readonly Buffer[], parse: HeadParser = parseHead): FrontRun {
  const served: ParsedHead[] = [];
  let pending: Buffer = Buffer.alloc(0);
  let base = 0;
  for (const piece of pieces) {
    pending = pending.length === 0 ? piece : Buffer.concat([pending, piece]);
    let offset = 0;
    while (offset < pending.length) {
      const step = parse(pending, offset);
      if (step.kind === 'incomplete') break;
      if (step.kind === 'slow') return { served, servedEnd: base + offset, outcome: 'slow' };
      served.push(step);
      offset = step.end;
      if (!keepsAlive(step)) return { served, servedEnd: base + offset, outcome: 'closed' };
    }
    base += offset;
    pending = pending.subarray(offset);
  }
  return { served, servedEnd: base, outcome: pending.length > 0 ? 'waiting' : 'clean' };
}

/** What differs between a request the front served and the one llhttp parsed, or undefined. */
export function requestDifference(front: ParsedHead, ref: ReferenceRequest | undefined): string | undefined {
  if (ref === undefined) return 'llhttp has no such request';
  if (front.method !== ref.method) return `method ${front.method} vs ${ref.method}`;
  if (front.url !== ref.url) return `target ${JSON.stringify(front.url)} vs ${JSON.stringify(ref.url)}`;
  if (ref.versionMajor !== 1 || ref.versionMinor !== 1)
    return `llhttp version ${ref.versionMajor}.${ref.versionMinor}`;
  if (ref.upgrade) return 'llhttp upgrades';
  const headers = lastHeaderValues(ref.rawHeaders);
  if (!isDeepStrictEqual({ ...front.headers }, headers))
    return `headers ${JSON.stringify(front.headers)} vs ${JSON.stringify(headers)}`;
  const body = front.body ?? Buffer.alloc(0);
  if (!body.equals(ref.body))
    return `body ${JSON.stringify(body.toString('latin1'))} vs ${JSON.stringify(ref.body.toString('latin1'))}`;
  return undefined;
}

function sameParse(a: ReferenceParse, b: ReferenceParse): boolean {
  return isDeepStrictEqual(a, b);
}

/** Check the property for `stream` arriving as `pieces`; a description of the first breach, or undefined. */
export function divergence(
  stream: Buffer,
  pieces: readonly Buffer[] = [stream],
  parse: HeadParser = parseHead,
): string | undefined {
  const run = frontRun(pieces, parse);
  const k = run.served.length;
  if (k > 0) {
    const prefix = referenceParse(stream.subarray(0, run.servedEnd));
    if (prefix.end !== 'clean') return `llhttp ends the served bytes with ${prefix.end}`;
    if (prefix.requests.length !== k)
      return `front served ${k} requests, llhttp splits ${prefix.requests.length}`;
    for (let i = 0; i < k; i++) {
      const diff = requestDifference(run.served[i] as ParsedHead, prefix.requests[i]);
      if (diff !== undefined) return `request ${i}: ${diff}`;
    }
  }
  if (run.outcome === 'closed' || (run.outcome === 'clean' && k === 0)) return undefined;
  // node:http gets the rest on a fresh parser: it must see what it would have seen after the k requests
  const full = referenceParse(stream);
  const rest = referenceParse(stream.subarray(run.servedEnd));
  const joined: ReferenceParse = {
    requests: [...full.requests.slice(0, k), ...rest.requests],
    end: rest.end,
  };
  if (!sameParse(full, joined)) {
    return `after ${k} served requests node:http would parse ${JSON.stringify({ n: rest.requests.length, end: rest.end })}, not ${JSON.stringify({ n: full.requests.length - k, end: full.end })}`;
  }
  return undefined;
}
