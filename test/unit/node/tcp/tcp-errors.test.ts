// Errors of the TCP layer: the stable error code a peer failure carries (timeout or unreachable), and
// the status and cause a listen failure keeps for the command that reports it.
import t from 'tap';
import { ListenError, PeerError } from '../../../../src/node/tcp/errors.js';
import { STATUS } from '../../../../src/contract/status-codes.js';

t.test('a peer failure is a timeout only for status 26', async (t) => {
  const timeout = new PeerError(STATUS.TIMEOUT, 'no reply', { retryable: true });
  t.equal(timeout.code, 'ERR_PEER_TIMEOUT');
  t.equal(timeout.status, STATUS.TIMEOUT);
  t.equal(timeout.detail, 'no reply');
  t.equal(timeout.retryable, true);
  const refused = new PeerError(STATUS.NETWORK_ERROR, 'connection refused');
  t.equal(refused.code, 'ERR_PEER_UNREACHABLE');
  t.equal(refused.retryable, false);
});

t.test('a listen failure carries status 15 and the socket error as its cause', async (t) => {
  const cause = new Error('listen EADDRINUSE');
  const err = new ListenError('127.0.0.1', 32048, 'EADDRINUSE', cause);
  t.equal(err.message, 'Failed to listen on 127.0.0.1:32048: EADDRINUSE');
  t.equal(err.status, STATUS.NETWORK_ERROR);
  t.same(err.details, { status: STATUS.NETWORK_ERROR });
  t.equal(err.cause, cause);
});
