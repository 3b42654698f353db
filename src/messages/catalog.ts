/**
 * The one message catalog: every sentence a person reads in Slack, on a web page, in an
 * email or an SMS comes from here. Each area keeps its part in its own file beside this one.
 */
import { codes } from './codes.js';
import { common } from './common.js';
import { credentials } from './credentials.js';
import { flows } from './flows.js';
import { notifications } from './notifications.js';
import { validation } from './validation.js';

export const messages = {
  codes,
  common,
  credentials,
  flows,
  notifications,
  validation,
} as const;

export type Messages = typeof messages;
