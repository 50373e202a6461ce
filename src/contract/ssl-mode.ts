// The PostgreSQL sslmode values (libpq's names) that both the AnyLogMaster spec and the node's settings and
// `connect dbms` accept. One list, so the CRD enum, the node and the ledger connections name the same modes.
export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

export type SslMode = (typeof SSL_MODES)[number];
