// Counts outgoing TCP connection attempts per destination through node:net's `net.client.socket`
// diagnostics channel, so a test can tell "failed on the first refusal" from "retried" by counting
// instead of timing. Every client socket of the process is seen, whichever module opened it.
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';
import type { Test } from 'tap';

const CHANNEL = 'net.client.socket';

/** Start counting for the rest of test `t`; the result answers how many attempts went to ip:port so far. */
export function watchConnectAttempts(t: Test): (ip: string, port: number) => number {
  const attempts: string[] = [];
  const onSocket = (message: unknown): void => {
    const { socket } = message as { socket: Socket };
    // emitted once per address tried, before the outcome is known
    socket.on('connectionAttempt', (ip: string, port: number) => {
      attempts.push(`${ip}:${port}`);
    });
  };
  subscribe(CHANNEL, onSocket);
  t.teardown(() => {
    unsubscribe(CHANNEL, onSocket);
  });
  return (ip, port) => attempts.filter((a) => a === `${ip}:${port}`).length;
}
