import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { EngineScratch } from '../../ports/engine-scratch.js';

/** A reviewer's link to a document image works once, for this long. */
const VIEW_TICKET_TTL_MS = 5 * 60 * 1000;

const ticketSchema = z.object({
  ref: z.string().min(1),
  accountId: z.string().min(1),
  /** `slack:<team>:<user>` of the reviewer the link was made for. */
  reviewer: z.string().min(1),
});

export type ViewTicket = z.infer<typeof ticketSchema>;

/**
 * One-time links to a document image for the reviewer who pressed "View document": 32
 * random bytes in the URL, only their SHA-256 stored, taken atomically on the first open
 * (a second open, or one after 5 minutes, finds nothing).
 */
export class DocumentViewTickets {
  constructor(
    private readonly scratch: EngineScratch,
    private readonly publicBaseUrl: string,
  ) {}

  async mint(ticket: ViewTicket): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    await this.scratch.put(
      tagOf(token),
      'ticket',
      JSON.stringify(ticketSchema.parse(ticket)),
      VIEW_TICKET_TTL_MS,
    );
    return `${this.publicBaseUrl}/documents/${token}`;
  }

  async redeem(token: string): Promise<ViewTicket | null> {
    if (!/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const raw = await this.scratch.take(tagOf(token), 'ticket');
    if (raw === null) return null;
    const parsed = ticketSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }
}

function tagOf(token: string): string {
  return `docview:${createHash('sha256').update(token).digest('hex')}`;
}
