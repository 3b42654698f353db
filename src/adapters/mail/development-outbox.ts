import type { Clock } from '../../core/clock.js';
import type { OutboxEntry } from '../../ports/outbox.js';

/** How many messages the workbench keeps; older ones fall off. */
const KEEP = 500;

/**
 * Where mail and texts go when no server is configured: kept in memory for the
 * workbench's inbox, never sent anywhere. Bodies live here and nowhere else.
 */
export class DevelopmentOutbox<T> {
  private readonly entries: OutboxEntry<T>[] = [];
  private readonly listeners = new Set<(entry: OutboxEntry<T>) => void>();

  constructor(private readonly clock: Clock) {}

  add(message: T): OutboxEntry<T> {
    const entry = { at: this.clock.now(), message };
    this.entries.push(entry);
    if (this.entries.length > KEEP) this.entries.splice(0, this.entries.length - KEEP);
    for (const listener of this.listeners) listener(entry);
    return entry;
  }

  /** Oldest first. */
  list(): OutboxEntry<T>[] {
    return [...this.entries];
  }

  /** Returns the function that stops listening. */
  subscribe(listener: (entry: OutboxEntry<T>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
