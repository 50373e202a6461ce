// The PEM files of a TLS REST server (`run rest server … and ssl = true`), read once when the server starts:
// the server's certificate and key and the CA whose signature a client certificate must carry. They are
// not watched: a new certificate takes effect with the next `run rest server` (the operator replaces the
// pod). Failures name the file and its status code; the key's content never reaches a message or a log.
import { readFile } from 'node:fs/promises';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { AppError } from '../../common/errors.js';
import { STATUS, type StatusCode } from '../../contract/status-codes.js';
import type { RestTlsFiles } from '../ports/network.js';

/** A TLS file that is missing (12), unreadable (47) or not a usable certificate/key set (3). */
export class RestTlsError extends AppError {
  readonly status: StatusCode;
  constructor(status: StatusCode, message: string) {
    super('ERR_CMD_FAILED', message, { details: { status } });
    this.status = status;
  }
}

/** The PEM texts for node:tls: the server's certificate and key, and the only CA trusted for clients. */
export type RestTlsMaterial = Pick<SecureContextOptions, 'ca' | 'cert' | 'key'>;

async function readPem(path: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code ?? 'read failed';
    if (errno === 'ENOENT')
      throw new RestTlsError(STATUS.FILE_NOT_FOUND, `Missing file for ssl process: ${path}`);
    throw new RestTlsError(STATUS.FILE_OPEN_FAILED, `Failed to read file for ssl process: ${path}: ${errno}`);
  }
}

/**
 * Read the three files in AnyLog's order (server certificate, server key, CA) and check that they make a
 * TLS context. OpenSSL's reason (e.g. a key that does not match the certificate) names no key material.
 */
export async function loadRestTls(files: RestTlsFiles): Promise<RestTlsMaterial> {
  const cert = await readPem(files.certFile);
  const key = await readPem(files.keyFile);
  const ca = await readPem(files.caFile);
  const material: RestTlsMaterial = { cert, key, ca };
  try {
    createSecureContext(material);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid';
    throw new RestTlsError(
      STATUS.PROCESS_FAILURE,
      `SSL setup failed with ${files.certFile}, ${files.keyFile} and ${files.caFile}: ${reason}`,
    );
  }
  return material;
}
