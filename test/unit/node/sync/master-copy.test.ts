// The names of the master's copies of a ledger it serves.
import t from 'tap';
import { masterCopyName } from '../../../../src/node/sync/serve.js';

t.test('master copy names', async (t) => {
  t.equal(masterCopyName('/x/blockchain/blockchain.new', 8), '/x/blockchain/blockchain.master_id_8.new');
  t.equal(masterCopyName('/x/blockchain/blockchain', 1), '/x/blockchain/blockchain.master_id_1');
  t.equal(masterCopyName('/x.d/file', 2), '/x.d/file.master_id_2');
  // a leading dot starts a hidden name, not an extension
  t.equal(masterCopyName('/x/.ledger', 3), '/x/.ledger.master_id_3');
  t.equal(masterCopyName('.ledger', 4), '.ledger.master_id_4');
});
