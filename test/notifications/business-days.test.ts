import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  businessDaysBetween,
  isBusinessDay,
  localDate,
  reviewWindow,
  zonedTime,
} from '../../src/services/notifications/business-days.js';

const utc = { timeZone: 'UTC', holidays: [] };
const sla = { minDays: 2, maxDays: 4 };

describe('business days', () => {
  it('skips weekends and holidays', () => {
    expect(isBusinessDay('2026-01-09', utc)).toBe(true);
    expect(isBusinessDay('2026-01-10', utc)).toBe(false);
    expect(isBusinessDay('2026-01-11', utc)).toBe(false);
    expect(isBusinessDay('2026-01-01', { timeZone: 'UTC', holidays: ['2026-01-01'] })).toBe(false);
    expect(addBusinessDays('2026-01-09', 1, utc)).toBe('2026-01-12');
    expect(addBusinessDays('2025-12-31', 4, { timeZone: 'UTC', holidays: ['2026-01-01'] })).toBe(
      '2026-01-07',
    );
    expect(businessDaysBetween('2026-01-09', '2026-01-16', utc)).toBe(5);
    expect(() => addBusinessDays('2026-01-09', 0, utc)).toThrow(RangeError);
  });

  it('gives a Monday submission Wednesday to Friday, and reminds reviewers on Monday morning', () => {
    const window = reviewWindow(Date.UTC(2026, 0, 5, 10), sla, utc);
    expect(window).toEqual({
      earliest: '2026-01-07',
      latest: '2026-01-09',
      overdueAt: Date.UTC(2026, 0, 12, 9),
    });
  });

  it('counts across the weekend for a Friday or Saturday submission', () => {
    expect(reviewWindow(Date.UTC(2026, 0, 9, 16), sla, utc)).toMatchObject({
      earliest: '2026-01-13',
      latest: '2026-01-15',
    });
    expect(reviewWindow(Date.UTC(2026, 0, 10, 12), sla, utc)).toMatchObject({
      earliest: '2026-01-13',
      latest: '2026-01-15',
    });
  });

  it('uses the local date and hour of the business time zone', () => {
    const shanghai = { timeZone: 'Asia/Shanghai', holidays: [] };
    // 20:00 UTC on Friday is already Saturday 04:00 in Shanghai.
    expect(localDate(Date.UTC(2026, 0, 9, 20), 'Asia/Shanghai')).toBe('2026-01-10');
    const window = reviewWindow(Date.UTC(2026, 0, 9, 20), sla, shanghai);
    expect(window).toMatchObject({ earliest: '2026-01-13', latest: '2026-01-15' });
    expect(window.overdueAt).toBe(Date.UTC(2026, 0, 16, 1));
  });

  it('finds local hours across daylight saving changes', () => {
    expect(zonedTime('2026-03-27', 9, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 27, 8));
    expect(zonedTime('2026-03-30', 9, 'Europe/Berlin')).toBe(Date.UTC(2026, 2, 30, 7));
    expect(zonedTime('2026-07-01', 9, 'America/New_York')).toBe(Date.UTC(2026, 6, 1, 13));
  });
});
