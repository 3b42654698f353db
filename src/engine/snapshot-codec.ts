import type { AnyStateMachine } from 'xstate';
import { z } from 'zod';
import type { JsonValue } from '../ports/flow-session-store.js';
import { invokedContext } from './invoked-context.js';

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
 *   k  children by id: { r: src (absent: the id), s: compact child snapshot | as persisted,
 *      y: syncSnapshot }
 *   x  any other key XState persists, as it was
 * A context key is left out when it holds what decode can work out again, tried in this
 * order: its machine's constant default (what the machine's context function gives whatever
 * the input) or the configured value; for a child (at any depth), what its parent's key of
 * that name holds; then what the child started with, recomputed from the input its parent's
 * invoke gives. A machine version that changes such a default or how a child's input or
 * context is made must bump its version (and its parents' versions, which the envelope
 * carries). The order keeps envelopes written before the last rule readable.
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

/** What a child's context may repeat: its parent's context, and the context it started with. */
interface Basis {
  parent: Record<string, unknown>;
  invoked: Record<string, unknown>;
}

const TOP: Basis = { parent: {}, invoked: {} };

const childSchema = z.object({ r: z.string().optional(), s: z.unknown(), y: z.literal(true).optional() });

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
    channel: 'sms',
    target: { kind: 'current', field: 'securityMobile' },
    alternate: null,
    exhaustedEnds: true,
    round: 51,
    directoryLocked: true,
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
    channel: 'email',
    target: { kind: 'current', field: 'loginEmail' },
    alternate: { channel: 'sms', target: { kind: 'current', field: 'securityMobile' } },
    exhaustedEnds: false,
    round: 52,
    directoryLocked: false,
  },
];

const json = (value: unknown): string => JSON.stringify(value) ?? 'undefined';

/**
 * Encodes a flow for storage with only what the machine cannot recompute, and decodes it
 * back to exactly what XState persisted. Old envelopes (the snapshot as XState gave it)
 * still decode.
 */
export class SnapshotCodec {
  private readonly shapes = new Map<string, ContextShape>();
  private readonly machines = new Map<string, AnyStateMachine>();

  constructor(machines: readonly AnyStateMachine[], derived: ConfigDerived) {
    for (const machine of machines) {
      this.shapes.set(machine.id, contextShape(machine, derived));
      this.machines.set(machine.id, machine);
    }
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
    // Only an old envelope has `state`; trying its schema first would fail (and build a
    // ZodError) on every current one.
    if (isLegacy(stored)) {
      const legacy = legacySchema.safeParse(stored);
      return legacy.success ? legacy.data : null;
    }
    const compact = compactSchema.safeParse(stored);
    if (!compact.success) return null;
    const state = this.decodeState(machineId, compact.data);
    if (state === null) return null;
    return { accountId: compact.data.a ?? null, slackProfileEmail: compact.data.m ?? null, state };
  }

  private encodeState(machineId: string, state: Record<string, unknown>, basis: Basis = TOP): CompactState {
    const { status, value, historyValue, children } = state;
    const context = (state.context ?? {}) as Record<string, unknown>;
    // XState leaves `output` and `error` undefined until they hold something.
    const others = Object.entries(state).filter(([key, value]) => !KNOWN.has(key) && value !== undefined);
    return {
      v: value,
      c: this.encodeContext(machineId, context, basis),
      ...(status === 'active' ? {} : { s: String(status) }),
      ...(isEmpty(historyValue) ? {} : { h: historyValue as Record<string, unknown> }),
      ...(isEmpty(children)
        ? {}
        : { k: this.encodeChildren(machineId, value, children as Record<string, unknown>, context) }),
      ...(others.length === 0 ? {} : { x: Object.fromEntries(others) }),
    };
  }

  private decodeState(
    machineId: string,
    compact: CompactState,
    basis: Basis = TOP,
  ): Record<string, unknown> | null {
    const context = this.decodeContext(machineId, compact.c, basis);
    const children =
      compact.k === undefined ? {} : this.decodeChildren(machineId, compact.v, compact.k, context);
    if (children === null) return null;
    return {
      status: compact.s ?? 'active',
      value: compact.v,
      historyValue: compact.h ?? {},
      context,
      children,
      ...compact.x,
    };
  }

  private encodeContext(
    machineId: string,
    context: Record<string, unknown>,
    basis: Basis,
  ): Record<string, unknown> {
    const shape = this.shapes.get(machineId);
    if (shape === undefined) return context;
    const kept: Record<string, unknown> = {};
    for (const key of Object.keys(context)) {
      const value = context[key];
      const fixed = shape.defaults.get(key);
      if (fixed !== undefined ? fixed !== json(value) : !sameJson(repeated(shape, key, basis), value))
        kept[key] = value;
    }
    return kept;
  }

  private decodeContext(
    machineId: string,
    stored: Record<string, unknown>,
    basis: Basis,
  ): Record<string, unknown> {
    const shape = this.shapes.get(machineId);
    if (shape === undefined) return { ...stored };
    // Built key by key in the machine's own order: a copy of `stored` grown by the keys put
    // back was several times slower (V8 reshapes the object with every key added).
    const context: Record<string, unknown> = {};
    const put = (key: string) => {
      if (Object.hasOwn(context, key)) return;
      if (Object.hasOwn(stored, key)) {
        context[key] = stored[key];
        return;
      }
      const fixed = shape.defaults.get(key);
      // Parsed afresh, and a parent's value copied: no two contexts share an object.
      if (fixed !== undefined) context[key] = JSON.parse(fixed) as unknown;
      else {
        const value = repeated(shape, key, basis);
        if (value !== ABSENT) context[key] = copied(value);
      }
    };
    for (const key of shape.keys) put(key);
    for (const key of Object.keys(stored)) put(key);
    for (const key of Object.keys(basis.invoked)) put(key);
    return context;
  }

  /** What a child invoked from the parent's state `value` started with, recomputed. */
  private basisOf(
    parentId: string,
    value: unknown,
    parent: Record<string, unknown>,
    childId: string,
    src: string,
  ): Basis {
    const parentMachine = this.machines.get(parentId);
    const child = this.machines.get(src);
    const invoked =
      parentMachine === undefined || child === undefined
        ? {}
        : invokedContext(parentMachine, value, parent, childId, child);
    return { parent, invoked };
  }

  private encodeChildren(
    parentId: string,
    value: unknown,
    children: Record<string, unknown>,
    parent: Record<string, unknown>,
  ): Record<string, unknown> {
    return Object.fromEntries(
      Object.entries(children).map(([id, child]) => {
        const { snapshot, src, syncSnapshot } = child as {
          snapshot: unknown;
          src: unknown;
          syncSnapshot: unknown;
        };
        const machine = typeof src === 'string' && this.shapes.has(src);
        const encoded = machine
          ? this.encodeState(
              src,
              snapshot as Record<string, unknown>,
              this.basisOf(parentId, value, parent, id, src),
            )
          : snapshot;
        return [
          id,
          { ...(src === id ? {} : { r: src }), s: encoded, ...(syncSnapshot === true ? { y: true } : {}) },
        ];
      }),
    );
  }

  private decodeChildren(
    parentId: string,
    value: unknown,
    children: Record<string, unknown>,
    parent: Record<string, unknown>,
  ): Record<string, unknown> | null {
    const decoded: Record<string, unknown> = {};
    for (const [id, raw] of Object.entries(children)) {
      const child = childSchema.safeParse(raw);
      if (!child.success) return null;
      const { r: src = id, s: stored } = child.data;
      const compact = this.shapes.has(src) ? compactSchema.safeParse(stored) : null;
      const snapshot = compact?.success
        ? this.decodeState(src, compact.data, this.basisOf(parentId, value, parent, id, src))
        : stored;
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

/** Stands for "no value to put back", which `undefined` (a value a context may hold) cannot. */
const ABSENT: unique symbol = Symbol('absent');

/**
 * The value a child's key repeats, by the header's rules after the machine's fixed values:
 * its parent's key of that name, then what it started with; ABSENT: none.
 */
function repeated(shape: ContextShape, key: string, basis: Basis): unknown {
  if (shape.keys.has(key) && key in basis.parent) return basis.parent[key];
  if (key in basis.invoked) return basis.invoked[key];
  return ABSENT;
}

const copied = (value: unknown): unknown =>
  typeof value === 'object' && value !== null ? structuredClone(value) : value;

function isLegacy(stored: unknown): boolean {
  return typeof stored === 'object' && stored !== null && 'state' in stored;
}

/** Equal once written as JSON; the same value (a plain one, mostly) is not written at all. */
function sameJson(expected: unknown, value: unknown): boolean {
  return expected !== ABSENT && (expected === value || json(expected) === json(value));
}

/** A machine's context keys, and those whose value is fixed (as JSON text, compared by value). */
interface ContextShape {
  keys: ReadonlySet<string>;
  defaults: ReadonlyMap<string, string>;
}

/**
 * Fixed values: a constant of the machine (the same under every probe input) or a
 * configured value.
 */
function contextShape(machine: AnyStateMachine, derived: ConfigDerived): ContextShape {
  const initial = machine.config.context;
  const defaults = new Map<string, string>();
  const none = { keys: new Set<string>(), defaults };
  if (typeof initial !== 'function') return none;
  let probed: Record<string, unknown>[];
  try {
    probed = PROBES.map(
      (input) => initial({ input, self: undefined, spawn: undefined } as never) as Record<string, unknown>,
    );
  } catch {
    return none;
  }
  const [first = {}, ...rest] = probed;
  for (const [key, value] of Object.entries(first)) {
    // Undefined under every probe is an input field the probes lack, not a constant.
    if (value === undefined) continue;
    if (rest.every((other) => key in other && json(other[key]) === json(value)))
      defaults.set(key, json(value));
  }
  for (const [key, value] of Object.entries(derived)) {
    if (key in first) defaults.set(key, json(value));
  }
  return { keys: new Set(Object.keys(first)), defaults };
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
