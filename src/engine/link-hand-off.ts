/**
 * The raw token of a freshly minted change-password link, held in this process's memory
 * until the adapter that renders the message asks for it once. It is never persisted: after
 * a restart the handle is gone and the person asks for a new link.
 */
export class LinkHandOff {
  private readonly pending = new Map<string, { token: string; expiresAt: number }>();

  put(owner: string, flowId: string, token: string, expiresAt: number): void {
    this.pending.set(keyOf(owner, flowId), { token, expiresAt });
  }

  take(owner: string, flowId: string, now: number): string | null {
    const key = keyOf(owner, flowId);
    const entry = this.pending.get(key);
    this.pending.delete(key);
    for (const [other, held] of this.pending) {
      if (held.expiresAt <= now) this.pending.delete(other);
    }
    return entry !== undefined && entry.expiresAt > now ? entry.token : null;
  }
}

const keyOf = (owner: string, flowId: string): string => JSON.stringify([owner, flowId]);
