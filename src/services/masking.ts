/**
 * Masked forms of sensitive values for Slack (SPEC §2). Always four stars, whatever was
 * hidden, so the mask does not tell the length. Odd input never throws: it is shown as
 * FULLY_MASKED, since showing part of something unparsed could show too much.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';

export const FULLY_MASKED = '****';
const STARS = '****';

function keepEnds(characters: readonly string[], head: number, tail: number): string {
  return characters.slice(0, head).join('') + STARS + characters.slice(characters.length - tail).join('');
}

/**
 * SPEC §2 shows the first 3 and last 4 digits of an 11-digit mobile number, hiding 4. Shorter
 * national numbers keep at least 4 digits hidden, giving up the leading digits first: people
 * recognise their number by its end.
 */
function maskNationalNumber(digits: readonly string[]): string {
  const tail = Math.max(0, Math.min(4, digits.length - 4));
  const head = Math.max(0, Math.min(3, digits.length - 4 - tail));
  return keepEnds(digits, head, tail);
}

/** `+8613800135678` → `+86 138****5678`. */
export function maskPhone(phone: string | null | undefined): string {
  try {
    if (typeof phone !== 'string') return FULLY_MASKED;
    const parsed = parsePhoneNumberFromString(phone);
    if (!parsed) return FULLY_MASKED;
    return `+${parsed.countryCallingCode} ${maskNationalNumber([...parsed.nationalNumber])}`;
  } catch {
    return FULLY_MASKED;
  }
}

/** `alice@example.com` → `a***e@example.com`; a one- or two-character local part keeps only its first. */
export function maskEmail(email: string | null | undefined): string {
  try {
    if (typeof email !== 'string') return FULLY_MASKED;
    const trimmed = email.trim();
    const at = trimmed.lastIndexOf('@');
    const local = [...trimmed.slice(0, at)];
    const domain = trimmed.slice(at + 1);
    if (at < 1 || domain.length === 0) return FULLY_MASKED;
    if (local.length <= 2) return `${local.length === 2 ? local[0] : ''}***@${domain}`;
    return `${local[0]}***${local[local.length - 1]}@${domain}`;
  } catch {
    return FULLY_MASKED;
  }
}

/** `E12345678` → `E1****78`; spaces and dashes are ignored. */
export function maskDocumentNumber(documentNumber: string | null | undefined): string {
  try {
    if (typeof documentNumber !== 'string') return FULLY_MASKED;
    const characters = [...documentNumber.replace(/[\s\p{Pd}]/gu, '')];
    // At most 2 at each end, and at least half (never fewer than 4) hidden.
    const visible = Math.max(0, characters.length - Math.max(4, Math.ceil(characters.length / 2)));
    const head = Math.min(2, Math.ceil(visible / 2));
    return keepEnds(characters, head, Math.min(2, visible - head));
  } catch {
    return FULLY_MASKED;
  }
}
