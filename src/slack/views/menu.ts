import type { FlowId } from '../../engine/flow-registry.js';
import { slack } from '../../messages/slack.js';
import { START_FLOW_PREFIX } from '../action-ids.js';
import { actions, button, section, type Button, type KnownBlock } from './blocks.js';

/** The flows a person can start from the menu and Home, in the order they are offered. */
export const MENU_FLOWS = [
  { machineId: 'editBasicInfo', label: slack.menu.info },
  { machineId: 'changeContactMobile', label: slack.menu.mobile },
  { machineId: 'changeSecurityMobile', label: slack.menu.securityMobile },
  { machineId: 'changeContactEmail', label: slack.menu.email },
  { machineId: 'changeVerificationEmail', label: slack.menu.verificationEmail },
  { machineId: 'changeLoginEmail', label: slack.menu.loginEmail },
  { machineId: 'changePassword', label: slack.menu.password },
  { machineId: 'resetPassword', label: slack.menu.reset },
  { machineId: 'identityVerification', label: slack.menu.verify },
] as const satisfies readonly { machineId: FlowId; label: string }[];

/** A button that starts a flow, wherever it is offered (menu, Home, a notice). */
export function startFlowButton(machineId: string, label: string, style?: 'primary'): Button {
  return button(label, `${START_FLOW_PREFIX}${machineId}`, { value: machineId, ...(style ? { style } : {}) });
}

export function startButtons(): Button[] {
  return MENU_FLOWS.map((flow) => startFlowButton(flow.machineId, flow.label));
}

/** Slack allows 25 elements per actions block; the menu stays well below. */
export function menuBlocks(intro: string = slack.menu.intro): KnownBlock[] {
  return [section(intro), actions('menu', startButtons())];
}

export function menuMessage(intro?: string): { text: string; blocks: KnownBlock[] } {
  return { text: intro ?? slack.menu.intro, blocks: menuBlocks(intro) };
}
