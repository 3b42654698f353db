import { Router } from 'express';

/**
 * `/healthz`: the process answers. `/readyz`: the stores answer (a Redis PING when Redis
 * is used), so a load balancer stops sending people to an instance that would fail.
 */
export function healthRoutes(ready: () => Promise<boolean>): Router {
  const router = Router();
  router.get('/healthz', (_request, response) => {
    response.json({ status: 'ok' });
  });
  router.get('/readyz', async (_request, response) => {
    const isReady = await ready().catch(() => false);
    response.status(isReady ? 200 : 503).json({ status: isReady ? 'ready' : 'unavailable' });
  });
  return router;
}
