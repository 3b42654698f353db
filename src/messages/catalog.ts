/**
 * The one message catalog: every sentence a person reads in Slack, on a web page, in an
 * email or an SMS comes from here. Each area keeps its part in its own file beside this one.
 */
import { common } from './common.js';

export const messages = {
  common,
} as const;

export type Messages = typeof messages;
