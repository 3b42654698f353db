import { Router } from 'express';
import { showPasswordJs, siteCss } from '../assets.js';

export function assetRoutes(): Router {
  const router = Router();
  router.get('/assets/site.css', (_request, response) => {
    response.type('text/css').send(siteCss);
  });
  router.get('/assets/show-password.js', (_request, response) => {
    response.type('text/javascript').send(showPasswordJs);
  });
  // Browsers ask for it on every page; an empty answer keeps 404s out of their consoles.
  router.get('/favicon.ico', (_request, response) => {
    response.status(204).end();
  });
  return router;
}
