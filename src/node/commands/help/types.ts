// The shape of the node's help texts: entries and groups of sub-commands,
// as EdgeLake arranges its own help. `\n` separates lines inside a field.

export interface HelpEntry {
  readonly usage: string;
  readonly text: string;
  readonly examples: string;
  /** Index keywords (`help index`); none files the command under `not indexed`. */
  readonly index?: readonly string[];
  /** Peer-protocol commands: left out of the command list. */
  readonly internal?: boolean;
}

export interface HelpGroup {
  readonly usage: string;
  readonly methods: Readonly<Record<string, HelpEntry>>;
  readonly internal?: boolean;
}

export type HelpNode = HelpEntry | HelpGroup;

export function isGroup(node: HelpNode): node is HelpGroup {
  return 'methods' in node;
}
