import { Router, type RequestHandler } from 'express';
import { web } from '../../messages/web.js';
import { fieldErrorText } from '../../messages/validation.js';
import { emailAddress, firstProblem } from '../../services/validation.js';
import { LinkCookie } from '../link-cookie.js';
import { html, type SafeHtml } from '../pages/html.js';
import { csrfField, errorList, layout } from '../pages/layout.js';
import { messagePage } from '../pages/messages.js';
import { field, sendPage, type PageContext } from '../routes/context.js';
import { answerLinkPage, keepLinkAndRedirect } from '../routes/link-pages.js';

/**
 * SPEC 3.9 on the web: `/forgot` asks for the login email, the mailed `/reset/<token>` link
 * leads through the identity check to the new password.
 */

/** `/reset/<token>` from the email, then the token-less `/reset` pages. */
export function resetPasswordRoutes(context: PageContext, form: RequestHandler): Router {
  const router = Router();
  forgotRoutes(router, context, form);
  const link = new LinkCookie('/reset', context.secure);
  const { pages } = context;

  router.get('/reset', (request, response) =>
    answerLinkPage(context, request, response, link, 'reset', (token) => pages.resetOpen(token)),
  );
  router.get('/reset/:token', keepLinkAndRedirect(link));
  router.post('/reset/password', form, (request, response) =>
    answerLinkPage(context, request, response, link, 'reset', (token) =>
      pages.resetSubmitPassword(token, field(request, 'password'), field(request, 'confirmation')),
    ),
  );
  router.post('/reset/code', form, (request, response) =>
    answerLinkPage(context, request, response, link, 'reset', (token) =>
      pages.resetSubmitCode(token, field(request, 'code').trim()),
    ),
  );
  router.post('/reset/resend', form, (request, response) =>
    answerLinkPage(context, request, response, link, 'reset', (token) => pages.resetResend(token)),
  );
  router.post('/reset/alternate', form, (request, response) =>
    answerLinkPage(context, request, response, link, 'reset', (token) => pages.resetUseAlternate(token)),
  );
  return router;
}

/**
 * SPEC 3.9 `/forgot`: the same page whether or not the account exists; the password pages
 * do the same work either way and queue the mail.
 */
function forgotRoutes(router: Router, context: PageContext, form: RequestHandler): void {
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
}

/**
 * The browser's type=email check is a convenience: a request sent past it gets the same
 * field error, never "check your email" for an address no mail can reach.
 */
function emailRefusal(email: string): string | null {
  if (email === '') return web.forgot.emailMissing;
  const problem = firstProblem(emailAddress, email);
  return problem === null ? null : fieldErrorText(problem);
}

function forgotForm(csrf: string, errors: readonly string[] = []): SafeHtml {
  const invalid = errors.length > 0;
  return layout(
    web.forgot.title,
    html`<p>${web.forgot.intro}</p>
      ${errorList(errors)}
      <form method="post" action="/forgot">
        ${csrfField(csrf)}
        <p class="field">
          <label for="email">${web.forgot.emailLabel}</label>
          <input
            type="email"
            id="email"
            name="email"
            autocomplete="username"
            required
            autofocus
            ${invalid ? html`aria-invalid="true" aria-describedby="form-errors"` : ''}
          />
        </p>
        <p><button type="submit">${web.forgot.submit}</button></p>
      </form>`,
  );
}

function forgotSent(linkTtlMs: number): SafeHtml {
  return layout(
    web.forgot.sentTitle,
    html`<p role="status">${web.forgot.sent(linkTtlMs)}</p>
      <p>${web.forgot.sentNext}</p>
      <p><a href="/forgot">${web.forgot.askAgain}</a></p>`,
  );
}

function forgotTooMany(retryAt: number, now: number): SafeHtml {
  return layout(web.forgot.tooManyTitle, html`<p role="alert">${web.forgot.tooMany(retryAt, now)}</p>`);
}
