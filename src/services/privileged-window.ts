import { accountOwner } from '../domain/flow-owner.js';
import type { EngineScratch } from '../ports/engine-scratch.js';

const UNTIL = 'privileged-until';

/** What a flow's snapshot says of the window: its context or output may hold `privilegedUntil`. */
interface HoldsPrivilege {
  context?: unknown;
  output?: unknown;
}

/**
 * After a step-up passes, the account's other flows skip their own step-up until the
 * window ends (SPEC 3.1). A window only ever grows: a later step-up never shortens it.
 */
export class PrivilegedWindow {
  constructor(private readonly scratch: EngineScratch) {}

  /** The end of the account's window (epoch ms; 0 when none is open). */
  async until(accountId: string): Promise<number> {
    const stored = await this.scratch.get(accountOwner(accountId), UNTIL);
    const until = stored === null ? 0 : Number(stored);
    return Number.isSafeInteger(until) ? until : 0;
  }

  /**
   * A flow whose step-up passed opens the window. `before`: the flow as it was stored; a
   * window it already held was kept when it opened, so the store is not asked again.
   */
  async keep(
    accountId: string | null,
    flow: HoldsPrivilege,
    now: number,
    before?: HoldsPrivilege,
  ): Promise<void> {
    if (accountId === null) return;
    const until = privilegeOf(flow);
    if (before !== undefined && until === privilegeOf(before)) return;
    if (until <= now || until <= (await this.until(accountId))) return;
    await this.scratch.put(accountOwner(accountId), UNTIL, String(until), until - now);
  }
}

function privilegeOf(flow: HoldsPrivilege): number {
  return Math.max(privilegedUntilIn(flow.context), privilegedUntilIn(flow.output));
}

function privilegedUntilIn(value: unknown): number {
  if (typeof value !== 'object' || value === null || !('privilegedUntil' in value)) return 0;
  const until = value.privilegedUntil;
  return typeof until === 'number' && Number.isFinite(until) ? until : 0;
}
