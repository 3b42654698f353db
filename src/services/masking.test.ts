import { describe, expect, it } from 'vitest';
import { FULLY_MASKED, maskDocumentNumber, maskEmail, maskPhone } from './masking.js';

describe('maskPhone', () => {
  it('shows the calling code, the first 3 and the last 4 digits of an 11-digit number', () => {
    expect(maskPhone('+8613800135678')).toBe('+86 138****5678');
    expect(maskPhone('+8618912345678')).toBe('+86 189****5678');
  });

  it('keeps at least 4 digits hidden in shorter national numbers', () => {
    expect(maskPhone('+14155552671')).toBe('+1 41****2671');
    expect(maskPhone('+819012345678')).toBe('+81 90****5678');
    expect(maskPhone('+447911123456')).toBe('+44 79****3456');
    expect(maskPhone('+33612345678')).toBe('+33 6****5678');
    expect(maskPhone('+6581234567')).toBe('+65 ****4567');
    expect(maskPhone('+4930901820')).toBe('+49 ****1820');
  });

  it('handles calling codes of every length', () => {
    expect(maskPhone('+352621123456')).toBe('+352 6****3456');
    expect(maskPhone('+919876543210')).toBe('+91 98****3210');
  });

  it('falls back to a full mask on odd input instead of throwing', () => {
    for (const odd of [
      '',
      'not a phone',
      '13800135678',
      '+',
      '+0',
      null,
      undefined,
      42 as unknown as string,
    ]) {
      expect(maskPhone(odd)).toBe(FULLY_MASKED);
    }
  });
});

describe('maskEmail', () => {
  it('shows the first and last character of the local part and the domain', () => {
    expect(maskEmail('alice@example.com')).toBe('a***e@example.com');
    expect(maskEmail('abc@example.com')).toBe('a***c@example.com');
    expect(maskEmail('  li.wei+billing@mail.example.cn ')).toBe('l***g@mail.example.cn');
  });

  it('still hides something in a one- or two-character local part', () => {
    expect(maskEmail('ab@example.com')).toBe('a***@example.com');
    expect(maskEmail('a@example.com')).toBe('***@example.com');
  });

  it('masks by character, not by UTF-16 unit', () => {
    expect(maskEmail('😀bob😀@example.com')).toBe('😀***😀@example.com');
  });

  it('falls back to a full mask on odd input instead of throwing', () => {
    for (const odd of [
      '',
      'no-at-sign',
      '@example.com',
      'alice@',
      null,
      undefined,
      {} as unknown as string,
    ]) {
      expect(maskEmail(odd)).toBe(FULLY_MASKED);
    }
  });
});

describe('maskDocumentNumber', () => {
  it('shows 2 characters at each end', () => {
    expect(maskDocumentNumber('E12345678')).toBe('E1****78');
    expect(maskDocumentNumber('91330100799655058B')).toBe('91****8B');
    expect(maskDocumentNumber('E 1234-5678')).toBe('E1****78');
  });

  it('hides at least half of a short number', () => {
    expect(maskDocumentNumber('AB1234')).toBe('A****4');
    expect(maskDocumentNumber('AB123')).toBe('A****');
    expect(maskDocumentNumber('AB12')).toBe(FULLY_MASKED);
  });

  it('falls back to a full mask on odd input instead of throwing', () => {
    for (const odd of ['', '  ', null, undefined, 7 as unknown as string]) {
      expect(maskDocumentNumber(odd)).toBe(FULLY_MASKED);
    }
  });
});
