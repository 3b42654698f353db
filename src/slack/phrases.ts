/** What a person can ask for in words, in the DM or after `/account`. */
export type Intent =
  | { kind: 'start'; machineId: string }
  | { kind: 'info' }
  | { kind: 'help' }
  | { kind: 'cancel' }
  | { kind: 'menu' }
  | { kind: 'support'; subcommand: string; args: string }
  | { kind: 'unknown'; given: string };

/** `/account` subcommands (SPEC §5). */
const SUBCOMMANDS: Record<string, Intent> = {
  info: { kind: 'info' },
  mobile: { kind: 'start', machineId: 'changeContactMobile' },
  email: { kind: 'start', machineId: 'changeContactEmail' },
  password: { kind: 'start', machineId: 'changePassword' },
  reset: { kind: 'start', machineId: 'resetPassword' },
  verify: { kind: 'start', machineId: 'identityVerification' },
  help: { kind: 'help' },
  cancel: { kind: 'cancel' },
};

/** Handled by the support module (agents only). */
export const SUPPORT_SUBCOMMANDS = ['lookup', 'unlock', 'reset-offer'] as const;

export function parseCommand(text: string): Intent {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'menu' };
  const [first = '', ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  if ((SUPPORT_SUBCOMMANDS as readonly string[]).includes(word)) {
    return { kind: 'support', subcommand: word, args: rest.join(' ') };
  }
  return SUBCOMMANDS[word] ?? { kind: 'unknown', given: first.slice(0, 40) };
}

/** Plain phrases, checked in order; the first that matches wins. */
const PHRASES: { pattern: RegExp; intent: Intent }[] = [
  { pattern: /\bcancel\b|\bstop\b|\bnever ?mind\b/, intent: { kind: 'cancel' } },
  { pattern: /\bhelp\b/, intent: { kind: 'help' } },
  {
    pattern: /\b(forgot|forgotten|reset)\b.*\bpassword\b|\bpassword\b.*\breset\b/,
    intent: { kind: 'start', machineId: 'resetPassword' },
  },
  {
    pattern: /\bchange\b.*\bpassword\b|\bnew password\b/,
    intent: { kind: 'start', machineId: 'changePassword' },
  },
  {
    pattern: /\bverify\b.*\bidentity\b|\bidentity\b.*\bverif/,
    intent: { kind: 'start', machineId: 'identityVerification' },
  },
  {
    pattern: /\bsecurity (mobile|phone|number)\b/,
    intent: { kind: 'start', machineId: 'changeSecurityMobile' },
  },
  { pattern: /\bverification email\b/, intent: { kind: 'start', machineId: 'changeVerificationEmail' } },
  { pattern: /\blogin email\b/, intent: { kind: 'start', machineId: 'changeLoginEmail' } },
  {
    pattern: /\b(mobile|phone|contact number)\b/,
    intent: { kind: 'start', machineId: 'changeContactMobile' },
  },
  { pattern: /\bemail\b/, intent: { kind: 'start', machineId: 'changeContactEmail' } },
  { pattern: /\b(info|information|account|details|profile)\b/, intent: { kind: 'info' } },
  { pattern: /^(hi|hello|hey|menu|start)\b/, intent: { kind: 'menu' } },
];

export function parsePhrase(text: string): Intent {
  const normalized = text.toLowerCase().replace(/\s+/g, ' ').trim();
  if (normalized === '') return { kind: 'menu' };
  return PHRASES.find((phrase) => phrase.pattern.test(normalized))?.intent ?? { kind: 'unknown', given: '' };
}
