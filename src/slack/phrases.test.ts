import { describe, expect, it } from 'vitest';
import { parseCommand, parsePhrase } from './phrases.js';

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
