// PURE aggregation of peer replies into one answer: text replies labelled
// `[From Node <ip:port>]`, all-JSON replies as one object keyed by destination, a mix as that object
// with a JSON-escaped "messages" member; silent or unreachable destinations contribute `Not responding`.
import type { PeerReply } from '../../ports/network.js';

const SHORT_TEXT = 120;

function replyText(reply: PeerReply): string {
  return reply.kind === 'unreachable' || reply.kind === 'timeout' ? 'Not responding' : reply.text;
}

/** One text reply in the console/REST form. */
export function labelText(destination: string, text: string): string {
  const label = `[From Node ${destination}]`;
  return text.length <= SHORT_TEXT && !text.includes('\n')
    ? `\r\n${label} ${text}`
    : `\r\n${label}\r\n${text}`;
}

export function aggregateReplies(replies: readonly PeerReply[]): string {
  const json = replies.filter((r) => r.kind === 'json');
  const texts = replies
    .filter((r) => r.kind !== 'json')
    .map((r) => labelText(r.destination, replyText(r)))
    .join('');
  if (json.length === 0) return texts;
  const members = json.map((r) => `"${r.destination}" : ${r.text}`);
  if (json.length < replies.length) members.push(`"messages" : ${JSON.stringify(texts)}`);
  return `{${members.join(',')}}`;
}
