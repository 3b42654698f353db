/** Slack's own tolerance; Bolt only refuses old requests, this refuses future ones too. */
const MAX_REQUEST_SKEW_SECONDS = 300;

/** True when the request timestamp header is within ±300 s of the clock. */
export function freshTimestamp(header: string | string[] | undefined, nowMs: number): boolean {
  if (typeof header !== 'string' || !/^\d{1,12}$/.test(header)) return false;
  return Math.abs(Math.floor(nowMs / 1000) - Number(header)) <= MAX_REQUEST_SKEW_SECONDS;
}
