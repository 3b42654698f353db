/**
 * What the password pages' routes (SPEC 3.8 change, 3.9 reset) call; each flow's web file
 * implements its half over the engine (src/web/flows/). Every
 * method is safe to call with any token (invalid → the same 'invalid' state, with no hint
 * why) and never consumes a link on open (GET/HEAD).
 */
export type PageState =
  /** Unknown, expired, used, superseded, revoked: one page. */
  | { page: 'invalid' }
  /** Sentences from the catalog, e.g. each failing policy rule. */
  | { page: 'form'; kind: 'reset' | 'change'; errors: string[] }
  | {
      page: 'code';
      channel: 'sms' | 'email';
      maskedTarget: string;
      notice: string | null;
      canUseAlternate: boolean;
      resendAvailableAt: number;
      /** The first delivery attempt failed or had not finished: the code is late, not on its way. */
      delayed?: true;
    }
  | { page: 'done'; kind: 'reset' | 'change' }
  /** Five wrong current passwords. */
  | { page: 'cooldown'; retryAt: number }
  /** Redis down: try again shortly. */
  | { page: 'unavailable' };

/** SPEC 3.9's pages: `/forgot` and the mailed reset link. */
export interface ResetPages {
  /** Same work and answer whether or not the account exists; mail goes through the queue. */
  forgot(loginEmail: string): Promise<void>;
  /** Peek only. */
  resetOpen(token: string): Promise<PageState>;
  resetSubmitPassword(token: string, password: string, confirmation: string): Promise<PageState>;
  resetSubmitCode(token: string, code: string): Promise<PageState>;
  resetResend(token: string): Promise<PageState>;
  resetUseAlternate(token: string): Promise<PageState>;
}

/** SPEC 3.8's page, opened from the button a Slack change-password flow shows. */
export interface ChangePages {
  /** Peek only. */
  changeOpen(token: string): Promise<PageState>;
  changeSubmit(token: string, current: string, password: string, confirmation: string): Promise<PageState>;
}

export interface PasswordPages extends ResetPages, ChangePages {}
