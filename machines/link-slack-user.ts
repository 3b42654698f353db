import { assign, fromPromise, setup, type DoneStateEvent } from 'xstate';
import { flowActions, flowGuards, flowTypes } from './shared/common-actions.js';
import { forwardingTo } from './shared/delegate.js';
import type { CodeTarget } from './shared/codes.js';
import {
  codeChallengeMachine,
  type CodeChallengeEvent,
  type CodeChallengeOutput,
} from './shared/code-challenge.js';
import { forwardCodeEvents } from './shared/delegate.js';
import type { FindAccountInput, FindAccountOutput, LinkAccountInput, NotifyInput } from './shared/effects.js';
import {
  cancelOrIdle,
  failOnError,
  finalOutput,
  finalState,
  initialBase,
  notProvided,
  outputOf,
  type FlowContextBase,
  type FlowInputBase,
  type FlowOutput,
} from './shared/flow.js';
import type { MachineView, MetaOf } from './shared/view.js';

/**
 * SPEC 3.11: on first contact, find the account whose login email is the Slack profile email,
 * confirm ownership once with a code to that email, link. No match: explain and offer to
 * tell support.
 */

export type LinkSlackUserInput = FlowInputBase;

export type LinkSlackUserContext = FlowContextBase;

export type LinkSlackUserEvent = { type: 'NOTIFY_SUPPORT'; now: number } | CodeChallengeEvent;

/** What this flow shows besides the common views and its code challenge's, with the context it reads. */
export type LinkSlackUserView = MachineView<'noAccountMatch', LinkSlackUserContext>;

const loginEmail: CodeTarget = { kind: 'current', field: 'loginEmail' };

const challengeDone = (event: unknown): CodeChallengeOutput | undefined =>
  outputOf<CodeChallengeOutput>(event as DoneStateEvent);

export const linkSlackUserMachine = setup({
  types: flowTypes<LinkSlackUserContext, LinkSlackUserEvent, LinkSlackUserInput, MetaOf<LinkSlackUserView>>(),
  actors: {
    findAccount: fromPromise<FindAccountOutput, FindAccountInput>(async () => notProvided('findAccount')),
    codeChallenge: codeChallengeMachine,
    linkAccount: fromPromise<void, LinkAccountInput>(async () => notProvided('linkAccount')),
    notify: fromPromise<void, NotifyInput>(async () => notProvided('notify')),
  },
  guards: {
    ...flowGuards,
    accountFound: ({ event }) => outputOf<FindAccountOutput>(event)?.outcome === 'found',
    alreadyLinked: ({ event }) => outputOf<FindAccountOutput>(event)?.outcome === 'alreadyLinked',
    codeVerified: ({ event }) => challengeDone(event)?.status === 'done',
  },
  actions: {
    ...flowActions<LinkSlackUserContext, LinkSlackUserEvent>(),
    forwardToCodeChallenge: forwardingTo<LinkSlackUserContext, LinkSlackUserEvent>('codeChallenge'),
    takeChallengeReason: assign(({ event }) => ({
      reason: challengeDone(event)?.reason ?? 'flow.effectFailed',
    })),
  },
}).createMachine({
  id: 'linkSlackUser',
  version: '2',
  context: ({ input }) => initialBase(input),
  initial: 'lookingUp',
  on: cancelOrIdle,
  states: {
    lookingUp: {
      tags: ['busy'],
      meta: { view: 'working' },
      invoke: {
        id: 'findAccount',
        src: 'findAccount',
        input: () => ({ step: 'findAccount' }),
        onDone: [
          { guard: 'accountFound', target: 'confirmingOwnership' },
          {
            guard: 'alreadyLinked',
            target: 'done',
            actions: { type: 'setReason', params: { reason: 'link.alreadyLinked' } },
          },
          { target: 'noMatch' },
        ],
        onError: failOnError,
      },
    },
    noMatch: {
      meta: { view: 'noAccountMatch' },
      entry: 'touch',
      on: { NOTIFY_SUPPORT: { target: 'notifyingSupport' } },
    },
    notifyingSupport: {
      tags: ['busy'],
      meta: { view: 'working' },
      entry: 'touch',
      invoke: {
        id: 'notify',
        src: 'notify',
        input: () => ({ step: 'notifySupport', kind: 'linkNoMatch' as const }),
        onDone: {
          target: 'done',
          actions: { type: 'setReason', params: { reason: 'link.supportNotified' } },
        },
        onError: { target: 'noMatch', actions: 'recordError' },
      },
    },
    confirmingOwnership: {
      meta: { view: 'delegated', child: 'codeChallenge' },
      invoke: {
        id: 'codeChallenge',
        src: 'codeChallenge',
        input: ({ context }) => ({
          now: context.seenAt,
          idleTimeoutMs: context.idleTimeoutMs,
          purpose: 'account-link' as const,
          channel: 'email' as const,
          target: loginEmail,
          alternate: null,
          exhaustedEnds: false,
          round: 1,
        }),
        onDone: [
          { guard: 'codeVerified', target: 'linking' },
          { target: 'failed', actions: 'takeChallengeReason' },
        ],
        onError: failOnError,
      },
      on: forwardCodeEvents('codeChallenge'),
    },
    linking: {
      tags: ['busy'],
      meta: { view: 'working' },
      invoke: {
        id: 'linkAccount',
        src: 'linkAccount',
        input: () => ({ step: 'linkAccount' }),
        onDone: { target: 'done', actions: { type: 'setReason', params: { reason: 'link.linked' } } },
        onError: failOnError,
      },
    },
    done: finalState('done', 'link.linked'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: ({ event }) => finalOutput(event as DoneStateEvent<FlowOutput>),
});
