import type { Request, Response } from 'express';
import { clearCookie, readCookie, setCookie, type CookieSettings } from './cookies.js';

const TOKEN_SHAPE = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * Holds a link token after the first GET so it leaves the address bar (and the history,
 * and any screenshot). HttpOnly and scoped to the page's path. SameSite=Lax, not Strict:
 * a link opened from webmail is a cross-site navigation, and a Strict cookie set on it
 * would not come back on the redirect. Lax is still never sent on a cross-site POST, and
 * every POST also needs the Strict session's CSRF token.
 */
export class LinkCookie {
  private readonly settings: CookieSettings;
  readonly name: string;

  constructor(
    readonly path: '/reset' | '/password',
    secure: boolean,
  ) {
    this.name = path === '/reset' ? 'aa_reset_link' : 'aa_password_link';
    this.settings = { secure, sameSite: 'lax', path };
  }

  /** Keeps a token that has the shape of one; anything else is dropped (it would be invalid). */
  keep(response: Response, token: string): void {
    if (TOKEN_SHAPE.test(token)) setCookie(response, this.name, token, this.settings);
    else this.forget(response);
  }

  read(request: Request): string | null {
    const token = readCookie(request, this.name);
    return token !== null && TOKEN_SHAPE.test(token) ? token : null;
  }

  forget(response: Response): void {
    clearCookie(response, this.name, this.settings);
  }
}
