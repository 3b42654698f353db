import type { Request, Response } from 'express';
import type { PageState } from '../password-pages.js';
import { web } from '../../messages/web.js';
import type { LinkCookie } from '../link-cookie.js';
import { messagePage } from '../pages/messages.js';
import { invalidPage, renderPasswordPage, type PageKind } from '../pages/password.js';
import { sendPage, type PageContext } from './context.js';

/** The first GET of a link: keep the token in a cookie and move to the token-less address. */
export function keepLinkAndRedirect(link: LinkCookie) {
  return (request: Request, response: Response): void => {
    link.keep(response, String(request.params.token ?? ''));
    response.redirect(303, link.path);
  };
}

/**
 * Every request of a link page goes through here: the CSRF check on POST, one call into
 * the password pages, the per-address count of invalid links, and the rendering. A valid
 * link always works; past the limit an invalid one answers 429 with the same page.
 */
export async function answerLinkPage(
  context: PageContext,
  request: Request,
  response: Response,
  link: LinkCookie,
  kind: PageKind,
  act: (token: string) => Promise<PageState>,
): Promise<void> {
  if (request.method === 'POST' && !context.csrf.verify(request)) {
    sendPage(response, 403, messagePage(web.formExpired.title, web.formExpired.body));
    return;
  }
  const token = link.read(request);
  const ip = context.ip(request);
  if (token === null) {
    sendPage(response, 404, invalidPage(kind));
    return;
  }
  const state = await act(token);
  if (state.page === 'invalid' && !(await context.limits.countInvalidLink(ip)).allowed) {
    context.logger.warn({ page: kind, ip: context.limits.tag(ip) }, 'link guessing limit reached');
    link.forget(response);
    sendPage(response, 429, invalidPage(kind));
    return;
  }
  if (state.page === 'invalid' || state.page === 'done') link.forget(response);
  const rendered = renderPasswordPage(state, {
    kind,
    csrf: context.csrf.tokenFor(request, response),
    now: context.clock.now(),
    passwordRules: context.passwordRules,
  });
  sendPage(response, rendered.status, rendered.body);
}
