// The logging interface the node runtime is written against: the four pino call shapes it uses. The node
// passes a LineLogger (line-logger.ts); tests and the operator may pass any pino logger, which fits it.

export interface LogFn {
  (msg: string): void;
  (fields: object, msg?: string): void;
}

export interface LogPort {
  readonly debug: LogFn;
  readonly info: LogFn;
  readonly warn: LogFn;
  readonly error: LogFn;
}
