import { describe, expect, it } from 'vitest';
import { escapeHtml } from '../../src/core/html.js';
import {
  renderEmail,
  renderSms,
  type EmailTemplate,
  type SmsTemplate,
} from '../../src/services/notifications/templates.js';

const options = { timeZone: 'UTC' };
const at = Date.UTC(2026, 0, 5, 9, 30);

const emails: EmailTemplate[] = [
  ...(
    [
      'contact-email',
      'verification-email',
      'login-email',
      'step-up',
      'account-link',
      'reset-identity-check',
    ] as const
  ).map((purpose): EmailTemplate => ({ kind: 'code', purpose, code: '007123', validForMs: 600_000 })),
  { kind: 'password-reset-link', link: 'https://aa.example.com/reset?t=abc', validForMs: 172_800_000 },
  ...(
    [
      'contact-mobile',
      'security-mobile',
      'contact-email',
      'verification-email',
      'login-email',
      'password',
      'verification-status',
    ] as const
  ).map((change): EmailTemplate => ({ kind: 'change-notice', change, at })),
  { kind: 'identity-submitted', earliest: '2026-01-07', latest: '2026-01-09', minDays: 2, maxDays: 4 },
  { kind: 'identity-approved' },
  { kind: 'identity-rejected', reason: 'The document image is unreadable' },
  { kind: 'password-age-reminder', daysSinceChange: 91 },
  { kind: 'password-expiry-reminder', expiresAt: at },
];

describe('email templates', () => {
  it.each(
    emails.map(
      (template) =>
        [
          `${template.kind} ${'purpose' in template ? template.purpose : 'change' in template ? template.change : ''}`,
          template,
        ] as const,
    ),
  )('%s renders plain text and HTML, and keeps secrets out of the subject', (_name, template) => {
    const mail = renderEmail(template, options);
    expect(mail.subject.length).toBeGreaterThan(5);
    expect(mail.subject).not.toMatch(/\d{6}|https?:/);
    expect(mail.text).toMatch(/^Hello,/);
    expect(mail.html).toMatch(/^<!doctype html>/);
    expect(mail.html).toContain('<title>');
    expect(mail.text).not.toContain('<p>');
  });

  it('puts the code where a person reads it, and names what it is for', () => {
    const mail = renderEmail(
      { kind: 'code', purpose: 'login-email', code: '000417', validForMs: 600_000 },
      options,
    );
    expect(mail.text).toContain('login email of your account');
    expect(mail.text).toMatch(/\n {4}000417\n/);
    expect(mail.text).toContain('valid for 10 minutes and works once');
    expect(mail.html).toContain('>000417</p>');
  });

  it('says the reset link lasts 48 hours, works once, and shows it in both parts', () => {
    const link = 'https://aa.example.com/reset?t=abc&x=1';
    const mail = renderEmail({ kind: 'password-reset-link', link, validForMs: 172_800_000 }, options);
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('valid for 48 hours and can be used once');
    expect(mail.html).toContain('href="https://aa.example.com/reset?t=abc&amp;x=1"');
  });

  it('refuses links that are not http(s)', () => {
    expect(() =>
      renderEmail(
        { kind: 'password-reset-link', link: 'javascript:alert(1)', validForMs: 172_800_000 },
        options,
      ),
    ).toThrow(/javascript:/);
  });

  it('says what changed, when, and what to do if it was not you', () => {
    const mail = renderEmail(
      { kind: 'change-notice', change: 'security-mobile', at, newValue: '+86 138****5678', name: 'Ada' },
      options,
    );
    expect(mail.subject).toBe('Your security mobile number was changed');
    expect(mail.text).toMatch(/^Hello Ada,/);
    expect(mail.text).toContain('It is now: +86 138****5678.');
    expect(mail.text).toContain('When: 5 January 2026 at 09:30 (UTC).');
    expect(mail.text).toContain("This wasn't me");
  });

  it('shows the time in the business time zone', () => {
    const mail = renderEmail(
      { kind: 'change-notice', change: 'password', at },
      { timeZone: 'Asia/Shanghai' },
    );
    expect(mail.text).toContain('5 January 2026 at 17:30 (Asia/Shanghai)');
  });

  it('escapes everything a person or reviewer typed', () => {
    const mail = renderEmail(
      { kind: 'identity-rejected', reason: '<img src=x onerror="steal()"> & more', name: "O'Brien <b>" },
      options,
    );
    expect(mail.html).not.toContain('<img');
    expect(mail.html).not.toContain('<b>');
    expect(mail.html).toContain('&lt;img src=x onerror=&quot;steal()&quot;&gt; &amp; more');
    expect(mail.html).toContain('Hello O&#39;Brien &lt;b&gt;,');
    expect(mail.text).toContain('Reason given: <img src=x onerror="steal()"> & more');
    expect(escapeHtml(`<>&"'`)).toBe('&lt;&gt;&amp;&quot;&#39;');
  });

  it('gives the expected decision window', () => {
    const mail = renderEmail(
      { kind: 'identity-submitted', earliest: '2026-01-07', latest: '2026-01-09', minDays: 2, maxDays: 4 },
      options,
    );
    expect(mail.text).toContain('between 2026-01-07 and 2026-01-09 (2 to 4 business days)');
  });
});

describe('SMS templates', () => {
  const texts: SmsTemplate[] = [
    ...(['contact-mobile', 'security-mobile', 'step-up', 'reset-identity-check'] as const).map(
      (purpose): SmsTemplate => ({ kind: 'code', purpose, code: '246800', validForMs: 600_000 }),
    ),
    { kind: 'change-notice', change: 'password', at },
    { kind: 'identity-approved' },
    { kind: 'identity-rejected', reason: 'Name does not match the document' },
  ];

  it.each(texts.map((template) => [template.kind, template] as const))(
    '%s is short and has no link',
    (_kind, template) => {
      const text = renderSms(template, options);
      expect(text).not.toMatch(/https?:|www\./);
      expect(text.length).toBeLessThanOrEqual(160);
      expect(text.startsWith('Account Assistant:')).toBe(true);
    },
  );

  it('carries the code and what it is for', () => {
    expect(
      renderSms(
        { kind: 'code', purpose: 'reset-identity-check', code: '246800', validForMs: 600_000 },
        options,
      ),
    ).toBe(
      'Account Assistant: 246800 is your code to reset your password. Valid 10 minutes. Never share it.',
    );
  });
});
