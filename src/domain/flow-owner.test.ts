import { describe, expect, it } from 'vitest';
import { accountOwner, parseOwner, slackOwner, slackUserOf } from './flow-owner.js';

describe('flow owners', () => {
  it('reads back what it built', () => {
    expect(parseOwner(slackOwner({ teamId: 'T0ABC', userId: 'U0XYZ1' }))).toEqual({
      kind: 'slack',
      teamId: 'T0ABC',
      userId: 'U0XYZ1',
    });
    expect(parseOwner(accountOwner('1001'))).toEqual({ kind: 'account', accountId: '1001' });
    expect(slackUserOf(slackOwner({ teamId: 'T1', userId: 'U1' }))).toEqual({ teamId: 'T1', userId: 'U1' });
    expect(slackUserOf(accountOwner('1001'))).toBeNull();
  });

  const hostileUsers = [
    { teamId: 'T1:U2', userId: 'U3' },
    { teamId: 'T1', userId: 'U2:U3' },
    { teamId: '', userId: 'U1' },
    { teamId: 'T1', userId: '' },
    { teamId: 't1', userId: 'u1' },
    { teamId: 'T1', userId: 'U1\n' },
    { teamId: 'T1', userId: 'U1 acct:1001' },
    { teamId: 'T1}', userId: '{U1' },
    { teamId: 'Ｔ1', userId: 'U1' },
  ];
  it.each(hostileUsers)('never reads a malformed Slack id back as anybody: %j', (user) => {
    expect(parseOwner(slackOwner(user))).toBeNull();
    expect(slackUserOf(slackOwner(user))).toBeNull();
  });

  it.each(['0', '01001', '1001 ', '1001\n', '-1', '1e3', '10000000000000000', 'x', '', '1001:U1'])(
    'never reads a malformed account id back as an account: %j',
    (accountId) => {
      expect(parseOwner(accountOwner(accountId))).toBeNull();
    },
  );

  it.each([
    'slack:T1:U1:U2',
    'slack:T1',
    'SLACK:T1:U1',
    ' slack:T1:U1',
    'acct:1001:slack:T1:U1',
    'slack:T1:U1\nacct:1',
    'ip:abc',
    '',
  ])('refuses owners it did not build: %j', (owner) => {
    expect(parseOwner(owner)).toBeNull();
  });
});
