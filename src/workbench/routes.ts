import { readFileSync } from 'node:fs';
import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { workbench as text } from '../messages/workbench.js';
import { workbenchPage } from './page.js';
import { WORKBENCH_PEOPLE, withMentions } from './people.js';
import { DeliveryError, type ClickTarget, type ModalValues, type SlackDelivery } from './slack-delivery.js';
import type { SlackEmulator } from './slack-emulator.js';
import { channelsOf, mailId, personState, type Outboxes } from './state.js';
import type { FlowWatch } from './flow-watch.js';
import { z } from 'zod';

/** The workbench page talks to its own origin (fetch) and frames only its own mail view. */
export const WORKBENCH_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "script-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "frame-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/** A mail's HTML runs with no script, no same-origin access and nothing loaded; links open a new tab. */
const MAIL_CSP =
  "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'";

const clientJs = readFileSync(new URL('./client/workbench.js', import.meta.url), 'utf8');
const clientCss = readFileSync(new URL('./client/workbench.css', import.meta.url), 'utf8');

export interface WorkbenchRouteDeps {
  emulator: SlackEmulator;
  delivery: SlackDelivery;
  watch: FlowWatch;
  outboxes: Outboxes;
}

const person = z.string().refine((id) => WORKBENCH_PEOPLE.some((candidate) => candidate.id === id));
const line = z.string().trim().min(1).max(4000);
const target: z.ZodType<ClickTarget> = z.union([
  z.object({ kind: z.literal('message'), channel: z.string().max(40), ts: z.string().max(40) }),
  z.object({ kind: z.literal('view'), viewId: z.string().max(40) }),
  z.object({ kind: z.literal('home') }),
]);
const requests = {
  say: z.object({ person, text: line }),
  mention: z.object({
    person,
    channel: z.string().max(40),
    text: line,
    threadTs: z.string().max(40).optional(),
  }),
  home: z.object({ person }),
  click: z.object({
    person,
    target,
    blockId: z.string().max(255),
    actionId: z.string().max(255),
    selected: z.string().max(2000).optional(),
  }),
  submit: z.object({
    person,
    viewId: z.string().max(40),
    values: z.record(
      z.string().max(255),
      z.record(
        z.string().max(255),
        z.union([z.string().max(3000), z.array(z.string().max(2000)).max(100), z.null()]),
      ),
    ),
  }),
  close: z.object({ person, viewId: z.string().max(40) }),
};

/**
 * The workbench: the page at `/`, its script and stylesheet, the person's state as JSON, and
 * the actions a person can take, each delivered to the app as Slack would deliver it.
 */
export function workbenchRoutes(deps: WorkbenchRouteDeps): Router {
  const { emulator, delivery, watch, outboxes } = deps;
  const router = Router();
  const json = express.json({ limit: '64kb' });

  router.get('/', (_request, response) => {
    response.setHeader('Content-Security-Policy', WORKBENCH_CSP);
    response.type('html').send(workbenchPage().value);
  });
  router.get('/workbench/workbench.js', (_request, response) => {
    response.type('text/javascript').send(clientJs);
  });
  router.get('/workbench/workbench.css', (_request, response) => {
    response.type('text/css').send(clientCss);
  });
  router.get('/workbench/api/state', (request, response) => {
    const parsed = person.safeParse(request.query.person);
    if (!parsed.success) {
      response.status(400).json({ error: text.errors.unknownPerson });
      return;
    }
    response.json({ labels: text.labels, state: personState(emulator, watch, outboxes, parsed.data) });
  });
  router.get('/workbench/mail/:id', (request, response) => {
    const found = outboxes.mail
      ?.list()
      .find((entry) => mailId(entry.message.messageId) === request.params.id);
    if (!found) {
      response.status(404).type('text/plain').send(text.errors.badRequest);
      return;
    }
    response.setHeader('Content-Security-Policy', MAIL_CSP);
    response.setHeader('X-Frame-Options', 'SAMEORIGIN');
    response.type('html').send(`<base target="_blank">${found.message.html}`);
  });

  const action = <T extends z.ZodType>(
    schema: T,
    run: (body: z.infer<T>) => Promise<unknown>,
  ): RequestHandler[] => [
    sameOrigin,
    json,
    (request: Request, response: Response) => {
      const parsed = schema.safeParse(request.body);
      if (!parsed.success) {
        response.status(400).json({ error: text.errors.badRequest });
        return;
      }
      run(parsed.data).then(
        (answer) => response.json({ ok: true, answer: answer ?? null }),
        (error: unknown) => {
          if (error instanceof DeliveryError) response.status(409).json({ error: error.message });
          else response.status(502).json({ error: error instanceof Error ? error.message : String(error) });
        },
      );
    },
  ];

  router.post(
    '/workbench/api/say',
    ...action(requests.say, ({ person: userId, text: said }) =>
      said.startsWith('/')
        ? delivery.command(userId, emulator.dmChannelOf(userId), said)
        : delivery.say(userId, said),
    ),
  );
  router.post(
    '/workbench/api/mention',
    ...action(requests.mention, async ({ person: userId, channel, text: said, threadTs }) => {
      if (!channelsOf(userId).some((candidate) => candidate.id === channel))
        throw new DeliveryError(text.errors.badRequest);
      if (said.startsWith('/')) return delivery.command(userId, channel, said);
      return delivery.mention(userId, channel, withMentions(said.replace(/^@assistant\s*/i, '')), threadTs);
    }),
  );
  router.post(
    '/workbench/api/home',
    ...action(requests.home, ({ person: userId }) => delivery.openHome(userId)),
  );
  router.post(
    '/workbench/api/click',
    ...action(requests.click, ({ person: userId, target: where, blockId, actionId, selected }) =>
      delivery.click(userId, {
        target: where,
        blockId,
        actionId,
        ...(selected !== undefined ? { selected } : {}),
      }),
    ),
  );
  router.post(
    '/workbench/api/submit',
    ...action(requests.submit, ({ person: userId, viewId, values }) =>
      delivery.submit(userId, viewId, values as ModalValues),
    ),
  );
  router.post(
    '/workbench/api/close',
    ...action(requests.close, ({ person: userId, viewId }) => delivery.closeModal(userId, viewId)),
  );
  return router;
}

/**
 * Another site must not drive the workbench from a visitor's browser: actions are JSON (a
 * cross-site form cannot send it without a preflight) from this page's own origin.
 */
const sameOrigin: RequestHandler = (request, response, next) => {
  const site = request.get('sec-fetch-site');
  const isJson = request.is('application/json') === 'application/json';
  if (!isJson || (site !== undefined && site !== 'same-origin')) {
    response.status(403).json({ error: text.errors.crossSite });
    return;
  }
  next();
};
