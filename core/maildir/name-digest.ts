// An order-independent digest of a set of Maildir file names (`cur/<name>`, `new/<name>`): the
// count and two 32-bit sums of per-name hashes, so names can be added and removed one at a time.
// It lets a sync that never listed a folder check later that the folder holds exactly the files
// it expects, by reading the names once without keeping them. Pure; not a cryptographic hash.

export class NameDigest {
  constructor(public n = 0, public a = 0, public b = 0) {}

  add(name: string): void { this.step(name, 1); }
  remove(name: string): void { this.step(name, -1); }

  equals(o: NameDigest): boolean {
    return this.n === o.n && this.a === o.a && this.b === o.b;
  }

  clone(): NameDigest {
    return new NameDigest(this.n, this.a, this.b);
  }

  private step(s: string, sign: 1 | -1): void {
    let h1 = 0x811c9dc5, h2 = 0x9747b28c;
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    h1 ^= h1 >>> 16; h1 = Math.imul(h1, 0x85ebca6b); h1 ^= h1 >>> 13;
    h2 ^= h2 >>> 16; h2 = Math.imul(h2, 0xc2b2ae35); h2 ^= h2 >>> 16;
    this.n += sign;
    this.a = (this.a + sign * (h1 >>> 0)) >>> 0;
    this.b = (this.b + sign * (h2 >>> 0)) >>> 0;
  }
}
