import type { ViewSubmitAction } from '@slack/bolt';
import type { BasicInfoSection } from '../../../machines/shared/effects.js';
import { INDUSTRIES, type Account } from '../../domain/account.js';
import { slack } from '../../messages/slack.js';
import { validation } from '../../messages/validation.js';
import { TEXT_LIMITS } from '../../services/validation.js';
import { choiceValue, parseChoice } from '../action-ids.js';
import { answerFormSubmission } from '../listeners/form-answer.js';
import { choiceButton, eventButton, openModal, type SlackFlowSurface } from '../listeners/flow-surface.js';
import { actorOf } from '../listeners/payload.js';
import {
  button,
  escapeMrkdwn,
  modalTitle,
  plain,
  type Button,
  type KnownBlock,
  type ModalView,
} from '../views/blocks.js';
import type { BodyInput, ViewBody } from '../views/flow-body.js';
import { fieldErrorsOf } from '../views/flow-message.js';
import type { FlowView } from '../../../machines/shared/flow-view.js';
import type { AccountSummary } from '../account-summary.js';
import { slackOwner } from '../../domain/flow-owner.js';

/** SPEC 3.2 in Slack: the overview, a section's form in a modal, back and done. */

/** Edit values are "<section> <flowId>". */
const BasicInfoActions = {
  edit: 'basic_info_edit',
  openForm: 'basic_info_open_form',
  back: 'basic_info_back',
  close: 'basic_info_close',
} as const;

export const BASIC_INFO_MODAL_CALLBACK = 'basic_info_form';

const t = slack.basicInfo;

/** The fields of each section, in form order; block and action ids are the field names. */
const SECTION_FIELDS: Record<BasicInfoSection, readonly string[]> = {
  name: ['accountName'],
  industry: ['industry'],
  address: ['fullName', 'companyName', 'region', 'state', 'city', 'address', 'postalCode'],
};

function basicInfoStep(
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

function asSection(value: string): BasicInfoSection | null {
  return value === 'name' || value === 'industry' || value === 'address' ? value : null;
}

/** "<section> <flowId>" of an edit or open-form button, or null when forged. */
function sectionChoice(value: string | undefined): { section: BasicInfoSection; flowId: string } | null {
  const parsed = parseChoice(value ?? '');
  const section = parsed ? asSection(parsed.choice) : null;
  return parsed && section ? { section, flowId: parsed.flowId } : null;
}

function currentValues(account: Account | null): Record<string, string> {
  if (!account) return {};
  return {
    accountName: account.accountName,
    ...(account.industry ? { industry: account.industry } : {}),
    ...(account.contactAddress ?? {}),
  };
}

type Values = ViewSubmitAction['view']['state']['values'];

function valuesOf(values: Values): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, actions] of Object.entries(values)) {
    const state = actions[field];
    const value = state?.selected_option?.value ?? state?.value ?? '';
    out[field] = value.trim();
  }
  return out;
}

/** Every §2 field as "*Label:* value" lines, the way the Home tab shows them. */
function accountLines(account: AccountSummary): string[] {
  const rows = [...account.basic, account.address, ...account.security];
  const status = account.verification.reason
    ? `${account.verification.label}: ${account.verification.reason}`
    : account.verification.label;
  rows.push({ label: slack.fields.verificationStatus, value: status });
  const lines = rows.map((row) => `*${escapeMrkdwn(row.label)}:* ${escapeMrkdwn(row.value)}`);
  return account.inconsistent ? [...lines, slack.home.consistencyHint] : lines;
}

function basicInfoBody(
  view: Extract<FlowView, { view: 'accountOverview' | 'editBasicInfo' }>,
  { flowId, account, cancel }: BodyInput,
): ViewBody {
  const step = basicInfoStep(view.view, flowId, view.context.section);
  const problems = Object.values(fieldErrorsOf(view));
  const fields = view.view === 'accountOverview' && account ? accountLines(account) : [];
  return {
    lines: [...step.lines, ...fields, ...problems.map((problem) => `:warning: ${escapeMrkdwn(problem)}`)],
    buttons: [...step.buttons, cancel],
  };
}

export const editBasicInfoSlack: SlackFlowSurface = {
  views: { accountOverview: basicInfoBody, editBasicInfo: basicInfoBody },
  buttons: [
    choiceButton(new RegExp(`^${BasicInfoActions.edit}:`), (choice) => {
      const section = asSection(choice);
      return section ? { type: 'EDIT', section } : null;
    }),
    eventButton(BasicInfoActions.back, { type: 'BACK' }),
    eventButton(BasicInfoActions.close, { type: 'CLOSE' }),
    {
      actionId: BasicInfoActions.openForm,
      handle: async (kit, { body, action, client }) => {
        const choice = sectionChoice(action.value);
        if (!choice) return;
        // Opened with the current values right away; the directory read is one fast call. When it
        // or views.open fails, the app's failure answer tells the person (src/slack/answer/).
        const actor = actorOf(body);
        const account = await kit.deps.stores.directory.getBySlackUser(actor.teamId, actor.userId);
        await openModal(
          client,
          body.trigger_id,
          basicInfoModal(choice.flowId, choice.section, currentValues(account)),
        );
      },
    },
  ],
  modals: [
    {
      callbackId: BASIC_INFO_MODAL_CALLBACK,
      // Saved by the engine; a field that fails validation keeps the modal open.
      handle: async (kit, submission) => {
        const actor = actorOf(submission.body);
        const result = await kit.deps.engine.send(slackOwner(actor), submission.view.private_metadata, {
          type: 'SUBMIT_FORM',
          values: valuesOf(submission.view.state.values),
        });
        await answerFormSubmission(kit, submission, actor, result, 'editBasicInfo');
      },
    },
  ],
};
