// Render-test helpers: stored CRs from the fixtures and samples, and the inputs a reconciler would pass.
import { effectiveImages, resolveSpec } from '../../../src/api/defaults.js';
import type { AnyLogMaster } from '../../../src/api/types.js';
import {
  managedLedgerCredentials,
  managedLedgerEndpoint,
  type RenderInputs,
} from '../../../src/render/index.js';
import { samples, stored, validFixtures } from '../api/fixtures.js';

export const PASSWORD = 'S3cr3t-Pa55word-never-in-a-configmap';

export function crFromSample(name: 'embedded' | 'external' | 'managed'): AnyLogMaster {
  const sample = samples().find((s) => s.file.endsWith(`anylogmaster-${name}.yaml`));
  if (sample === undefined) throw new Error(`sample ${name} missing`);
  return stored(sample.object);
}

export function crFromFixture(file: string): AnyLogMaster {
  const fixture = validFixtures().find((f) => f.file.endsWith(`/${file}`));
  if (fixture === undefined) throw new Error(`fixture ${file} missing`);
  return stored(fixture.object);
}

/** Every valid fixture and sample as a stored CR. */
export function allCrs(): { file: string; cr: AnyLogMaster }[] {
  return [...validFixtures(), ...samples()].map((f) => ({ file: f.file, cr: stored(f.object) }));
}

export function inputsFor(cr: AnyLogMaster, overrides: Partial<RenderInputs> = {}): RenderInputs {
  const spec = resolveSpec(cr.spec);
  const images = effectiveImages(spec, { nodeImage: 'example.com/anylog:1', ledgerImage: 'postgres:17' });
  const base: RenderInputs = { operatorVersion: '0.1.0', images, advertisedAddress: '10.96.12.7' };
  if (spec.ledger.mode === 'Managed') {
    return {
      ...base,
      ledger: { endpoint: managedLedgerEndpoint(cr), credentials: managedLedgerCredentials(cr, '4711') },
      ...overrides,
    };
  }
  if (spec.ledger.mode === 'External') {
    const e = spec.ledger.external;
    const ref = e.credentialsSecretRef;
    return {
      ...base,
      ledger: {
        endpoint: { host: e.host, port: e.port, database: e.database, sslMode: e.sslMode },
        credentials: {
          secretName: ref.name,
          usernameKey: ref.usernameKey,
          passwordKey: ref.passwordKey,
          resourceVersion: '17',
        },
      },
      ...overrides,
    };
  }
  return { ...base, ...overrides };
}
