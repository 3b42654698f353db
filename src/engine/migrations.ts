import type { JsonValue } from '../ports/flow-session-store.js';

/**
 * How a persisted snapshot of an older machine version becomes one the current version
 * can restore. Keyed `<machineId>@<fromVersion>`; a migration returns the snapshot for the
 * next version, and the engine applies them in a chain up to the current one. A flow with
 * no path to the current version is ended politely instead.
 */
export type SnapshotMigration = (snapshot: JsonValue) => JsonValue;

export class MigrationRegistry {
  private readonly steps = new Map<string, SnapshotMigration>();

  register(machineId: string, fromVersion: number, migrate: SnapshotMigration): this {
    this.steps.set(`${machineId}@${fromVersion}`, migrate);
    return this;
  }

  /** The snapshot at `toVersion`, or null when some step on the way is missing. */
  migrate(machineId: string, fromVersion: number, toVersion: number, snapshot: JsonValue): JsonValue | null {
    if (fromVersion > toVersion) return null;
    let current = snapshot;
    for (let version = fromVersion; version < toVersion; version++) {
      const step = this.steps.get(`${machineId}@${version}`);
      if (step === undefined) return null;
      current = step(current);
    }
    return current;
  }
}
