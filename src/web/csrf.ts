import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { readCookie, setCookie, type CookieSettings } from './cookies.js';

const SESSION_SHAPE = /^[A-Za-z0-9_-]{43}$/;

/**
 * Synchronizer tokens bound to a session cookie: every form carries HMAC(key, session id)
 * and a POST is accepted only when the field matches the cookie it came with. The cookie
 * is HttpOnly and SameSite=Strict, so another site can neither read it nor send it, and
 * the token is worthless without it. A __Host- name (https) pins it to this origin.
 */
export class CsrfProtection {
  readonly cookieName: string;
  private readonly cookie: CookieSettings;

  constructor(
    private readonly key: Buffer,
    secure: boolean,
  ) {
    this.cookieName = secure ? '__Host-aa_session' : 'aa_session';
    this.cookie = { secure, sameSite: 'strict', path: '/' };
  }

  /** The token for this browser's session; starts a session when it has none. */
  tokenFor(request: Request, response: Response): string {
    let session = this.session(request);
    if (session === null) {
      session = randomBytes(32).toString('base64url');
      setCookie(response, this.cookieName, session, this.cookie);
    }
    return this.sign(session);
  }

  /** Whether a POST carries the token of the session cookie it came with. */
  verify(request: Request): boolean {
    const session = this.session(request);
    const body: unknown = request.body;
    const given =
      typeof body === 'object' && body !== null ? (body as Record<string, unknown>)._csrf : undefined;
    if (session === null || typeof given !== 'string') return false;
    const expected = Buffer.from(this.sign(session));
    const actual = Buffer.from(given);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  }

  private session(request: Request): string | null {
    const value = readCookie(request, this.cookieName);
    return value !== null && SESSION_SHAPE.test(value) ? value : null;
  }

  private sign(session: string): string {
    return createHmac('sha256', this.key).update(`csrf:${session}`).digest('base64url');
  }
}
