// SCRAM-SHA-256 verifier keys against the RFC 7677 section 3 exchange (user "user", password "pencil"):
// ServerKey must reproduce the server signature and StoredKey must match the client proof.
import t from 'tap';
import { createHash, createHmac } from 'node:crypto';
import { formatVerifier, saslPrepare, scramKeys, scramVerifier } from '../../../src/ledger/scram.js';

const clientFirstBare = 'n=user,r=rOprNGfwEbeRWgbNEkqO';
const serverFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
const clientFinalWithoutProof = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0';
const clientProof = 'dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
const serverSignature = '6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';
const authMessage = `${clientFirstBare},${serverFirst},${clientFinalWithoutProof}`;

t.test('keys reproduce the RFC 7677 server signature and client proof', async (t) => {
  const keys = scramKeys('pencil', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
  const sig = createHmac('sha256', keys.serverKey).update(authMessage).digest('base64');
  t.equal(sig, serverSignature);
  const clientSignature = createHmac('sha256', keys.storedKey).update(authMessage).digest();
  const proof = Buffer.from(clientProof, 'base64');
  const clientKey = Buffer.from(proof.map((b, i) => b ^ (clientSignature[i] ?? 0)));
  t.same(createHash('sha256').update(clientKey).digest(), keys.storedKey);
});

t.test('a wrong password does not reproduce the signature', async (t) => {
  const keys = scramKeys('pencil2', Buffer.from('W22ZaJ0SNY7soEsUEjb6gQ==', 'base64'), 4096);
  t.not(createHmac('sha256', keys.serverKey).update(authMessage).digest('base64'), serverSignature);
});

t.test('verifier has PostgreSQL format and a fresh salt each time', async (t) => {
  const a = scramVerifier('secret');
  const b = scramVerifier('secret');
  t.match(a, /^SCRAM-SHA-256\$4096:[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=:[A-Za-z0-9+/]{43}=$/);
  t.not(a, b);
  t.notMatch(a, /secret/);
  const salt = Buffer.alloc(16, 7);
  t.equal(scramVerifier('secret', salt), formatVerifier(scramKeys('secret', salt)));
});

t.test('SASLprep mapping: ASCII unchanged, non-ASCII spaces mapped, NFKC applied', async (t) => {
  t.equal(saslPrepare('p@ss word'), 'p@ss word');
  t.equal(saslPrepare('a\u00a0b'), 'a b');
  t.equal(saslPrepare('a\u00adb'), 'ab');
  t.equal(saslPrepare('\u2168'), 'IX');
  t.equal(saslPrepare('\u00ad'), '\u00ad');
});
