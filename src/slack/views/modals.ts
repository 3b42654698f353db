import { slack } from '../../messages/slack.js';
import { modalTitle, plain, type KnownBlock, type ModalView } from './blocks.js';

/** A flow's modal: the flow id is the only thing it carries (security.md: never state or secrets). */
export function flowModal(
  callbackId: string,
  flowId: string,
  title: string,
  blocks: KnownBlock[],
): ModalView {
  return {
    type: 'modal',
    callback_id: callbackId,
    private_metadata: flowId,
    title: modalTitle(title),
    submit: plain(slack.buttons.submit),
    close: plain(slack.buttons.cancel),
    blocks,
  };
}
