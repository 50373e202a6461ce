// The only reader of process.env (architecture rule D10). Programs take a snapshot once at start-up
// and validate it in their own config module; tests pass a plain object instead.

export type Env = Readonly<Record<string, string | undefined>>;

/** A frozen copy of the process environment. */
export function readProcessEnv(): Env {
  return Object.freeze({ ...process.env });
}

/** Set a variable in the process environment (the node's `$NAME = value` and defaulted parameters). */
export function writeProcessEnv(name: string, value: string): void {
  process.env[name] = value;
}

/** Read one variable from the live process environment (the node's `$NAME` expansion). */
export function readProcessEnvVar(name: string): string | undefined {
  return process.env[name];
}
