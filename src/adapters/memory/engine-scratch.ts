import type { Clock } from '../../core/clock.js';
import { assertValidScratch, type EngineScratch } from '../../ports/engine-scratch.js';

interface Entry {
  value: string | null;
  expiresAt: number;
}

export class MemoryEngineScratch implements EngineScratch {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  async put(tag: string, name: string, value: string, ttlMs: number): Promise<void> {
    assertValidScratch(tag, name, ttlMs);
    this.entries.set(keyOf(tag, name), { value, expiresAt: this.clock.now() + ttlMs });
  }

  async get(tag: string, name: string): Promise<string | null> {
    assertValidScratch(tag, name);
    return this.live(keyOf(tag, name))?.value ?? null;
  }

  async take(tag: string, name: string): Promise<string | null> {
    assertValidScratch(tag, name);
    const key = keyOf(tag, name);
    const entry = this.live(key);
    if (entry?.value === null || entry === null) return null;
    this.entries.delete(key);
    return entry.value;
  }

  async claim(tag: string, name: string, ttlMs: number): Promise<boolean> {
    assertValidScratch(tag, name, ttlMs);
    const key = keyOf(tag, name);
    if (this.live(key) !== null) return false;
    this.entries.set(key, { value: null, expiresAt: this.clock.now() + ttlMs });
    return true;
  }

  async delete(tag: string, name: string): Promise<void> {
    assertValidScratch(tag, name);
    this.entries.delete(keyOf(tag, name));
  }

  private live(key: string): Entry | null {
    const entry = this.entries.get(key);
    if (entry === undefined) return null;
    if (entry.expiresAt <= this.clock.now()) {
      this.entries.delete(key);
      return null;
    }
    return entry;
  }
}

const keyOf = (tag: string, name: string): string => JSON.stringify([tag, name]);
