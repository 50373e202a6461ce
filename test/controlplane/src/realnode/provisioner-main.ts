// Process entry of the local node's volume provisioner, started detached by the real node's start-up:
// `provisioner-main.ts <run-dir>`.
import { runProvisioner } from './provisioner.js';

const runDir = process.argv[2];
if (runDir === undefined) {
  process.stderr.write('usage: provisioner-main.ts <run-dir>\n');
  process.exit(2);
}
await runProvisioner(runDir);
process.exit(0);
