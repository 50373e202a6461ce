// The node-global variable dictionary: one Map of strings shared by every interface.
import type { Dictionary } from './ports/runtime.js';

export class MapDictionary implements Dictionary {
  private readonly values = new Map<string, string>();

  constructor(initial: Readonly<Record<string, string>> = {}) {
    for (const [k, v] of Object.entries(initial)) this.values.set(k, v);
  }

  get(name: string): string | undefined {
    return this.values.get(name);
  }

  set(name: string, value: string): void {
    this.values.set(name, value);
  }

  has(name: string): boolean {
    return this.values.has(name);
  }

  delete(name: string): void {
    this.values.delete(name);
  }

  entries(): ReadonlyArray<readonly [string, string]> {
    return [...this.values.entries()];
  }
}
