// Interactive CLI: only when stdin is a TTY. Prompt `AL <node name> > `; each line
// runs through the interpreter with one session (one-line `if` state); results and errors to stdout.
import { createInterface } from 'node:readline';
import { statusText, STATUS } from '../contract/status-codes.js';
import type { CommandResult, ExecContext } from './ports/command.js';
import type { Interpreter } from './interpreter/index.js';
import type { NodeServices } from './ports/runtime.js';

export function formatFailure(result: CommandResult): string {
  return `${statusText(result.code)}${result.detail === undefined ? '' : `: ${result.detail}`}`;
}

/** Run the CLI until stdin closes or the signal aborts. */
export function runCli(interpreter: Interpreter, node: NodeServices, signal: AbortSignal): Promise<void> {
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
  const session = interpreter.newSession();
  const console = (text: string): void => {
    process.stdout.write(`${text}\n`);
  };
  const ctx: ExecContext = { source: 'cli', assigned: false, console, signal };
  const prompt = (): void => {
    rl.setPrompt(`AL ${node.identity.nodeName} > `);
    rl.prompt();
  };
  return new Promise<void>((resolve) => {
    signal.addEventListener(
      'abort',
      () => {
        rl.close();
      },
      { once: true },
    );
    rl.on('close', resolve);
    rl.on('line', (line) => {
      rl.pause();
      interpreter
        .execute(line, ctx, node, session)
        .then((result) => {
          if (result.code !== STATUS.SUCCESS) console(formatFailure(result));
          else if (result.text !== undefined && result.text !== '') console(result.text);
        })
        .catch((error: unknown) => {
          node.logger.error({ err: error }, 'CLI command failed');
        })
        .finally(() => {
          rl.resume();
          prompt();
        });
    });
    prompt();
  });
}
