// Secret masking for logs and `get dictionary`: values of `password = …` in command
// text and of dictionary keys whose name contains `passw`, `secret` or `token` are replaced by `******`.
export const MASK = '******';

/** Whether a dictionary key holds a secret. */
export function isSecretKey(name: string): boolean {
  const lower = name.toLowerCase();
  return lower.includes('passw') || lower.includes('secret') || lower.includes('token');
}

/** Mask secrets in command text: `password = x` values and the values of secret dictionary keys. */
export function maskSecrets(text: string, entries: ReadonlyArray<readonly [string, string]> = []): string {
  let out = text.replace(/(\b[A-Za-z_]*passw(?:or)?d\s*=\s*)("[^"]*"|\S+)/gi, `$1${MASK}`);
  for (const [key, value] of entries) {
    if (value.length >= 3 && isSecretKey(key)) out = out.split(value).join(MASK);
  }
  return out;
}
