// TypeBox schema of AnyLogMaster `.spec.rest`: REST over TLS with client certificates, either issued and
// renewed by the operator or taken from Secrets the user names (cert-manager's layout).
import Type from 'typebox';
import { celValidations } from './cel-rules.js';
import { DNS_SUBDOMAIN_PATTERN, TLS_ORG_PATTERN } from './patterns.js';

const closed = { additionalProperties: false } as const;
const XV = 'x-kubernetes-validations';

const ObjectName = (description: string) =>
  Type.String({ minLength: 1, maxLength: 253, pattern: DNS_SUBDOMAIN_PATTERN, description });

/** Defaults of `spec.rest.tls`, also used where the resolved value is computed. */
export const TLS_DEFAULT_DURATION_HOURS = 2160;
export const TLS_DEFAULT_ORG = 'anylog';

export const RestTlsSchema = Type.Object(
  {
    enabled: Type.Optional(
      Type.Boolean({ default: false, description: 'serve the REST API over HTTPS with client certificates' }),
    ),
    secretName: Type.Optional(
      ObjectName(
        'Secret with the server certificate (tls.crt, tls.key, ca.crt, as cert-manager writes it); absent = the operator issues a CA and the certificates itself',
      ),
    ),
    clientSecretName: Type.Optional(
      ObjectName(
        'Secret with a client certificate signed by the same CA (tls.crt, tls.key, ca.crt) that the operator presents to the node; required with, and only allowed with, secretName',
      ),
    ),
    org: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 63,
        pattern: TLS_ORG_PATTERN,
        default: TLS_DEFAULT_ORG,
        description: 'the ca_org and server_org of `run rest server`, part of the certificate file names',
      }),
    ),
    durationHours: Type.Optional(
      Type.Integer({
        minimum: 24,
        maximum: 87600,
        default: TLS_DEFAULT_DURATION_HOURS,
        description: 'validity of the server and client certificates the operator issues (default 90 days)',
      }),
    ),
    renewBeforeHours: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: 87599,
        description:
          'renew an issued certificate this long before it expires; absent = a third of durationHours (renewal at two thirds of its life)',
      }),
    ),
  },
  {
    ...closed,
    default: {},
    description: 'TLS with client certificates on the REST API',
    [XV]: celValidations('TLS1', 'TLS2'),
  },
);

export const RestSchema = Type.Object(
  { tls: Type.Optional(RestTlsSchema) },
  { ...closed, default: {}, description: 'the REST API of the node' },
);
