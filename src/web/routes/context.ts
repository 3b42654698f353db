import type { Request, Response } from 'express';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';
import type { PasswordPages } from '../password-pages.js';
import type { CsrfProtection } from '../csrf.js';
import type { IpLimits } from '../ip-limits.js';
import type { SafeHtml } from '../pages/html.js';

/** What every page route needs; built once by the server. */
export interface PageContext {
  pages: PasswordPages;
  csrf: CsrfProtection;
  limits: IpLimits;
  clock: Clock;
  logger: Logger;
  secure: boolean;
  /** Listed on every new-password form before the first try. */
  passwordRules: readonly string[];
  /** How long a reset link works, as the "link is on its way" page states it. */
  resetLinkTtlMs: number;
  ip(request: Request): string;
}

export function sendPage(response: Response, status: number, page: SafeHtml): void {
  response.status(status).type('html').send(page.value);
}

/** A form field as text; anything else (missing, repeated) counts as empty. */
export function field(request: Request, name: string): string {
  const body: unknown = request.body;
  if (typeof body !== 'object' || body === null) return '';
  const value = (body as Record<string, unknown>)[name];
  return typeof value === 'string' ? value : '';
}
