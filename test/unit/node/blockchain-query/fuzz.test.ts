// Fuzz of the `blockchain get` parser and engine: 10,000+ generated word lists (grammar fragments,
// injection-shaped values, random characters) against a real local ledger file. No exception escapes,
// every refusal carries a known code, and the ledger file is unchanged. The time each input takes is a
// speed figure that npm run bench:node reports.
import t from 'tap';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runBlockchainGet } from '../../../../src/node/blockchain-query/index.js';
import { createLedgerFile } from '../../../../src/node/ledger/index.js';
import type { NodeServices } from '../../../../src/node/ports/runtime.js';
import { silentLogger } from '../../../../src/common/logger.js';
import { readVectorJson } from '../../../helpers/vectors.js';
import { blockchainGetFuzzInputs } from '../../../helpers/fuzz-inputs.js';

const vector = readVectorJson('blockchain-get.json') as { ledger_file: string };

t.test('10,000 generated inputs: no exception, known refusal codes, ledger unchanged', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'bc-fuzz-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const path = join(dir, 'blockchain.json');
  writeFileSync(path, vector.ledger_file);
  const node = { dirs: { blockchain_file: path }, logger: silentLogger() } as unknown as NodeServices;
  const file = createLedgerFile(node);
  const versionBefore = file.metadataVersion();
  const ctx = { externalIp: '127.0.0.1', internalIp: '127.0.0.1' };
  let errors = 0;
  let successes = 0;
  let inputs = 0;
  for (const words of blockchainGetFuzzInputs(10_000)) {
    inputs++;
    let outcome: ReturnType<typeof runBlockchainGet>;
    try {
      outcome = runBlockchainGet(words, file, ctx);
    } catch (err) {
      t.fail(`exception for ${JSON.stringify(words)}: ${String(err)}`);
      continue;
    }
    if (outcome.ok) successes++;
    else {
      errors++;
      // 2 structure, 181 an unparsable where condition, 240 an unparsable `{…}` search
      if (![2, 181, 240].includes(outcome.code)) t.fail(`unexpected code ${outcome.code}`);
    }
  }
  t.equal(inputs, 10_000);
  t.ok(successes > 100, `some inputs are valid queries (${successes})`);
  t.ok(errors > 100, `some inputs are rejected (${errors})`);
  t.equal(file.metadataVersion(), versionBefore, 'metadata version unchanged');
  t.equal(readFileSync(path, 'utf8'), vector.ledger_file, 'ledger file bytes unchanged');
  t.equal(file.policies().length, 2);
});
