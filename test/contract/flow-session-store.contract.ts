import { beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../src/core/clock.js';
import { FLOW_FINISHED_MEMORY_MS, type FlowSessionStore } from '../../src/ports/flow-session-store.js';

export interface FlowSessionStoreFixture {
  store: FlowSessionStore;
  clock: ManualClock;
}

/** Every fixture must build its store with this idle timeout. */
export const CONTRACT_IDLE_MS = 30 * 60 * 1000;

const OWNER = 'slack:T1:U1';
const OTHER = 'acct:1001';
const init = {
  machineId: 'change-password',
  version: 2,
  snapshot: { value: 'start', context: { tries: [] } },
};

export function describeFlowSessionStoreContract(
  label: string,
  factory: () => Promise<FlowSessionStoreFixture>,
): void {
  describe(`FlowSessionStore contract: ${label}`, () => {
    let store: FlowSessionStore;
    let clock: ManualClock;

    beforeEach(async () => {
      ({ store, clock } = await factory());
    });

    it('creates a flow at rev 1, reads it back and makes it the owner’s active flow', async () => {
      const created = await store.create(OWNER, 'f1', init);
      const envelope = { ...init, rev: 1, owner: OWNER, updatedAt: clock.now() };
      expect(created).toEqual({ status: 'created', envelope });
      clock.advance(1_000);
      expect(await store.get(OWNER, 'f1')).toEqual({ status: 'found', envelope });
      expect(await store.active(OWNER)).toBe('f1');
      expect(await store.active(OTHER)).toBeNull();
      expect(await store.get(OWNER, 'f2')).toEqual({ status: 'missing' });
    });

    it('allows one active flow per owner: a second create names the first', async () => {
      await store.create(OWNER, 'f1', init);
      expect(await store.create(OWNER, 'f2', init)).toEqual({ status: 'conflict', activeFlowId: 'f1' });
      expect(await store.get(OWNER, 'f2')).toEqual({ status: 'missing' });
      expect((await store.create(OTHER, 'f3', init)).status).toBe('created');
      expect(await store.active(OWNER)).toBe('f1');
    });

    it('compare-and-set writes on the expected rev only', async () => {
      await store.create(OWNER, 'f1', init);
      clock.advance(5_000);
      const snapshot = { value: 'asked', context: { tries: [1, 2], note: null } };
      expect(await store.compareAndSet(OWNER, 'f1', 1, { snapshot })).toEqual({
        status: 'ok',
        rev: 2,
        updatedAt: clock.now(),
      });
      expect(await store.compareAndSet(OWNER, 'f1', 1, { snapshot: {} })).toEqual({
        status: 'conflict',
        currentRev: 2,
      });
      expect(await store.get(OWNER, 'f1')).toEqual({
        status: 'found',
        envelope: { ...init, snapshot, rev: 2, owner: OWNER, updatedAt: clock.now() },
      });
      expect(await store.compareAndSet(OWNER, 'nope', 1, { snapshot })).toEqual({ status: 'missing' });
    });

    it('records a migration to another machine version', async () => {
      await store.create(OWNER, 'f1', init);
      await store.compareAndSet(OWNER, 'f1', 1, {
        snapshot: 'migrated',
        machineId: 'change-password-v3',
        version: 3,
      });
      const read = await store.get(OWNER, 'f1');
      expect(read.status === 'found' && read.envelope).toMatchObject({
        machineId: 'change-password-v3',
        version: 3,
        snapshot: 'migrated',
        rev: 2,
      });
    });

    it('lets exactly one of 10 concurrent writers on the same rev win', async () => {
      await store.create(OWNER, 'f1', init);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, writer) =>
          store.compareAndSet(OWNER, 'f1', 1, { snapshot: { writer } }),
        ),
      );
      const winners = results.flatMap((result, writer) => (result.status === 'ok' ? [writer] : []));
      expect(winners).toHaveLength(1);
      expect(results.filter((result) => result.status === 'conflict')).toHaveLength(9);
      const read = await store.get(OWNER, 'f1');
      expect(read.status === 'found' && read.envelope).toMatchObject({
        rev: 2,
        snapshot: { writer: winners[0] },
      });
    });

    it('expires a flow idle for longer than the timeout: not readable, not writable, not active', async () => {
      await store.create(OWNER, 'f1', init);
      clock.advance(CONTRACT_IDLE_MS);
      expect((await store.get(OWNER, 'f1')).status).toBe('found');
      expect(await store.active(OWNER)).toBe('f1');
      clock.advance(1);
      expect(await store.get(OWNER, 'f1')).toEqual({ status: 'expired' });
      expect(await store.active(OWNER)).toBeNull();
      expect(await store.compareAndSet(OWNER, 'f1', 1, { snapshot: {} })).toEqual({ status: 'expired' });
      expect((await store.create(OWNER, 'f2', init)).status).toBe('created');
      expect(await store.active(OWNER)).toBe('f2');
      expect(await store.get(OWNER, 'f1')).toEqual({ status: 'expired' });
    });

    it('counts idleness from the last write', async () => {
      await store.create(OWNER, 'f1', init);
      clock.advance(CONTRACT_IDLE_MS - 1);
      expect((await store.compareAndSet(OWNER, 'f1', 1, { snapshot: {} })).status).toBe('ok');
      clock.advance(CONTRACT_IDLE_MS - 1);
      expect((await store.get(OWNER, 'f1')).status).toBe('found');
      expect(await store.active(OWNER)).toBe('f1');
      expect((await store.create(OWNER, 'f2', init)).status).toBe('conflict');
    });

    it('end deletes the flow and clears the pointer only when it points at that flow', async () => {
      await store.create(OWNER, 'f1', init);
      await store.end(OWNER, 'f1');
      expect(await store.get(OWNER, 'f1')).toEqual({ status: 'missing' });
      expect(await store.active(OWNER)).toBeNull();
      expect((await store.create(OWNER, 'f2', init)).status).toBe('created');
      await store.end(OWNER, 'f1');
      expect(await store.active(OWNER)).toBe('f2');
    });

    it('a finishing write keeps only its outcome: read finished, not writable, not active, gone after a day', async () => {
      await store.create(OWNER, 'f1', init);
      clock.advance(1_000);
      const finishedAt = clock.now();
      const outcome = { status: 'done', reason: 'flow.saved' };
      expect(await store.compareAndSet(OWNER, 'f1', 1, { snapshot: { value: 'done' }, outcome })).toEqual({
        status: 'ok',
        rev: 2,
        updatedAt: finishedAt,
      });
      const finished = { status: 'finished', machineId: init.machineId, outcome, finishedAt };
      expect(await store.get(OWNER, 'f1')).toEqual(finished);
      expect(await store.compareAndSet(OWNER, 'f1', 2, { snapshot: {} })).toEqual({ status: 'missing' });
      expect(await store.active(OWNER)).toBeNull();
      expect((await store.create(OWNER, 'f2', init)).status).toBe('created');
      clock.advance(FLOW_FINISHED_MEMORY_MS - 1);
      expect(await store.get(OWNER, 'f1')).toEqual(finished);
      clock.advance(1);
      expect(await store.get(OWNER, 'f1')).toEqual({ status: 'missing' });
    });

    it('lets a new flow take the id of a finished one', async () => {
      await store.create(OWNER, 'f1', init);
      await store.compareAndSet(OWNER, 'f1', 1, { snapshot: {}, outcome: 'cancelled' });
      expect((await store.create(OWNER, 'f1', init)).status).toBe('created');
      expect((await store.get(OWNER, 'f1')).status).toBe('found');
      expect(await store.active(OWNER)).toBe('f1');
    });

    it('endAllForOwner ends the owner’s flow and nobody else’s', async () => {
      await store.create(OWNER, 'f1', init);
      await store.create(OTHER, 'f2', init);
      await store.endAllForOwner(OWNER);
      expect(await store.get(OWNER, 'f1')).toEqual({ status: 'missing' });
      expect(await store.active(OWNER)).toBeNull();
      expect(await store.active(OTHER)).toBe('f2');
      await store.endAllForOwner(OWNER);
    });

    it('refuses reused flow ids, bad names and snapshots JSON cannot hold', async () => {
      await store.create(OWNER, 'f1', init);
      clock.advance(CONTRACT_IDLE_MS + 1);
      await expect(store.create(OWNER, 'f1', init)).rejects.toThrow(RangeError);
      await expect(store.create('slack:{T1}', 'f9', init)).rejects.toThrow(RangeError);
      await expect(store.create(OWNER, 'a:b', init)).rejects.toThrow(RangeError);
      await expect(store.create(OWNER, 'f9', { ...init, snapshot: undefined })).rejects.toThrow(RangeError);
      expect(await store.active(OWNER)).toBeNull();
    });
  });
}
