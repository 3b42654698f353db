import type { JsonValue } from '../ports/flow-session-store.js';
import { fieldErrorOfSentence } from '../messages/validation.js';

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

type JsonObject = { [key: string]: JsonValue };

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const asKey = (error: JsonValue): JsonValue =>
  typeof error === 'string' ? (fieldErrorOfSentence(error) as unknown as JsonValue) : error;

/**
 * Version 1 of the form, address and reset machines, and version 2 of change-password (its
 * page answer), stored a validator's or a password rule's sentence; the next version stores
 * its catalog key. A sentence the catalog still has becomes its key, any other the generic
 * "not valid here", so a flow paused over an upgrade shows a sensible refusal, never prose
 * from an old release.
 */
function sentencesToKeys(snapshot: JsonValue): JsonValue {
  if (!isObject(snapshot) || !isObject(snapshot.context)) return snapshot;
  const context: JsonObject = { ...snapshot.context };
  if (context.fieldError !== undefined) context.fieldError = asKey(context.fieldError);
  if (isObject(context.fieldErrors)) {
    const entries = Object.entries(context.fieldErrors).map(([field, error]) => [field, asKey(error)]);
    context.fieldErrors = Object.fromEntries(entries) as JsonObject;
  }
  if (Array.isArray(context.violations)) context.violations = context.violations.map(asKey);
  const answer = context.pageAnswer;
  if (isObject(answer) && Array.isArray(answer.errors))
    context.pageAnswer = { ...answer, errors: answer.errors.map(asKey) };
  return { ...snapshot, context };
}

/** The machines whose version 1 held validator or password-rule sentences. */
const SENTENCE_MACHINES = [
  'editBasicInfo',
  'identityVerification',
  'changeContactEmail',
  'changeContactMobile',
  'changeSecurityMobile',
  'changeVerificationEmail',
  'changeLoginEmail',
  'resetPassword',
] as const;

/**
 * Version 4 of the contact changes adds a kind of field error (the company directory refused
 * the value, naming the field); what version 3 held restores unchanged. The bump keeps a
 * version 4 flow away from an older release, which has no sentence for that error.
 */
const DIRECTORY_REFUSAL_MACHINES = [
  'changeContactEmail',
  'changeContactMobile',
  'changeSecurityMobile',
  'changeVerificationEmail',
  'changeLoginEmail',
] as const;

const unchanged: SnapshotMigration = (snapshot) => snapshot;

/** Every migration the current machines need; the engine's default. */
export function snapshotMigrations(): MigrationRegistry {
  const registry = new MigrationRegistry();
  for (const machineId of SENTENCE_MACHINES) registry.register(machineId, 1, sentencesToKeys);
  for (const machineId of DIRECTORY_REFUSAL_MACHINES) registry.register(machineId, 3, unchanged);
  registry.register('changePassword', 2, sentencesToKeys);
  return registry;
}
