// The `help` command: the node's own help texts in EdgeLake's layout. Always
// succeeds, as on EdgeLake (an unknown command is answered with suggestions); not accepted from peers.
import { ok, type CommandDef } from '../../ports/command.js';
import { renderHelp } from './render.js';
import { HELP } from './texts.js';

const help: CommandDef = {
  key: 'help',
  run: (inv) => Promise.resolve(ok(renderHelp(inv.words.slice(1), HELP))),
};

export const HELP_COMMANDS: readonly CommandDef[] = [help];
