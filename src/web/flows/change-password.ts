import { Router, type RequestHandler } from 'express';
import { LinkCookie } from '../link-cookie.js';
import { field, type PageContext } from '../routes/context.js';
import { answerLinkPage, keepLinkAndRedirect } from '../routes/link-pages.js';

/** SPEC 3.8: `/password/<token>` from the Slack change-password flow, then `/password`. */
export function changePasswordRoutes(context: PageContext, form: RequestHandler): Router {
  const router = Router();
  const link = new LinkCookie('/password', context.secure);
  const { pages } = context;

  router.get('/password', (request, response) =>
    answerLinkPage(context, request, response, link, 'change', (token) => pages.changeOpen(token)),
  );
  router.get('/password/:token', keepLinkAndRedirect(link));
  router.post('/password', form, (request, response) =>
    answerLinkPage(context, request, response, link, 'change', (token) =>
      pages.changeSubmit(
        token,
        field(request, 'current'),
        field(request, 'password'),
        field(request, 'confirmation'),
      ),
    ),
  );
  return router;
}
