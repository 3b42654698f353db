import { describe, expect, it } from 'vitest';
import { findButton, findInput, findOption, visibleText } from '../support/slack/blocks.js';
import type { RecordedCall } from '../support/slack/fake-slack.js';
import { LeakScanner, secretsInText } from '../support/slack/leak-scanner.js';

const LINK = 'https://assistant.example.com/password/Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4';

function post(channel: string, args: Record<string, unknown>): RecordedCall {
  return { method: 'chat.postMessage', args: { channel, ...args }, token: 'xoxb', ok: true };
}

describe('the leak scanner every Slack test runs', () => {
  const scanner = new LeakScanner('C0REVIEW');
  scanner.add('code', '482913');
  scanner.add('password', 'Correct-Horse-9');
  scanner.add('document', 'E12345678');
  scanner.add('link', LINK);

  it('finds a code or a password anywhere, even in a DM', () => {
    const leaks = scanner.scan([
      post('D0ME', { text: 'your code is 482913' }),
      {
        method: 'views.update',
        args: { view: { blocks: [{ text: { text: 'Correct-Horse-9' } }] } },
        token: null,
        ok: true,
      },
    ]);
    expect(leaks.map((leak) => [leak.kind, leak.audience])).toEqual([
      ['code', 'dm'],
      ['password', 'private-view'],
    ]);
  });

  it('does not mistake a longer number for a code', () => {
    expect(scanner.scan([post('C0GENERAL', { text: 'account 14829130' })])).toEqual([]);
  });

  it("allows a document number only in a reviewer's modal, never a channel (the review channel included)", () => {
    const modal = { view: { type: 'modal', blocks: [{ text: { text: 'Document E12345678' } }] } };
    expect(scanner.scan([{ method: 'views.open', args: modal, token: 'xoxb', ok: true }])).toEqual([]);
    expect(scanner.scan([post('C0REVIEW', { text: 'Document E12345678' })])).toHaveLength(1);
    expect(scanner.scan([post('C0SUPPORT', { text: 'Document E12345678' })])).toHaveLength(1);
    expect(
      scanner.scan([
        { method: 'views.publish', args: { view: { type: 'home', blocks: [modal] } }, token: null, ok: true },
      ]),
    ).toHaveLength(1);
  });

  it('allows a page link in a DM only as the URL of a button', () => {
    const asButton = {
      blocks: [{ type: 'actions', elements: [{ type: 'button', text: { text: 'Open' }, url: LINK }] }],
    };
    expect(scanner.scan([post('D0ME', asButton)])).toEqual([]);
    expect(scanner.scan([post('D0ME', { text: `open ${LINK}` })]).map((leak) => leak.kind)).toContain('link');
    expect(scanner.scan([post('C0GENERAL', asButton)]).length).toBeGreaterThan(0);
  });

  it('flags anything token-shaped in a channel', () => {
    const leaks = scanner.scan([post('C0GENERAL', { text: 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP' })]);
    expect(leaks.map((leak) => leak.kind)).toEqual(['token-like']);
  });

  it('reads codes, links and tokens out of captured messages', () => {
    const found = secretsInText(`Your code is 123456. Or open ${LINK}`);
    expect(found.map((secret) => secret.kind).sort()).toEqual(['code', 'link', 'token']);
  });
});

describe('block helpers read what a person sees', () => {
  const blocks = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: 'Hello' },
      accessory: { type: 'button', action_id: 'a1', text: { type: 'plain_text', text: 'Help' } },
    },
    {
      type: 'actions',
      block_id: 'b',
      elements: [
        { type: 'button', action_id: 'a2', value: 'v', text: { type: 'plain_text', text: 'Resend code' } },
      ],
    },
    {
      type: 'input',
      block_id: 'i',
      label: { type: 'plain_text', text: 'Industry of the company' },
      element: {
        type: 'static_select',
        action_id: 's',
        options: [{ text: { type: 'plain_text', text: 'Finance' }, value: 'finance' }],
      },
    },
  ];

  it('finds buttons by their text and says which exist when one is missing', () => {
    expect(findButton(blocks, 'resend code')).toMatchObject({ actionId: 'a2', blockId: 'b', value: 'v' });
    expect(() => findButton(blocks, 'Cancel')).toThrow(/"Help", "Resend code"/);
  });

  it('finds inputs by label and options by text', () => {
    const input = findInput(blocks, 'Industry');
    expect(findOption(input.element, 'Finance')).toMatchObject({ value: 'finance' });
    expect(visibleText(blocks)).toContain('Resend code');
  });
});
