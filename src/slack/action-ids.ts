import type { AccountAddressField } from '../../machines/shared/codes.js';

/**
 * Action ids and view callback ids. The ones shared with the account-protection and support
 * listeners live here so both sides agree on them.
 */

/** A notification DM's "This wasn't me" button; the account-protection listener handles it. */
export const NOT_ME_ACTION_ID = 'not_me';

/** `flow_start:<machineId>`: a menu or Home button that starts a flow. */
export const START_FLOW_PREFIX = 'flow_start:';
export const START_FLOW_PATTERN = /^flow_start:/;

/** Buttons on a flow's DM message; their value is the flow id. */
export const FlowActions = {
  cancel: 'flow_cancel',
  enterCode: 'flow_enter_code',
  resend: 'flow_resend',
  useAlternate: 'flow_use_alternate',
  enterValue: 'flow_enter_value',
  editValue: 'flow_edit_value',
  openPasswordPage: 'flow_password_page',
  renewLink: 'flow_renew_link',
  resume: 'flow_resume',
  notifySupport: 'flow_notify_support',
  enterLoginEmail: 'flow_enter_login_email',
} as const;

/** "Cancel it and start": value is the machine id to start after cancelling the open flow. */
export const REPLACE_FLOW_ACTION_ID = 'flow_replace';

export const ModalCallbacks = {
  code: 'flow_code',
  value: 'flow_value',
  loginEmail: 'flow_login_email',
} as const;

const FIELDS: readonly AccountAddressField[] = [
  'contactMobile',
  'securityMobile',
  'contactEmail',
  'verificationEmail',
  'loginEmail',
];

/** "Enter new value" carries "<field> <flowId>": its modal opens before any slow work. */
export function valueButtonValue(field: AccountAddressField, flowId: string): string {
  return `${field} ${flowId}`;
}

export function parseValueButton(value: string): { field: AccountAddressField; flowId: string } | null {
  const [field, flowId] = value.split(' ', 2);
  return field && flowId && (FIELDS as readonly string[]).includes(field)
    ? { field: field as AccountAddressField, flowId }
    : null;
}

/** "<word> <flowId>": a choice and the flow it belongs to, in one button value. */
export function choiceValue(choice: string, flowId: string): string {
  return `${choice} ${flowId}`;
}

export function parseChoice(value: string): { choice: string; flowId: string } | null {
  const [choice, flowId] = value.split(' ', 2);
  return choice && flowId ? { choice, flowId } : null;
}
