// Peer-only network commands: `event metadata_ping` (answered with a new
// `event metadata_pong` message to the source), `event metadata_pong` (source leaves the failed-peer set),
// any other `event …` (1), and `file write` reaching the interpreter (2 locally, 294 from a peer).
import { fail, ok, type CommandDef, type CommandResult, type ExecContext } from '../../ports/command.js';
import { STATUS } from '../../../contract/status-codes.js';

function notFromPeer(ctx: ExecContext): CommandResult | undefined {
  return ctx.source === 'tcp' && ctx.peer !== undefined ? undefined : fail(STATUS.COMMAND_STRUCTURE);
}

export const metadataPing: CommandDef = {
  key: 'event metadata_ping',
  peerAllowed: true,
  async run(_inv, ctx, node) {
    const refused = notFromPeer(ctx);
    if (refused !== undefined || ctx.peer === undefined) return refused ?? fail(STATUS.COMMAND_STRUCTURE);
    const source = `${ctx.peer.ip}:${ctx.peer.port}`;
    const [sent] = await node.peers.sendCommand([source], 'event metadata_pong', { wait: false });
    if (sent?.kind === 'unreachable') node.logger.debug({ peer: source }, 'metadata_pong not delivered');
    return ok();
  },
};

export const metadataPong: CommandDef = {
  key: 'event metadata_pong',
  peerAllowed: true,
  async run(_inv, ctx, node) {
    const refused = notFromPeer(ctx);
    if (refused !== undefined || ctx.peer === undefined) return refused ?? fail(STATUS.COMMAND_STRUCTURE);
    node.peers.markAlive?.(`${ctx.peer.ip}:${ctx.peer.port}`);
    return Promise.resolve(ok());
  },
};

export const otherEvent: CommandDef = {
  key: 'event',
  peerAllowed: true,
  async run(inv, ctx) {
    return Promise.resolve(
      notFromPeer(ctx) ?? fail(STATUS.UNRECOGNIZED_COMMAND, `Unknown command: '${inv.text}'`),
    );
  },
};

export const fileWrite: CommandDef = {
  key: 'file write',
  async run(_inv, ctx) {
    return Promise.resolve(notFromPeer(ctx) ?? fail(STATUS.FILE_NOT_AUTHORIZED));
  },
};
