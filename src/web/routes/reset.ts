import { Router, type RequestHandler } from 'express';
import { LinkCookie } from '../link-cookie.js';
import { field, type PageContext } from './context.js';
import { answerLinkPage, keepLinkAndRedirect } from './link-pages.js';

/** SPEC 3.9: `/reset/<token>` from the email, then the token-less `/reset` pages. */
export function resetRoutes(context: PageContext, form: RequestHandler): Router {
  const router = Router();
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
