// Runs a benchmark inside a private network namespace with only loopback up (`unshare -n`, as root), so
// the host's loopback traffic and conntrack do not distort its figures. BENCH_NETNS=0 keeps the host's
// namespace; `networkName` says which one a report measured.
import { execFileSync } from 'node:child_process';

/** As root, run this process again inside a new network namespace with loopback up; true when it did. */
export function reexecInPrivateNetwork(): boolean {
  if (process.getuid?.() !== 0 || process.env['BENCH_NETNS'] === '0' || process.env['BENCH_IN_NETNS'] === '1')
    return false;
  execFileSync(
    'unshare',
    [
      '-n',
      '--',
      'sh',
      '-c',
      'ip link set lo up && exec "$0" "$@"',
      process.execPath,
      ...process.execArgv,
      ...process.argv.slice(1),
    ],
    { stdio: 'inherit', env: { ...process.env, BENCH_IN_NETNS: '1' } },
  );
  return true;
}

/** The network the figures were measured in, for the report. */
export function networkName(): string {
  return process.env['BENCH_IN_NETNS'] === '1' ? 'private namespace, loopback only' : 'host namespace';
}
