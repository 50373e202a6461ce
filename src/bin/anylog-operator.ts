#!/usr/bin/env node
// The `anylog-operator` executable: `run` (default) starts the operator (src/operator/main.ts); `crds` and
// `docs` print or write the generated CRD and configuration reference; `render` and `validate` run the
// pure renderers and the TypeScript validation on a CR file; `version`. Files in src/bin may exit.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { effectiveImages, PUBLISHED_IMAGE_REPOSITORY, resolveSpec } from '../api/defaults.js';
import { renderCrdYaml } from '../api/crd.js';
import { renderReferenceDoc } from '../api/reference-doc.js';
import type { AnyLogMaster } from '../api/types.js';
import { validateAnyLogMaster } from '../api/validate.js';
import { AppError } from '../common/errors.js';
import {
  renderAll,
  managedLedgerCredentials,
  managedLedgerEndpoint,
  type RenderInputs,
} from '../render/index.js';

/** Bad command-line usage: exit code 2. */
class UsageError extends AppError {
  constructor(message: string) {
    super('ERR_USAGE', message);
  }
}

const ROOT = new URL('../../', import.meta.url);
const CRD_PATH = fileURLToPath(new URL('crds/anylogmaster.yaml', ROOT));
const DOCS_PATH = fileURLToPath(new URL('docs/reference/anylogmaster.md', ROOT));

const HELP = `Usage: anylog-operator [command] [options]

Commands:
  run                      start the operator (default)
  crds [--write]           print the AnyLogMaster CRD, or write it to crds/anylogmaster.yaml
  docs [--write]           print the configuration reference, or write docs/reference/anylogmaster.md
  render <cr.yaml>         print the children rendered for a CR as YAML (placeholder inputs below)
  validate <cr.yaml>       validate every CR in the file; prints each problem, exit 1 on failure
  version                  print the version
  --help                   this text

render inputs (placeholders; the operator observes the real values):
  --image <ref>            node image when spec.image is absent      (default ghcr.io/anylog-operator/anylog-operator:<version>)
  --ledger-image <ref>     ledger image when absent (managed mode)   (default postgres:17)
  --address <ip>           advertised address                         (default 10.96.0.10; Overlay: spec ip)
  --operator-version <v>   version label                              (default this package's version)
  --secret-version <rv>    credential Secret resourceVersion          (default 1)
  --ledger-host <host>     managed ledger host                        (default <name>-ledger.<namespace>.svc)
`;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('package.json', ROOT), 'utf8')) as { version?: unknown };
  return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
}

function readDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((doc) => doc.toJS() as unknown)
    .filter((doc) => doc !== null && doc !== undefined);
}

function writeOrPrint(text: string, path: string, write: boolean): void {
  if (!write) {
    process.stdout.write(text);
    return;
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  process.stderr.write(`wrote ${path}\n`);
}

function commandValidate(files: readonly string[]): number {
  if (files.length === 0) throw new UsageError('validate needs a file');
  let failed = 0;
  for (const file of files) {
    for (const [i, doc] of readDocuments(file).entries()) {
      const result = validateAnyLogMaster(doc);
      const label = `${file}#${i}`;
      if (result.ok) {
        process.stdout.write(`${label}: valid\n`);
        continue;
      }
      failed += 1;
      for (const problem of result.problems) process.stdout.write(`${label}: ${problem.message}\n`);
    }
  }
  return failed === 0 ? 0 : 1;
}

interface RenderOptions {
  readonly image?: string | undefined;
  readonly ledgerImage?: string | undefined;
  readonly address?: string | undefined;
  readonly operatorVersion?: string | undefined;
  readonly secretVersion?: string | undefined;
  readonly ledgerHost?: string | undefined;
}

function asStoredCr(doc: unknown): AnyLogMaster {
  const result = validateAnyLogMaster(doc);
  if (!result.ok) throw new UsageError(result.problems.map((p) => p.message).join('\n'));
  const cr = doc as AnyLogMaster;
  const given: Partial<AnyLogMaster['metadata']> = cr.metadata;
  const metadata = {
    ...cr.metadata,
    namespace: given.namespace ?? 'default',
    uid: given.uid ?? '00000000-0000-0000-0000-000000000000',
  };
  return { ...cr, metadata };
}

function placeholderInputs(cr: AnyLogMaster, options: RenderOptions): RenderInputs {
  const version = options.operatorVersion ?? packageVersion();
  const spec = resolveSpec(cr.spec);
  const images = effectiveImages(spec, {
    nodeImage: options.image ?? `${PUBLISHED_IMAGE_REPOSITORY}:${version}`,
    ledgerImage: options.ledgerImage ?? 'postgres:17',
  });
  const address = options.address ?? spec.network.advertise.ip ?? '10.96.0.10';
  const base = { operatorVersion: version, images, advertisedAddress: address };
  const rv = options.secretVersion ?? '1';
  switch (spec.ledger.mode) {
    case 'Embedded':
      return base;
    case 'Managed':
      return {
        ...base,
        ledger: {
          endpoint: managedLedgerEndpoint(cr, options.ledgerHost),
          credentials: managedLedgerCredentials(cr, rv),
        },
      };
    case 'External': {
      const ext = spec.ledger.external;
      const ref = ext.credentialsSecretRef;
      return {
        ...base,
        ledger: {
          endpoint: { host: ext.host, port: ext.port, database: ext.database, sslMode: ext.sslMode },
          credentials: {
            secretName: ref.name,
            usernameKey: ref.usernameKey,
            passwordKey: ref.passwordKey,
            resourceVersion: rv,
          },
        },
      };
    }
  }
}

function commandRender(files: readonly string[], options: RenderOptions): number {
  if (files.length !== 1 || files[0] === undefined) throw new UsageError('render needs exactly one file');
  const objects = readDocuments(files[0]).flatMap((doc) => {
    const cr = asStoredCr(doc);
    return renderAll(cr, placeholderInputs(cr, options));
  });
  process.stdout.write(objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n'));
  return 0;
}

async function commandRun(argv: readonly string[]): Promise<number> {
  const specifier = '../operator/main.js';
  let mod: { runOperator?: (argv: readonly string[]) => Promise<number | undefined> };
  try {
    mod = (await import(specifier)) as typeof mod;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND') {
      process.stderr.write(
        'anylog-operator run: the operator runtime (src/operator/main.ts) is not built into this version\n',
      );
      return 1;
    }
    throw error;
  }
  if (typeof mod.runOperator !== 'function') {
    process.stderr.write('anylog-operator run: src/operator/main.ts does not export runOperator(argv)\n');
    return 1;
  }
  return (await mod.runOperator(argv)) ?? 0;
}

async function main(argv: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: false,
    options: {
      help: { type: 'boolean', short: 'h' },
      write: { type: 'boolean' },
      image: { type: 'string' },
      'ledger-image': { type: 'string' },
      address: { type: 'string' },
      'operator-version': { type: 'string' },
      'secret-version': { type: 'string' },
      'ledger-host': { type: 'string' },
    },
  });
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  const [command = 'run', ...rest] = positionals;
  if (values['help'] === true) {
    process.stdout.write(HELP);
    return 0;
  }
  switch (command) {
    case 'run':
      return commandRun(argv.filter((a) => a !== 'run'));
    case 'crds':
      writeOrPrint(renderCrdYaml(), CRD_PATH, values['write'] === true);
      return 0;
    case 'docs':
      writeOrPrint(renderReferenceDoc(), DOCS_PATH, values['write'] === true);
      return 0;
    case 'validate':
      return commandValidate(rest);
    case 'render':
      return commandRender(rest, {
        image: str(values['image']),
        ledgerImage: str(values['ledger-image']),
        address: str(values['address']),
        operatorVersion: str(values['operator-version']),
        secretVersion: str(values['secret-version']),
        ledgerHost: str(values['ledger-host']),
      });
    case 'version':
      process.stdout.write(`${packageVersion()}\n`);
      return 0;
    default:
      throw new UsageError(`unknown command '${command}'\n\n${HELP}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    const usage = error instanceof UsageError;
    process.stderr.write(`anylog-operator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(usage ? 2 : 1);
  },
);
