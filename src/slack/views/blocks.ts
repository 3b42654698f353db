import type { types } from '@slack/bolt';

export type KnownBlock = types.KnownBlock;
export type Button = types.Button;
export type ModalView = types.ModalView;
export type HomeView = types.HomeView;
export type PlainTextElement = types.PlainTextElement;

/** Slack's hard limits; a builder that would break one truncates instead of failing the call. */
const MAX_MODAL_TITLE = 24;

export function plain(text: string): PlainTextElement {
  return { type: 'plain_text', text, emoji: true };
}

export function section(markdown: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: markdown } };
}

export function header(text: string): KnownBlock {
  return { type: 'header', text: plain(text) };
}

export function context(markdown: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: markdown }] };
}

export function button(
  text: string,
  actionId: string,
  options: { value?: string; url?: string; style?: 'primary' | 'danger' } = {},
): Button {
  return {
    type: 'button',
    text: plain(text),
    action_id: actionId,
    ...(options.value !== undefined ? { value: options.value } : {}),
    ...(options.url !== undefined ? { url: options.url } : {}),
    ...(options.style !== undefined ? { style: options.style } : {}),
  };
}

export function actions(blockId: string, elements: Button[]): KnownBlock {
  return { type: 'actions', block_id: blockId, elements };
}

export function modalTitle(text: string): PlainTextElement {
  return plain(text.length > MAX_MODAL_TITLE ? `${text.slice(0, MAX_MODAL_TITLE - 1)}…` : text);
}

/**
 * The one escaper for text a person typed that lands in mrkdwn (or a message's `text`):
 * Slack's rule is `&`, `<` and `>` as entities, so `<!channel>`, `<@U…>`, `<#C…>` and
 * `<https://…|label>` stay visible text. A code span is no protection: a backtick in the
 * text closes it. Every view builder calls this on every such value.
 */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
