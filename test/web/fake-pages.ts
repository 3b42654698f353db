import type { PageState, PasswordPages } from '../../src/web/password-pages.js';

/** A link token of the real shape (32 bytes, base64url). */
export const GOOD_TOKEN = 'G00d-t0ken_G00d-t0ken_G00d-t0ken_G00d-t0ke';
export const CHANGE_TOKEN = 'Change-t0ken_Change-t0ken_Change-t0ken_Cha';

/**
 * Password pages that answer from a script, so the web layer can be tested on its own:
 * which calls arrive with which arguments, and what a page does with each state.
 */
export class ScriptedPasswordPages implements PasswordPages {
  readonly calls: { method: string; args: string[] }[] = [];
  next: PageState | null = null;
  forgotten: string[] = [];

  async forgot(loginEmail: string): Promise<void> {
    this.calls.push({ method: 'forgot', args: [loginEmail] });
    this.forgotten.push(loginEmail);
  }
  resetOpen(token: string) {
    return this.answer('resetOpen', [token], { page: 'form', kind: 'reset', errors: [] });
  }
  resetSubmitPassword(token: string, password: string, confirmation: string) {
    return this.answer('resetSubmitPassword', [token, password, confirmation], {
      page: 'code',
      channel: 'sms',
      maskedTarget: '+86 138****5678',
      notice: null,
      canUseAlternate: true,
      resendAvailableAt: 0,
    });
  }
  resetSubmitCode(token: string, code: string) {
    return this.answer('resetSubmitCode', [token, code], { page: 'done', kind: 'reset' });
  }
  resetResend(token: string) {
    return this.answer('resetResend', [token], { page: 'invalid' });
  }
  resetUseAlternate(token: string) {
    return this.answer('resetUseAlternate', [token], { page: 'invalid' });
  }
  changeOpen(token: string) {
    return this.answer('changeOpen', [token], { page: 'form', kind: 'change', errors: [] }, CHANGE_TOKEN);
  }
  changeSubmit(token: string, current: string, password: string, confirmation: string) {
    return this.answer(
      'changeSubmit',
      [token, current, password, confirmation],
      { page: 'done', kind: 'change' },
      CHANGE_TOKEN,
    );
  }

  methods(): string[] {
    return this.calls.map((call) => call.method);
  }

  private async answer(method: string, args: string[], normal: PageState, valid = GOOD_TOKEN) {
    this.calls.push({ method, args });
    if (args[0] !== valid) return { page: 'invalid' } as const;
    const scripted = this.next;
    this.next = null;
    return scripted ?? normal;
  }
}
