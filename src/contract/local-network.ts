// Which IPv4 addresses count as a local network (for `bring.ip_port` and the source
// address a peer message claims): 10/8, 172.16/12, 192.168/16, 127/8, 100.64/10. Pure AnyLog fact; shared by the node's query engine and TCP.

export function isLocalNetwork(ip: string): boolean {
  const m = /^(\d{1,3})\.(\d{1,3})\.\d{1,3}\.\d{1,3}$/.exec(ip);
  if (m === null) return false;
  const a = Number(m[1]);
  const b = Number(m[2]);
  return (
    a === 10 ||
    a === 127 ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 100 && b >= 64 && b <= 127)
  );
}
