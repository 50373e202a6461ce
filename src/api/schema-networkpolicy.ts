// TypeBox schema of AnyLogMaster `.spec.networkPolicy`: who may reach the node pod's TCP and REST ports,
// as Kubernetes NetworkPolicy peers (label selectors or address blocks). Closed objects, as in schema-spec.ts.
import Type from 'typebox';
import { celValidations } from './cel-rules.js';

const closed = { additionalProperties: false } as const;
const XV = 'x-kubernetes-validations';

const LabelSelector = (description: string) =>
  Type.Object(
    {
      matchLabels: Type.Optional(
        Type.Record(Type.String({ maxLength: 317 }), Type.String({ maxLength: 63 }), {
          maxProperties: 32,
          description: 'labels that must all match',
        }),
      ),
      matchExpressions: Type.Optional(
        Type.Array(
          Type.Object(
            {
              key: Type.String({ minLength: 1, maxLength: 317 }),
              operator: Type.Enum(['In', 'NotIn', 'Exists', 'DoesNotExist']),
              values: Type.Optional(
                Type.Array(Type.String({ maxLength: 63 }), {
                  maxItems: 64,
                  'x-kubernetes-list-type': 'atomic',
                }),
              ),
            },
            closed,
          ),
          { maxItems: 16, 'x-kubernetes-list-type': 'atomic', description: 'set-based requirements' },
        ),
      ),
    },
    { ...closed, description },
  );

/** One allowed source, as networking.k8s.io/v1 NetworkPolicyPeer. */
export const NetworkPolicyPeerSchema = Type.Object(
  {
    namespaceSelector: Type.Optional(
      LabelSelector('namespaces the source pods run in; {} = every namespace; absent = this namespace'),
    ),
    podSelector: Type.Optional(LabelSelector('source pods; {} = every pod of the selected namespaces')),
    ipBlock: Type.Optional(
      Type.Object(
        {
          cidr: Type.String({ minLength: 1, maxLength: 64, [XV]: celValidations('CIDR') }),
          except: Type.Optional(
            Type.Array(Type.String({ maxLength: 64, [XV]: celValidations('CIDR') }), {
              maxItems: 32,
              'x-kubernetes-list-type': 'atomic',
            }),
          ),
        },
        { ...closed, description: 'source addresses (pod IPs or addresses outside the cluster)' },
      ),
    ),
  },
  {
    ...closed,
    minProperties: 1,
    description: 'an allowed source: namespaceSelector and/or podSelector, or ipBlock',
  },
);

const Peers = (description: string) =>
  Type.Array(NetworkPolicyPeerSchema, {
    maxItems: 32,
    default: [],
    'x-kubernetes-list-type': 'atomic',
    description,
  });

export const NetworkPolicySpecSchema = Type.Object(
  {
    enabled: Type.Optional(
      Type.Boolean({
        default: true,
        description: 'render a NetworkPolicy for the node pod; false = the operator applies none',
      }),
    ),
    tcpPeers: Type.Optional(
      Peers('who may open the TCP (peer protocol) port; empty = every pod of every namespace'),
    ),
    restClients: Type.Optional(
      Peers('who may open the REST port besides the operator itself; empty = the operator only'),
    ),
  },
  {
    ...closed,
    default: {},
    description:
      'ingress to the node pod: the TCP port from tcpPeers, the REST port from the operator and restClients, nothing else',
  },
);
