// Pod IP allocator (control-plane.md §7.3 step 1): 127.0.0.2 upward through 127.0.x.y (all of
// 127.0.0.0/8 is local on Linux, so no setup is needed); released addresses are reused lowest first.
export class AddressPool {
  private readonly used = new Set<number>();

  allocate(): string {
    for (let n = 2; n < 65_534; n++) {
      if ((n & 255) === 0 || (n & 255) === 255 || this.used.has(n)) continue;
      this.used.add(n);
      return `127.0.${n >> 8}.${n & 255}`;
    }
    throw new Error('no free pod address in 127.0.0.0/16');
  }

  release(ip: string): void {
    const m = /^127\.0\.(\d+)\.(\d+)$/.exec(ip);
    if (m !== null) this.used.delete(Number(m[1]) * 256 + Number(m[2]));
  }
}
