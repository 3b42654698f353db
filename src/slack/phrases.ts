import type { FlowId } from '../engine/flow-registry.js';

/** What a person can ask for in words, in the DM or after `/account`. */
export type Intent =
  | { kind: 'start'; machineId: FlowId }
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
const SUPPORT_SUBCOMMANDS = ['lookup', 'unlock', 'reset-offer'] as const;

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

/**
 * A DM longer than this is not a request for a flow; only its start is read, so a huge
 * message costs no more than a short one.
 */
export const MAX_PHRASE_CHARS = 200;

type Words = readonly string[];
type Matcher = (words: Words) => boolean;

// Each matcher walks the words once or twice: no backtracking, linear in the (capped) text.
const anyOf =
  (...wanted: string[]): Matcher =>
  (words) =>
    words.some((word) => wanted.includes(word));
const firstIs =
  (...wanted: string[]): Matcher =>
  (words) =>
    wanted.includes(words[0] ?? '');
/** A word of `first`, later followed by a word of `then` (or starting with it, for `verif…`). */
const followedBy =
  (first: string[], then: string[], prefix = false): Matcher =>
  (words) => {
    const at = words.findIndex((word) => first.includes(word));
    const matches = (word: string) =>
      prefix ? then.some((start) => word.startsWith(start)) : then.includes(word);
    return at >= 0 && words.slice(at + 1).some(matches);
  };
const adjacent =
  (first: string[], then: string[]): Matcher =>
  (words) =>
    words.some((word, index) => first.includes(word) && then.includes(words[index + 1] ?? ''));
const either =
  (...matchers: Matcher[]): Matcher =>
  (words) =>
    matchers.some((matcher) => matcher(words));

/** Plain phrases, checked in order; the first that matches wins. */
const PHRASES: { matches: Matcher; intent: Intent }[] = [
  {
    matches: either(anyOf('cancel', 'stop', 'nevermind'), adjacent(['never'], ['mind'])),
    intent: { kind: 'cancel' },
  },
  { matches: anyOf('help'), intent: { kind: 'help' } },
  {
    matches: either(
      followedBy(['forgot', 'forgotten', 'reset'], ['password']),
      followedBy(['password'], ['reset']),
    ),
    intent: { kind: 'start', machineId: 'resetPassword' },
  },
  {
    matches: either(followedBy(['change'], ['password']), adjacent(['new'], ['password'])),
    intent: { kind: 'start', machineId: 'changePassword' },
  },
  {
    matches: either(followedBy(['verify'], ['identity']), followedBy(['identity'], ['verif'], true)),
    intent: { kind: 'start', machineId: 'identityVerification' },
  },
  {
    matches: adjacent(['security'], ['mobile', 'phone', 'number']),
    intent: { kind: 'start', machineId: 'changeSecurityMobile' },
  },
  {
    matches: adjacent(['verification'], ['email']),
    intent: { kind: 'start', machineId: 'changeVerificationEmail' },
  },
  { matches: adjacent(['login'], ['email']), intent: { kind: 'start', machineId: 'changeLoginEmail' } },
  {
    matches: either(anyOf('mobile', 'phone'), adjacent(['contact'], ['number'])),
    intent: { kind: 'start', machineId: 'changeContactMobile' },
  },
  { matches: anyOf('email'), intent: { kind: 'start', machineId: 'changeContactEmail' } },
  { matches: followedBy(['unlock'], ['account']), intent: { kind: 'start', machineId: 'unlockAccount' } },
  { matches: anyOf('info', 'information', 'account', 'details', 'profile'), intent: { kind: 'info' } },
  { matches: firstIs('hi', 'hello', 'hey', 'menu', 'start'), intent: { kind: 'menu' } },
];

export function parsePhrase(text: string): Intent {
  if (text.trim() === '') return { kind: 'menu' };
  const words = text
    .slice(0, MAX_PHRASE_CHARS)
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length > 0);
  return PHRASES.find((phrase) => phrase.matches(words))?.intent ?? { kind: 'unknown', given: '' };
}
