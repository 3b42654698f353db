import { describe, expect, it } from 'vitest';
import { slack } from '../../messages/slack.js';
import { basicInfoModal } from '../flows/edit-basic-info.js';
import { identityModal } from '../flows/identity-verification.js';
import { codeModal } from '../flows/code-challenge.js';
import { valueModal } from '../flows/contact-change.js';
import { loginEmailModal } from '../flows/reset-password.js';

const modals = [
  codeModal('flow-1', null),
  valueModal('flow-1', slack.flowTitles.changeVerificationEmail, 'verificationEmail'),
  loginEmailModal('flow-1'),
  identityModal('flow-1', 'individual'),
  identityModal('flow-1', 'organization'),
  basicInfoModal('flow-1', 'address', {}),
  basicInfoModal('flow-1', 'industry', { industry: 'finance' }),
];

describe('modals', () => {
  it('carry only the flow id and stay within Slack limits', () => {
    for (const modal of modals) {
      expect(modal.private_metadata).toBe('flow-1');
      expect(modal.title.text.length).toBeLessThanOrEqual(24);
      expect(modal.blocks.length).toBeLessThanOrEqual(100);
      expect((modal.submit?.text ?? '').length).toBeLessThanOrEqual(24);
    }
  });

  it('ask for a six-digit code with a typed input, never for a password', () => {
    const input = codeModal('f', null).blocks.find((block) => block.type === 'input');
    expect(input).toMatchObject({ element: { type: 'plain_text_input', min_length: 6, max_length: 6 } });
    const labels = modals.flatMap((modal) =>
      modal.blocks.flatMap((block) =>
        block.type === 'input'
          ? [String((block as { label?: { text?: string } }).label?.text).toLowerCase()]
          : [],
      ),
    );
    expect(labels.length).toBeGreaterThan(10);
    expect(labels.filter((label) => label.includes('password'))).toEqual([]);
  });

  it('use an email input for addresses and prefill the current industry', () => {
    const email = valueModal('f', 't', 'loginEmail').blocks[0];
    expect(email).toMatchObject({ element: { type: 'email_text_input' } });
    const industry = basicInfoModal('f', 'industry', { industry: 'finance' }).blocks[0];
    expect(industry).toMatchObject({ element: { initial_option: { value: 'finance' } } });
  });
});
