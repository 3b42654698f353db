import { describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/core/clock.js';
import type { EngineScratch } from '../../src/ports/engine-scratch.js';

export interface EngineScratchFixture {
  scratch: EngineScratch;
  clock: ManualClock;
}

export function describeEngineScratchContract(label: string, factory: () => Promise<EngineScratchFixture>) {
  describe(`EngineScratch contract (${label})`, () => {
    it('keeps a value for its lifetime and not a moment longer', async () => {
      const { scratch, clock } = await factory();
      await scratch.put('flow:f1', 'fx:send', '{"a":1}', 1_000);
      expect(await scratch.get('flow:f1', 'fx:send')).toBe('{"a":1}');
      clock.advance(999);
      expect(await scratch.get('flow:f1', 'fx:send')).toBe('{"a":1}');
      clock.advance(1);
      expect(await scratch.get('flow:f1', 'fx:send')).toBeNull();
    });

    it('replaces a value and keeps values with a bar in them whole', async () => {
      const { scratch } = await factory();
      await scratch.put('acct:1', 'privileged', 'a|b', 5_000);
      await scratch.put('acct:1', 'privileged', 'c|d|e', 5_000);
      expect(await scratch.get('acct:1', 'privileged')).toBe('c|d|e');
    });

    it('takes a value once', async () => {
      const { scratch } = await factory();
      await scratch.put('flow:f2', 'staged', 'hash', 5_000);
      expect(await scratch.take('flow:f2', 'staged')).toBe('hash');
      expect(await scratch.take('flow:f2', 'staged')).toBeNull();
      expect(await scratch.get('flow:f2', 'staged')).toBeNull();
    });

    it('grants a claim once while it lives, and again after', async () => {
      const { scratch, clock } = await factory();
      expect(await scratch.claim('flow:f3', 'lock', 1_000)).toBe(true);
      expect(await scratch.claim('flow:f3', 'lock', 1_000)).toBe(false);
      expect(await scratch.get('flow:f3', 'lock')).toBeNull();
      clock.advance(1_000);
      expect(await scratch.claim('flow:f3', 'lock', 1_000)).toBe(true);
    });

    it('refuses a claim while a value lives under its name, and a value replaces a claim', async () => {
      const { scratch, clock } = await factory();
      expect(await scratch.claim('flow:f5', 'fx:step', 1_000)).toBe(true);
      await scratch.put('flow:f5', 'fx:step', '{"result":1}', 5_000);
      expect(await scratch.get('flow:f5', 'fx:step')).toBe('{"result":1}');
      clock.advance(1_000);
      expect(await scratch.claim('flow:f5', 'fx:step', 1_000)).toBe(false);
      expect(await scratch.get('flow:f5', 'fx:step')).toBe('{"result":1}');
    });

    it('deletes', async () => {
      const { scratch } = await factory();
      await scratch.put('flow:f4', 'x', 'v', 5_000);
      await scratch.delete('flow:f4', 'x');
      expect(await scratch.get('flow:f4', 'x')).toBeNull();
      expect(await scratch.claim('flow:f4', 'x', 5_000)).toBe(true);
    });

    it('keeps tags apart', async () => {
      const { scratch } = await factory();
      await scratch.put('acct:1', 'privileged', '1', 5_000);
      expect(await scratch.get('acct:2', 'privileged')).toBeNull();
    });

    it('refuses names that would move a key to another slot', async () => {
      const { scratch } = await factory();
      await expect(scratch.put('acct:{1}', 'x', 'v', 5_000)).rejects.toThrow(RangeError);
      await expect(scratch.put('acct:1', 'x', 'v', 0)).rejects.toThrow(RangeError);
    });
  });
}
