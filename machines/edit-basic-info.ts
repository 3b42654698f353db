import { assign, fromPromise, setup, type DoneStateEvent } from 'xstate';
import { flowActions, flowGuards, flowTypes } from './shared/common-actions.js';
import type { BasicInfoSection, SaveBasicInfoInput, SaveBasicInfoOutput } from './shared/effects.js';
import {
  cancelOrIdle,
  finalOutput,
  finalState,
  initialBase,
  notProvided,
  outputOf,
  type CancelEvent,
  type FlowContextBase,
  type FlowInputBase,
  type FlowOutput,
  type TickEvent,
} from './shared/flow.js';
import type { FieldErrors } from './shared/messages.js';
import type { MachineView, MetaOf } from './shared/view.js';

/**
 * SPEC 3.2: the account overview (all of SPEC §2, masked, read by the adapter) with edits of
 * the account name, the industry and the contact address. Validation happens in the
 * `saveBasicInfo` actor and comes back as field → message key. No step-up.
 */

export type EditBasicInfoInput = FlowInputBase;

export interface EditBasicInfoContext extends FlowContextBase {
  section: BasicInfoSection | null;
  fieldErrors: FieldErrors;
  saves: number;
}

/** What this flow shows besides the common views, with the context each reads. */
export type EditBasicInfoView = MachineView<'accountOverview' | 'editBasicInfo', EditBasicInfoContext>;

export type EditBasicInfoEvent =
  | { type: 'EDIT'; section: BasicInfoSection; now: number }
  | { type: 'SUBMIT_FORM'; values: Record<string, string>; now: number }
  | { type: 'BACK'; now: number }
  | { type: 'CLOSE'; now: number }
  | TickEvent
  | CancelEvent;

export const editBasicInfoMachine = setup({
  types: flowTypes<EditBasicInfoContext, EditBasicInfoEvent, EditBasicInfoInput, MetaOf<EditBasicInfoView>>(),
  actors: {
    saveBasicInfo: fromPromise<SaveBasicInfoOutput, SaveBasicInfoInput>(async () =>
      notProvided('saveBasicInfo'),
    ),
  },
  guards: {
    ...flowGuards,
    saved: ({ event }) => outputOf<SaveBasicInfoOutput>(event)?.outcome === 'saved',
  },
  actions: {
    ...flowActions<EditBasicInfoContext, EditBasicInfoEvent>(),
    openSection: assign(({ event }) => ({
      section: event.type === 'EDIT' ? event.section : null,
      fieldErrors: {},
      notice: null,
    })),
    countSave: assign(({ context }) => ({ saves: context.saves + 1 })),
    noteFieldErrors: assign(({ event }) => {
      const output = outputOf<SaveBasicInfoOutput>(event);
      return { fieldErrors: output?.outcome === 'invalid' ? output.fieldErrors : {}, notice: null };
    }),
    clearFieldErrors: assign({ fieldErrors: {} }),
  },
}).createMachine({
  id: 'editBasicInfo',
  version: '2',
  context: ({ input }) => ({ ...initialBase(input), section: null, fieldErrors: {}, saves: 0 }),
  initial: 'overview',
  on: cancelOrIdle,
  states: {
    overview: {
      meta: { view: 'accountOverview' },
      entry: 'touch',
      on: {
        EDIT: { target: 'editing', actions: 'openSection' },
        CLOSE: { target: 'done', actions: { type: 'setReason', params: { reason: 'flow.completed' } } },
      },
    },
    editing: {
      meta: { view: 'editBasicInfo' },
      entry: 'touch',
      on: {
        SUBMIT_FORM: { target: 'saving' },
        BACK: { target: 'overview' },
      },
    },
    saving: {
      tags: ['busy'],
      meta: { view: 'working' },
      entry: ['touch', 'countSave'],
      invoke: {
        id: 'saveBasicInfo',
        src: 'saveBasicInfo',
        input: ({ context, event }) => ({
          step: `saveBasicInfo#${context.saves}`,
          section: context.section ?? 'name',
          values: event.type === 'SUBMIT_FORM' ? event.values : {},
        }),
        onDone: [
          {
            guard: 'saved',
            target: 'overview',
            actions: ['clearFieldErrors', { type: 'setNotice', params: { notice: 'basicInfo.saved' } }],
          },
          { target: 'editing', actions: 'noteFieldErrors' },
        ],
        onError: { target: 'editing', actions: 'recordError' },
      },
    },
    done: finalState('done', 'flow.completed'),
    failed: finalState('failed'),
    cancelled: finalState('cancelled'),
  },
  output: ({ event }) => finalOutput(event as DoneStateEvent<FlowOutput>),
});
