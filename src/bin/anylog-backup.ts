#!/usr/bin/env node
// The `anylog-backup` executable, run by the operator's backup CronJob and restore Job from the project
// image: `backup` or `restore` (src/backup/run.ts). The result line goes to stdout and to --result (the
// container's terminationMessagePath), where the operator reads it from the Pod status. Exit 1 on failure.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatResult, type RunResult } from '../backup/result.js';
import type { ClientTlsFiles } from '../backup/ledger-rest.js';
import { runBackup, runRestore } from '../backup/run.js';

const HELP = `Usage: anylog-backup backup  --url <rest url> --dir <dir> --name <name> [--retention <n>] [--result <file>] [TLS]
       anylog-backup restore --url <rest url> --dir <dir> --file <file> [--result <file>] [TLS]
TLS (with an https URL): --tls-dir <dir holding tls.crt, tls.key, ca.crt> --servername <server certificate name>
`;

function usage(message: string): never {
  process.stderr.write(`anylog-backup: ${message}\n${HELP}`);
  process.exit(2);
}

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string' },
    dir: { type: 'string' },
    name: { type: 'string' },
    file: { type: 'string' },
    retention: { type: 'string', default: '7' },
    result: { type: 'string' },
    'tls-dir': { type: 'string' },
    servername: { type: 'string' },
  },
});

const need = (key: 'url' | 'dir' | 'name' | 'file'): string => values[key] ?? usage(`--${key} is required`);

function tlsFiles(): { tls?: ClientTlsFiles } {
  const dir = values['tls-dir'];
  if (dir === undefined) return {};
  return { tls: { dir, servername: values.servername ?? usage('--servername is required with --tls-dir') } };
}

let result: RunResult;
switch (positionals[0] ?? '') {
  case 'backup': {
    const retention = Number(values.retention);
    if (!Number.isInteger(retention) || retention < 1) usage('--retention must be a positive integer');
    result = await runBackup({
      url: need('url'),
      dir: need('dir'),
      name: need('name'),
      retention,
      ...tlsFiles(),
    });
    break;
  }
  case 'restore':
    result = await runRestore({ url: need('url'), dir: need('dir'), file: need('file'), ...tlsFiles() });
    break;
  default:
    usage(`unknown command ${positionals[0] ?? '(none)'}`);
}
const line = formatResult(result);
process.stdout.write(line);
if (values.result !== undefined) writeFileSync(values.result, line);
process.exit(result.ok ? 0 : 1);
