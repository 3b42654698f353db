import { describe, expect, it } from 'vitest';
import type { FlowView } from '../../../machines/shared/flow-view.js';
import { flows } from '../../messages/flows.js';
import { slack } from '../../messages/slack.js';
import { FlowActions } from '../action-ids.js';
import { conflictMessage, flowMessage } from './flow-message.js';
import { slackViews } from '../flows/index.js';

const NOW = Date.UTC(2026, 0, 5, 9);
const TIMINGS = {
  codeTtlMs: 600_000,
  codeLockMs: 900_000,
  wrongPasswordCooldownMs: 900_000,
  resetLinkTtlMs: 172_800_000,
};

function codeView(resendAt: number, purpose: 'step-up' | 'contact-mobile' = 'contact-mobile'): FlowView {
  // Only the values the renderer reads; a real step-up context holds more.
  return {
    view: 'enterCode',
    machineId: 'changeContactMobile',
    stateId: 'x.enterCode',
    meta: { view: 'enterCode' },
    notice: 'code.wrong',
    context: {
      purpose,
      code: {
        channel: 'sms',
        maskedTarget: '+86 139****9000',
        expiresAt: NOW + 600_000,
        resendAt,
        attemptsLeft: 4,
      },
      alternate:
        purpose === 'step-up'
          ? { channel: 'email', target: { kind: 'current', field: 'verificationEmail' } }
          : null,
    },
  } as FlowView;
}

function ids(message: ReturnType<typeof flowMessage>): string[] {
  return message.blocks.flatMap((block) =>
    block.type === 'actions'
      ? block.elements.map((element) => ('action_id' in element ? String(element.action_id) : ''))
      : [],
  );
}

describe('flow message', () => {
  it('shows the notice, the masked target and the remaining resend cooldown', () => {
    const message = flowMessage({
      views: slackViews,
      machineId: 'changeContactMobile',
      result: {
        status: 'active',
        flowId: 'f1',
        machineId: 'changeContactMobile',
        view: codeView(NOW + 42_000),
        busy: false,
      },
      now: NOW,
      timings: TIMINGS,
    });
    const shown = JSON.stringify(message.blocks);
    expect(shown).toContain(flows['code.wrong']);
    expect(shown).toContain('+86 139****9000');
    expect(shown).toContain(slack.flowMessage.resendIn('42 seconds'));
    expect(ids(message)).toEqual([
      FlowActions.enterCode,
      FlowActions.resend,
      FlowActions.editValue,
      FlowActions.cancel,
    ]);
  });

  it('offers alternate verification during step-up only', () => {
    const message = flowMessage({
      views: slackViews,
      machineId: 'changeSecurityMobile',
      result: {
        status: 'active',
        flowId: 'f2',
        machineId: 'changeSecurityMobile',
        view: codeView(NOW, 'step-up'),
        busy: false,
      },
      now: NOW,
      timings: TIMINGS,
    });
    expect(ids(message)).toContain(FlowActions.useAlternate);
    expect(JSON.stringify(message.blocks)).toContain(slack.flowMessage.resendNow);
  });

  it('puts the password page behind a URL button, and says so when the link was already shown', () => {
    const view = {
      view: 'openPasswordPage',
      machineId: 'changePassword',
      stateId: 'changePassword.openPage',
      meta: { view: 'openPasswordPage' },
      notice: null,
      context: {},
    } as FlowView;
    const result = {
      status: 'active' as const,
      flowId: 'f3',
      machineId: 'changePassword' as const,
      view,
      busy: false,
    };
    const withLink = flowMessage({
      views: slackViews,
      machineId: 'changePassword',
      result,
      now: NOW,
      timings: TIMINGS,
      passwordUrl: 'https://a.example/password/t',
    });
    const button = withLink.blocks.flatMap((block) => (block.type === 'actions' ? block.elements : []))[0];
    expect(button).toMatchObject({ type: 'button', url: 'https://a.example/password/t' });
    expect(withLink.text).not.toContain('https://');
    const without = flowMessage({
      views: slackViews,
      machineId: 'changePassword',
      result,
      now: NOW,
      timings: TIMINGS,
      passwordUrl: null,
    });
    expect(ids(without)).toEqual([FlowActions.renewLink, FlowActions.cancel]);
  });

  it('words every end state and offers Resume / Cancel on a conflict', () => {
    const finished = flowMessage({
      views: slackViews,
      machineId: 'changeContactMobile',
      result: {
        status: 'finished',
        flowId: 'f',
        machineId: 'changeContactMobile',
        output: { status: 'done', reason: 'change.saved' },
        view: null,
      },
      now: NOW,
      timings: TIMINGS,
    });
    expect(finished.blocks).toHaveLength(1);
    expect(JSON.stringify(finished.blocks)).toContain(flows['change.saved']);
    const expired = flowMessage({
      views: slackViews,
      machineId: 'changeContactMobile',
      result: { status: 'expired', flowId: 'f' },
      now: NOW,
      timings: TIMINGS,
    });
    expect(expired.text).toContain(slack.flowMessage.expired);
    const conflict = conflictMessage('changePassword', 'f9', 'changeContactMobile');
    expect(conflict.text).toBe(slack.flowMessage.conflict(slack.flowTitles.changeContactMobile));
    expect(JSON.stringify(conflict.blocks)).toContain('"value":"f9"');
  });
});
