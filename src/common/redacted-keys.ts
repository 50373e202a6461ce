// The keys whose values are never logged, at any depth (docs/design/operator.md and docs/design/node-runtime.md: secrets never in
// logs). Shared by the pino logger of the operator (logger.ts) and the node's line logger (line-logger.ts).

export const REDACTED_KEYS = [
  'password',
  'passwd',
  'DB_PASSWD',
  'db_passwd',
  'connectionString',
  'authorization',
  'Authorization',
  'token',
  'secret',
  // PEM private keys: REST TLS key pairs (keyPem) and the node client's TLS options (privateKey, tlsKey).
  'keyPem',
  'privateKey',
  'tlsKey',
] as const;

/** What a redacted value is replaced with. */
export const CENSOR = '******';
