import { Router, type RequestHandler } from 'express';
import { messages } from '../../messages/catalog.js';
import { web } from '../../messages/web.js';
import { emailAddress } from '../../services/validation.js';
import { forgotForm, forgotSent, forgotTooMany } from '../pages/forgot.js';
import { messagePage } from '../pages/messages.js';
import { field, sendPage, type PageContext } from './context.js';

/**
 * SPEC 3.9 `/forgot`: the same page whether or not the account exists; the password pages
 * do the same work either way and queue the mail.
 */
export function forgotRoutes(context: PageContext, form: RequestHandler): Router {
  const router = Router();

  router.get('/forgot', (request, response) => {
    sendPage(response, 200, forgotForm(context.csrf.tokenFor(request, response)));
  });

  router.post('/forgot', form, async (request, response) => {
    if (!context.csrf.verify(request)) {
      sendPage(response, 403, messagePage(web.formExpired.title, web.formExpired.body));
      return;
    }
    const email = field(request, 'email').trim();
    const refusal = emailRefusal(email);
    if (refusal !== null) {
      sendPage(response, 422, forgotForm(context.csrf.tokenFor(request, response), [refusal]));
      return;
    }
    const allowance = await context.limits.forgotRequest(context.ip(request));
    if (!allowance.allowed) {
      sendPage(response, 429, forgotTooMany(allowance.retryAt, context.clock.now()));
      return;
    }
    await context.pages.forgot(email);
    sendPage(response, 200, forgotSent(context.resetLinkTtlMs));
  });
  return router;
}

/**
 * The browser's type=email check is a convenience: a request sent past it gets the same
 * field error, never "check your email" for an address no mail can reach.
 */
function emailRefusal(email: string): string | null {
  if (email === '') return web.forgot.emailMissing;
  const checked = emailAddress.safeParse(email);
  return checked.success ? null : (checked.error.issues[0]?.message ?? messages.validation.email.invalid);
}
