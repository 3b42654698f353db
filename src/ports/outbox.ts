/** A message a development outbox kept instead of sending it (no mail or SMS server configured). */
export interface OutboxEntry<T> {
  at: number;
  message: T;
}
