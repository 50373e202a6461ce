// Character rules for AnyLogMaster string fields, shared by the schema and the docs.
// The sets exclude everything the AnyLog command language treats specially (`!`, `$`, `|`, quotes, braces,
// `<`, `>`, newlines). Words are separated by single spaces because the node's tokenizer joins words with
// one space: "New  Company" would reach the policy as "New Company" and break the id.

/** `spec.nodeName`: 1–63 characters, starting with a letter or digit. */
export const NODE_NAME_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$';

/** `spec.company`, `spec.location.country|state|city`: words of letters, digits and `. _ - , & ( )`. */
export const COMPANY_PATTERN = '^[A-Za-z0-9._,&()-]+( [A-Za-z0-9._,&()-]+)*$';

/** `spec.location.loc`: "lat, long" in decimal degrees. */
export const LOCATION_PATTERN = '^-?[0-9]{1,2}(\\.[0-9]{1,8})?, ?-?[0-9]{1,3}(\\.[0-9]{1,8})?$';

/** `spec.ledger.external.database`: a lower-case PostgreSQL identifier. */
export const DATABASE_PATTERN = '^[a-z_][a-z0-9_]{0,62}$';

/** Kubernetes object names referenced from the spec (Secrets, storage and priority classes). */
export const DNS_SUBDOMAIN_PATTERN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';

/** Secret data keys. */
export const SECRET_KEY_PATTERN = '^[-._a-zA-Z0-9]+$';

/** `spec.rest.tls.org`: part of the certificate file names the node reads (`server-<org>-public-key.crt`). */
export const TLS_ORG_PATTERN = '^[a-z0-9]([a-z0-9_-]{0,61}[a-z0-9])?$';
