/**
 * Business-day arithmetic for the identity review window (SPEC §3.10): Monday to Friday,
 * minus configured holidays, on calendar dates in the business time zone.
 */
export interface BusinessCalendar {
  timeZone: string;
  /** YYYY-MM-DD dates that are not business days. */
  holidays: readonly string[];
}

const DAY_MS = 86_400_000;

/** The calendar date (YYYY-MM-DD) of an instant in the zone. */
export function localDate(at: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).formatToParts(at);
  const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function isBusinessDay(date: string, calendar: BusinessCalendar): boolean {
  const weekday = new Date(dateToUtcMidnight(date)).getUTCDay();
  return weekday !== 0 && weekday !== 6 && !calendar.holidays.includes(date);
}

/** The `days`-th business day after `date` (the date itself never counts). */
export function addBusinessDays(date: string, days: number, calendar: BusinessCalendar): string {
  if (!Number.isSafeInteger(days) || days < 1)
    throw new RangeError(`business days must be at least 1, got ${days}`);
  let current = date;
  let left = days;
  while (left > 0) {
    current = nextDate(current);
    if (isBusinessDay(current, calendar)) left -= 1;
  }
  return current;
}

/** Epoch ms of `hour`:00 local time on `date` in the zone (DST-aware). */
export function zonedTime(date: string, hour: number, timeZone: string): number {
  const wall = dateToUtcMidnight(date) + hour * 3_600_000;
  const first = wall - zoneOffset(wall, timeZone);
  return wall - zoneOffset(first, timeZone);
}

export interface ReviewWindow {
  /** The earliest and latest expected decision dates, shown to the person. */
  earliest: string;
  latest: string;
  /** When reviewers are first reminded: 09:00 on the business day after `latest`. */
  overdueAt: number;
}

export const REMINDER_HOUR = 9;

export function reviewWindow(
  submittedAt: number,
  sla: { minDays: number; maxDays: number },
  calendar: BusinessCalendar,
): ReviewWindow {
  const submitted = localDate(submittedAt, calendar.timeZone);
  const latest = addBusinessDays(submitted, sla.maxDays, calendar);
  return {
    earliest: addBusinessDays(submitted, sla.minDays, calendar),
    latest,
    overdueAt: zonedTime(addBusinessDays(latest, 1, calendar), REMINDER_HOUR, calendar.timeZone),
  };
}

/** Business days from `from` (exclusive) up to and including `to`. */
export function businessDaysBetween(from: string, to: string, calendar: BusinessCalendar): number {
  let count = 0;
  for (let current = nextDate(from); current <= to; current = nextDate(current)) {
    if (isBusinessDay(current, calendar)) count += 1;
  }
  return count;
}

function dateToUtcMidnight(date: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!match) throw new RangeError(`expected a YYYY-MM-DD date, got ${date}`);
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}

function nextDate(date: string): string {
  return new Date(dateToUtcMidnight(date) + DAY_MS).toISOString().slice(0, 10);
}

/** Local wall time minus UTC at an instant, in ms (e.g. +8 h for Asia/Shanghai). */
function zoneOffset(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(at);
  const part = (type: string) => Number(parts.find((entry) => entry.type === type)?.value ?? 0);
  const asUtc = Date.UTC(
    part('year'),
    part('month') - 1,
    part('day'),
    part('hour'),
    part('minute'),
    part('second'),
  );
  return asUtc - Math.floor(at / 1000) * 1000;
}
