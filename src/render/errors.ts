// Errors of the renderers: only programming errors (inputs that do not fit the spec), never I/O.
import { AppError } from '../common/errors.js';

/** The reconciler passed inputs that the CR's mode needs but did not provide (a bug). */
export class RenderInputError extends AppError {
  constructor(message: string) {
    super('ERR_INTERNAL', message);
  }
}
