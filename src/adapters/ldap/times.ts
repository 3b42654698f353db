/** GeneralizedTime as OpenLDAP writes it (`20261127151748Z`, optional fraction) to epoch ms. */
export function generalizedTime(text: string | null): number | null {
  if (text === null) return null;
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:[.,](\d{1,6}))?Z$/.exec(text);
  if (!match) return null;
  const [, year, month, day, hour, minute, second, fraction = '0'] = match;
  const ms = Number(`0.${fraction}`) * 1000;
  return (
    Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second)) +
    Math.round(ms)
  );
}

/** 100-ns intervals between 1601-01-01 and 1970-01-01: Active Directory's FILETIME epoch. */
const FILETIME_EPOCH_OFFSET = 116_444_736_000_000_000n;

/** Epoch ms as GeneralizedTime (`20261127151748Z`), for a search filter. */
export function toGeneralizedTime(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d{3}Z$/, 'Z');
}

/** Epoch ms as an AD FILETIME, for a search filter. */
export function toAdTimestamp(epochMs: number): string {
  return (BigInt(Math.floor(epochMs)) * 10_000n + FILETIME_EPOCH_OFFSET).toString();
}

/** AD's `maxPwdAge`: a negative count of 100-ns intervals; 0 and the smallest Int64 mean no maximum. */
export function adInterval(text: string): number | null {
  if (!/^-\d+$/.test(text)) return null;
  const ticks = -BigInt(text);
  if (ticks === 0n || ticks >= 2n ** 63n) return null;
  return Number(ticks / 10_000n);
}

/** An AD FILETIME (`pwdLastSet`, `lockoutTime`); 0 means "never" / "not locked". */
export function adTimestamp(text: string | null): number | null {
  if (text === null || !/^\d+$/.test(text)) return null;
  const ticks = BigInt(text);
  if (ticks === 0n) return null;
  return Number((ticks - FILETIME_EPOCH_OFFSET) / 10_000n);
}
