// Pure REST helpers: error body spacing and key order, HTTP status of code 30, the
// method table, `destination` rewriting, URL parameters, header decoding, body text decoding.
import t from 'tap';
import { errorBody, pyString, statusFor, healthBody } from '../../../../src/node/rest/responses.js';
import { allowedMethods } from '../../../../src/node/rest/method-check.js';
import { destinationCommand, bodyText } from '../../../../src/node/rest/command-flow.js';
import { urlParams, decodeHeaderValue } from '../../../../src/node/http/headers.js';
import { agentOf } from '../../../../src/node/rest/request-info.js';
import { asStatusCode, knownStatusCodes, STATUS } from '../../../../src/contract/status-codes.js';

t.test('error bodies', async (t) => {
  t.equal(
    errorBody({ method: 'get', node: '10.0.0.1', code: STATUS.COMMAND_STRUCTURE }),
    '{"method": "get", "node": "10.0.0.1", "err_code": 2, "err_text": "Error Command Structure"}',
  );
  t.equal(
    errorBody({ method: 'post', node: '10.0.0.1', code: STATUS.COMMAND_STRUCTURE, detail: 'bad where' }),
    '{"method": "post", "node": "10.0.0.1", "err_code": 2, "err_text": "Error Command Structure", "local_msg": "bad where"}',
  );
  t.equal(
    errorBody({ method: 'post', node: '10.0.0.1', code: STATUS.COMMAND_STRUCTURE, detail: '' }),
    '{"method": "post", "node": "10.0.0.1", "err_code": 2, "err_text": "Error Command Structure"}',
    'an empty detail adds no local_msg',
  );
  t.equal(pyString('café "q"\n'), '"caf\\u00e9 \\"q\\"\\n"');
  t.equal(statusFor(STATUS.BLOCKCHAIN_FAILED, "duplicate policy id 'x'"), 409);
  t.equal(statusFor(STATUS.BLOCKCHAIN_FAILED, 'SQL error'), 500);
  const beyondTable = asStatusCode(Math.max(...knownStatusCodes()) + 1);
  t.equal(statusFor(beyondTable, undefined), 500);
  t.equal(
    healthBody('/health', 1_764_160_000_000),
    '{"status": "healthy", "service": "anylog-rest-server", "timestamp": 1764160000.0}',
  );
});

t.test('method table: EdgeLake keys, POST fallback of two-word keys, one-word commands', async (t) => {
  const cases: [string, string[]][] = [
    ['get status', ['GET']],
    ['GET STATUS', ['GET']],
    ['blockchain get * bring.count', ['GET', 'POST']],
    ['Blockchain Get svc', ['GET', 'POST']],
    ['blockchain read x', ['GET', 'POST']],
    ['help', ['GET']],
    ['help blockchain get', ['GET']],
    ['Help', []],
    ['foobar', []],
    ['get', ['GET']],
    ['print x', ['POST']],
    ['echo x', ['POST']],
    ['wait 1', ['GET', 'POST']],
    ['sql db select', ['GET', 'POST']],
    ['sql', []],
    ['time file get x', ['GET', 'POST']],
    ['blockchain drop policy where id = x', ['POST']],
    ['blockchain insert where policy = !p', ['POST']],
    ['x = get status', ['POST']],
    ['frobnicate now', ['POST']],
  ];
  for (const [command, methods] of cases) t.same(allowedMethods(command), methods, command);
});

t.test('destination rewriting', async (t) => {
  t.equal(destinationCommand('get status', {}, 20), 'get status');
  t.equal(destinationCommand('get status', { destination: 'local' }, 20), 'get status');
  t.equal(
    destinationCommand('get status', { destination: 'network' }, 20),
    'run client (timeout = 20) get status',
  );
  t.equal(
    destinationCommand(
      'get status',
      { destination: '10.0.0.1:32048, 10.0.0.2:32048', subset: 'true', timeout: '2 minutes' },
      20,
    ),
    'run client (10.0.0.1:32048, 10.0.0.2:32048, subset = true, timeout = 120) get status',
  );
  t.equal(
    destinationCommand('get status', { destination: 'blockchain get operator bring.ip_port' }, 30),
    'run client (blockchain get operator bring.ip_port, timeout = 30) get status',
  );
});

t.test('URL parameters, header values, agents, body text', async (t) => {
  t.same(urlParams('/?User-Agent=AnyLog/1.23?command=get%20status&destination=network'), {
    'user-agent': 'AnyLog/1.23',
    command: 'get status',
    destination: 'network',
  });
  t.same(urlParams('/no-params'), {});
  t.equal(decodeHeaderValue(Buffer.from(' café ', 'utf8').toString('latin1')), 'café');
  t.equal(decodeHeaderValue(Buffer.from('caf\xe9', 'latin1').toString('latin1')), 'café');
  t.same(agentOf({ 'user-agent': 'AnyLog/1.23' }), { product: 'anylog', value: 'AnyLog/1.23' });
  t.equal(agentOf({ 'user-agent': 'curl/8', 'anylog-agent': 'Mozilla/5.0' }).product, 'mozilla');
  t.equal(bodyText(Buffer.from('a\t= 1\r\nb = 2')), 'a= 1\nb = 2');
});
