import type { BasicInfoSection } from '../../../machines/shared/effects.js';
import { INDUSTRIES } from '../../domain/account.js';
import { slack } from '../../messages/slack.js';
import { validation } from '../../messages/validation.js';
import { TEXT_LIMITS } from '../../services/validation.js';
import { BASIC_INFO_MODAL_CALLBACK, BasicInfoActions, choiceValue } from '../action-ids.js';
import { button, modalTitle, plain, type Button, type KnownBlock, type ModalView } from './blocks.js';

const t = slack.basicInfo;

/** The fields of each section, in form order; block and action ids are the field names. */
export const SECTION_FIELDS: Record<BasicInfoSection, readonly string[]> = {
  name: ['accountName'],
  industry: ['industry'],
  address: ['fullName', 'companyName', 'region', 'state', 'city', 'address', 'postalCode'],
};

export function basicInfoStep(
  view: 'accountOverview' | 'editBasicInfo',
  flowId: string,
  section: BasicInfoSection | null,
): { lines: string[]; buttons: Button[] } {
  if (view === 'accountOverview') {
    return {
      lines: [t.overview],
      buttons: [
        button(t.editName, `${BasicInfoActions.edit}:name`, { value: choiceValue('name', flowId) }),
        button(t.editIndustry, `${BasicInfoActions.edit}:industry`, {
          value: choiceValue('industry', flowId),
        }),
        button(t.editAddress, `${BasicInfoActions.edit}:address`, { value: choiceValue('address', flowId) }),
        button(t.done, BasicInfoActions.close, { value: flowId, style: 'primary' }),
      ],
    };
  }
  return {
    lines: [t.editing],
    buttons: [
      button(t.openForm, BasicInfoActions.openForm, {
        value: choiceValue(section ?? 'name', flowId),
        style: 'primary',
      }),
      button(slack.identity.back, BasicInfoActions.back, { value: flowId }),
    ],
  };
}

function label(field: string): string {
  return (t as Record<string, string>)[field] ?? field;
}

function input(field: string, current: string | undefined): KnownBlock {
  if (field === 'industry') {
    const options = INDUSTRIES.map((value) => ({ text: plain(validation.industry.labels[value]), value }));
    const initial = options.find((option) => option.value === current);
    return {
      type: 'input',
      block_id: field,
      label: plain(label(field)),
      element: {
        type: 'static_select',
        action_id: field,
        options,
        ...(initial ? { initial_option: initial } : {}),
      },
    };
  }
  // A value stored before this limit (an import) must still open in the form.
  const limit = (TEXT_LIMITS as Record<string, number>)[field];
  const maxLength = limit !== undefined && (current ?? '').length <= limit ? limit : undefined;
  return {
    type: 'input',
    block_id: field,
    label: plain(label(field)),
    element: {
      type: 'plain_text_input',
      action_id: field,
      ...(maxLength !== undefined ? { max_length: maxLength } : {}),
      ...(current ? { initial_value: current } : {}),
    },
  };
}

/** One section's form, prefilled with the current values (none of them secret). */
export function basicInfoModal(
  flowId: string,
  section: BasicInfoSection,
  current: Record<string, string>,
): ModalView {
  return {
    type: 'modal',
    callback_id: BASIC_INFO_MODAL_CALLBACK,
    private_metadata: flowId,
    title: modalTitle(t.modalTitle),
    submit: plain(slack.buttons.save),
    close: plain(slack.buttons.cancel),
    blocks: SECTION_FIELDS[section].map((field) => input(field, current[field])),
  };
}
