import type { AnyStateMachine } from 'xstate';
import { z } from 'zod';
import type { JsonValue } from '../ports/flow-session-store.js';

/** A flow as the engine keeps it: the binding its effects need beside XState's persisted snapshot. */
export interface StoredFlow {
  accountId: string | null;
  slackProfileEmail: string | null;
  state: Record<string, unknown>;
}

/** Values every flow takes from configuration; the snapshot need not carry them. */
export interface ConfigDerived {
  idleTimeoutMs: number;
  privilegedWindowMs: number;
}

/*
 * The compact form, short keys because every byte is kept per live flow in Redis:
 *   a  account id (absent: null)          m  Slack profile email (absent: null)
 *   v  state value                         c  context without the keys equal to their defaults
 *   s  status (absent: 'active')           h  history (absent: none)
 *   k  children by id: { r: src, s: compact child snapshot | as persisted, y: syncSnapshot }
 *   x  any other key XState persists, as it was
 * A context key is left out when it holds its machine's constant default (what the
 * machine's context function gives whatever the input) or the configured value; decode
 * puts it back. A machine version that changes such a default must bump its version.
 */
const compactSchema = z.object({
  a: z.string().optional(),
  m: z.string().optional(),
  v: z.unknown(),
  c: z.record(z.string(), z.unknown()),
  s: z.string().optional(),
  h: z.record(z.string(), z.unknown()).optional(),
  k: z.record(z.string(), z.unknown()).optional(),
  x: z.record(z.string(), z.unknown()).optional(),
});
type CompactState = Omit<z.infer<typeof compactSchema>, 'a' | 'm'>;

const childSchema = z.object({ r: z.string(), s: z.unknown(), y: z.literal(true).optional() });

/** Envelopes written before the compact form: the persisted snapshot as XState gave it. */
const legacySchema = z.object({
  accountId: z.string().nullable(),
  slackProfileEmail: z.string().nullable(),
  state: z.record(z.string(), z.unknown()),
});

const KNOWN = new Set(['status', 'value', 'historyValue', 'context', 'children']);

/** Two inputs that differ in every field the engine passes: a key equal under both is a constant. */
const PROBES: readonly Record<string, unknown>[] = [
  {
    now: 1_000,
    idleTimeoutMs: 11,
    privilegedUntil: 21,
    privilegedWindowMs: 31,
    methods: { sms: true, email: false },
    purpose: 'step-up',
    hasLoginEmail: true,
    currentStatus: 'unverified',
    entry: 'request',
    linkExpiresAt: 41,
  },
  {
    now: 2_000,
    idleTimeoutMs: 12,
    privilegedUntil: 22,
    privilegedWindowMs: 32,
    methods: { sms: false, email: true },
    purpose: 'probe',
    hasLoginEmail: false,
    currentStatus: 'verified',
    entry: 'page',
    linkExpiresAt: 42,
  },
];

const json = (value: unknown): string => JSON.stringify(value) ?? 'undefined';

/**
 * Encodes a flow for storage with only what the machine cannot recompute, and decodes it
 * back to exactly what XState persisted. Old envelopes (the snapshot as XState gave it)
 * still decode.
 */
export class SnapshotCodec {
  private readonly defaults = new Map<string, ReadonlyMap<string, string>>();

  constructor(machines: readonly AnyStateMachine[], derived: ConfigDerived) {
    for (const machine of machines) this.defaults.set(machine.id, contextDefaults(machine, derived));
  }

  encode(machineId: string, flow: StoredFlow): JsonValue {
    return {
      ...(flow.accountId === null ? {} : { a: flow.accountId }),
      ...(flow.slackProfileEmail === null ? {} : { m: flow.slackProfileEmail }),
      ...this.encodeState(machineId, flow.state),
    } as JsonValue;
  }

  /** Null when the stored value is neither form: the flow is damaged. */
  decode(machineId: string, stored: unknown): StoredFlow | null {
    const legacy = legacySchema.safeParse(stored);
    if (legacy.success) return legacy.data;
    const compact = compactSchema.safeParse(stored);
    if (!compact.success) return null;
    const state = this.decodeState(machineId, compact.data);
    if (state === null) return null;
    return { accountId: compact.data.a ?? null, slackProfileEmail: compact.data.m ?? null, state };
  }

  private encodeState(machineId: string, state: Record<string, unknown>): CompactState {
    const { status, value, historyValue, context, children } = state;
    const others = Object.entries(state).filter(([key]) => !KNOWN.has(key));
    return {
      v: value,
      c: this.encodeContext(machineId, context),
      ...(status === 'active' ? {} : { s: String(status) }),
      ...(isEmpty(historyValue) ? {} : { h: historyValue as Record<string, unknown> }),
      ...(isEmpty(children) ? {} : { k: this.encodeChildren(children as Record<string, unknown>) }),
      ...(others.length === 0 ? {} : { x: Object.fromEntries(others) }),
    };
  }

  private decodeState(machineId: string, compact: CompactState): Record<string, unknown> | null {
    const children = compact.k === undefined ? {} : this.decodeChildren(compact.k);
    if (children === null) return null;
    return {
      status: compact.s ?? 'active',
      value: compact.v,
      historyValue: compact.h ?? {},
      context: this.decodeContext(machineId, compact.c),
      children,
      ...compact.x,
    };
  }

  private encodeContext(machineId: string, context: unknown): Record<string, unknown> {
    const record = (context ?? {}) as Record<string, unknown>;
    const defaults = this.defaults.get(machineId);
    if (defaults === undefined) return record;
    return Object.fromEntries(
      Object.entries(record).filter(([key, value]) => defaults.get(key) !== json(value)),
    );
  }

  private decodeContext(machineId: string, stored: Record<string, unknown>): Record<string, unknown> {
    const context = { ...stored };
    for (const [key, value] of this.defaults.get(machineId) ?? []) {
      if (!(key in context)) context[key] = JSON.parse(value) as unknown;
    }
    return context;
  }

  private encodeChildren(children: Record<string, unknown>): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(children).map(([id, child]) => {
        const { snapshot, src, syncSnapshot } = child as {
          snapshot: unknown;
          src: unknown;
          syncSnapshot: unknown;
        };
        const machine = typeof src === 'string' && this.defaults.has(src);
        const encoded = machine ? this.encodeState(src, snapshot as Record<string, unknown>) : snapshot;
        return [id, { r: src, s: encoded, ...(syncSnapshot === true ? { y: true } : {}) }];
      }),
    );
  }

  private decodeChildren(children: Record<string, unknown>): Record<string, unknown> | null {
    const decoded: Record<string, unknown> = {};
    for (const [id, raw] of Object.entries(children)) {
      const child = childSchema.safeParse(raw);
      if (!child.success) return null;
      const { r: src, s: stored } = child.data;
      const compact = this.defaults.has(src) ? compactSchema.safeParse(stored) : null;
      const snapshot = compact?.success ? this.decodeState(src, compact.data) : stored;
      if (snapshot === null) return null;
      decoded[id] = { snapshot, src, syncSnapshot: child.data.y ?? false };
    }
    return decoded;
  }
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === 'object' && Object.keys(value).length === 0)
  );
}

/**
 * Context keys whose value is fixed: a constant of the machine (the same under every
 * probe input) or a configured value. JSON text, so comparison is by value.
 */
function contextDefaults(machine: AnyStateMachine, derived: ConfigDerived): ReadonlyMap<string, string> {
  const initial = machine.config.context;
  const defaults = new Map<string, string>();
  if (typeof initial !== 'function') return defaults;
  let probed: Record<string, unknown>[];
  try {
    probed = PROBES.map(
      (input) => initial({ input, self: undefined, spawn: undefined } as never) as Record<string, unknown>,
    );
  } catch {
    return defaults;
  }
  const [first, ...rest] = probed;
  for (const [key, value] of Object.entries(first ?? {})) {
    if (rest.every((other) => key in other && json(other[key]) === json(value)))
      defaults.set(key, json(value));
  }
  for (const [key, value] of Object.entries(derived)) {
    if (first !== undefined && key in first) defaults.set(key, json(value));
  }
  return defaults;
}

/** Where a stored flow stands, read from either form, for those who only look (the workbench). */
export function standingOf(stored: unknown): { value: unknown; status: unknown; output: unknown } {
  const legacy = legacySchema.safeParse(stored);
  if (legacy.success) {
    const { value, status, output } = legacy.data.state;
    return { value, status, output };
  }
  const compact = compactSchema.safeParse(stored);
  if (!compact.success) return { value: undefined, status: undefined, output: undefined };
  return { value: compact.data.v, status: compact.data.s ?? 'active', output: compact.data.x?.output };
}
