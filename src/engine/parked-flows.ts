import { z } from 'zod';
import type { EngineScratch } from '../ports/engine-scratch.js';
import { flowTag } from './effects/context.js';

/**
 * Flows that wait days on someone else (identity review, tag `parked`) leave the flow
 * session store, whose idle timeout would expire them and whose active pointer would block
 * the person's other flows. They are kept here, beside the flow's other scratch values,
 * and touched one interaction at a time.
 */
export interface ParkedFlow {
  machineId: string;
  version: number;
  snapshot: unknown;
}

const recordSchema = z.object({
  owner: z.string(),
  machineId: z.string(),
  version: z.number().int(),
  snapshot: z.unknown(),
});

const RECORD = 'parked';
const LOCK = 'parked-lock';
const LOCK_MARGIN_MS = 5_000;

export class ParkedFlows {
  constructor(
    private readonly scratch: EngineScratch,
    private readonly ttlMs: number,
  ) {}

  async park(owner: string, flowId: string, flow: ParkedFlow): Promise<void> {
    await this.scratch.put(flowTag(flowId), RECORD, JSON.stringify({ owner, ...flow }), this.ttlMs);
  }

  /** The parked flow of this owner; 'corrupt' when the record does not parse. */
  async find(owner: string, flowId: string): Promise<ParkedFlow | 'corrupt' | null> {
    const raw = await this.scratch.get(flowTag(flowId), RECORD);
    if (raw === null) return null;
    let parsed;
    try {
      parsed = recordSchema.safeParse(JSON.parse(raw));
    } catch {
      return 'corrupt';
    }
    if (!parsed.success) return 'corrupt';
    if (parsed.data.owner !== owner) return null;
    return { machineId: parsed.data.machineId, version: parsed.data.version, snapshot: parsed.data.snapshot };
  }

  async unpark(flowId: string): Promise<void> {
    await this.scratch.delete(flowTag(flowId), RECORD);
  }

  /** A release function, or null when another interaction holds the flow. */
  async lock(flowId: string, settleMs: number): Promise<(() => Promise<void>) | null> {
    const taken = await this.scratch.claim(flowTag(flowId), LOCK, settleMs + LOCK_MARGIN_MS);
    return taken ? () => this.scratch.delete(flowTag(flowId), LOCK) : null;
  }
}
