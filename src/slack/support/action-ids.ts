import { START_FLOW_PREFIX } from '../action-ids.js';

/** The reset offer's button starts the reset flow through the conversation's own start listener. */
export const RESET_OFFER_ACTION_ID = `${START_FLOW_PREFIX}resetPassword`;
