// Reading certificates back (from the operator's Secrets or the user's): validity, subject alternative
// names and whether a CA signed them, which is all the renewal decision needs. Never touches keys.
// @peculiar/x509 resolves its ASN.1 helpers through tsyringe, which needs the Reflect metadata polyfill.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';

/** What the renewal decision knows about a held certificate. */
export interface CertificateFacts {
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  /** DNS names and IP addresses, sorted. */
  readonly sans: readonly string[];
  readonly subject: string;
  readonly isCa: boolean;
}

/** Facts of the first certificate of `pem`, or undefined when it does not parse. */
export function certificateFacts(pem: string): CertificateFacts | undefined {
  let cert: x509.X509Certificate;
  try {
    cert = new x509.X509Certificate(pem);
  } catch {
    return undefined;
  }
  const san = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const sans = (san?.names.items ?? [])
    .filter((n) => n.type === 'dns' || n.type === 'ip')
    .map((n) => n.value)
    .sort();
  return {
    notBeforeMs: cert.notBefore.getTime(),
    notAfterMs: cert.notAfter.getTime(),
    sans,
    subject: cert.subject,
    isCa: cert.getExtension(x509.BasicConstraintsExtension)?.ca === true,
  };
}

/** Whether `caPem`'s key signed `certPem` (signature only: validity is the renewal decision's concern). */
export async function signedBy(certPem: string, caPem: string): Promise<boolean> {
  try {
    const cert = new x509.X509Certificate(certPem);
    const ca = new x509.X509Certificate(caPem);
    return await cert.verify({ publicKey: ca, signatureOnly: true });
  } catch {
    return false;
  }
}
