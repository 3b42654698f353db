import { describe, expect, it } from 'vitest';
import { MAX_PHRASE_CHARS, parseCommand, parsePhrase } from './phrases.js';

describe('phrases and subcommands', () => {
  it.each([
    ['change my mobile', { kind: 'start', machineId: 'changeContactMobile' }],
    ['Forgot password', { kind: 'start', machineId: 'resetPassword' }],
    ['I want to change my password', { kind: 'start', machineId: 'changePassword' }],
    ['verify my identity', { kind: 'start', machineId: 'identityVerification' }],
    ['change my security mobile', { kind: 'start', machineId: 'changeSecurityMobile' }],
    ['help', { kind: 'help' }],
    ['cancel', { kind: 'cancel' }],
    ['hello', { kind: 'menu' }],
    ['Hi there', { kind: 'menu' }],
    ['never mind', { kind: 'cancel' }],
    ['please reset my password', { kind: 'start', machineId: 'resetPassword' }],
    ['my password needs a reset', { kind: 'start', machineId: 'resetPassword' }],
    ['I need a new password', { kind: 'start', machineId: 'changePassword' }],
    ['identity verification please', { kind: 'start', machineId: 'identityVerification' }],
    ['update the verification email', { kind: 'start', machineId: 'changeVerificationEmail' }],
    ['change login email', { kind: 'start', machineId: 'changeLoginEmail' }],
    ['my contact number', { kind: 'start', machineId: 'changeContactMobile' }],
    ['new email?', { kind: 'start', machineId: 'changeContactEmail' }],
    ['show my account details', { kind: 'info' }],
    ['what is the weather', { kind: 'unknown', given: '' }],
    ['   ', { kind: 'menu' }],
  ])('"%s"', (text, intent) => {
    expect(parsePhrase(text)).toEqual(intent);
  });

  it('reads /account subcommands, leaving support verbs to the support module', () => {
    expect(parseCommand('')).toEqual({ kind: 'menu' });
    expect(parseCommand('MOBILE')).toEqual({ kind: 'start', machineId: 'changeContactMobile' });
    expect(parseCommand('lookup <@U123>')).toEqual({
      kind: 'support',
      subcommand: 'lookup',
      args: '<@U123>',
    });
    expect(parseCommand('dance now')).toEqual({ kind: 'unknown', given: 'dance' });
  });
});

describe('long direct messages', () => {
  it('reads only the first MAX_PHRASE_CHARS characters', () => {
    const padding = 'x'.repeat(MAX_PHRASE_CHARS);
    expect(parsePhrase(`${padding} help`)).toEqual({ kind: 'unknown', given: '' });
    expect(parsePhrase(`help ${'x'.repeat(40_000)}`)).toEqual({ kind: 'help' });
    expect(parsePhrase(`${'x '.repeat(20_000)}change my mobile`)).toEqual({ kind: 'unknown', given: '' });
  });

  it('answers a 40,000-character worst case at once (bound 1,000 times above the measured cost)', () => {
    const worst = ['reset '.repeat(7_000), 'forgot '.repeat(6_000), 'identity '.repeat(4_500)];
    const started = performance.now();
    for (const text of worst) expect(parsePhrase(text).kind).toBe('unknown');
    expect(performance.now() - started).toBeLessThan(100);
  });
});
