/**
 * Reading Block Kit the way a person does: by the words on buttons and input labels, never
 * by action ids, so a test breaks when what people see breaks.
 */

type Json = Record<string, unknown>;

export interface FoundButton {
  actionId: string;
  blockId: string;
  value?: string;
  url?: string;
  text: string;
}

export interface FoundInput {
  blockId: string;
  actionId: string;
  label: string;
  type: string;
  element: Json;
}

function asObjects(value: unknown): Json[] {
  return Array.isArray(value)
    ? value.filter((item): item is Json => typeof item === 'object' && item !== null)
    : [];
}

function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null) {
    const text = (value as { text?: unknown }).text;
    return typeof text === 'string' ? text : '';
  }
  return '';
}

/** Every interactive element of the blocks with the block it sits in. */
function elements(blocks: unknown): { block: Json; element: Json }[] {
  const found: { block: Json; element: Json }[] = [];
  for (const block of asObjects(blocks)) {
    for (const element of asObjects(block.elements)) found.push({ block, element });
    if (typeof block.accessory === 'object' && block.accessory !== null) {
      found.push({ block, element: block.accessory as Json });
    }
  }
  return found;
}

/** All buttons, in reading order. */
export function buttons(blocks: unknown): FoundButton[] {
  return elements(blocks)
    .filter(({ element }) => element.type === 'button')
    .map(({ block, element }) => ({
      actionId: String(element.action_id),
      blockId: String(block.block_id ?? ''),
      text: textOf(element.text),
      ...(typeof element.value === 'string' ? { value: element.value } : {}),
      ...(typeof element.url === 'string' ? { url: element.url } : {}),
    }));
}

/** The button whose visible text is `text` (exact, case-insensitive); throws listing what is there. */
export function findButton(blocks: unknown, text: string): FoundButton {
  const all = buttons(blocks);
  const wanted = text.toLowerCase();
  const found = all.find((button) => button.text.toLowerCase() === wanted);
  if (!found)
    throw new Error(`no button "${text}"; buttons: ${all.map((b) => `"${b.text}"`).join(', ') || 'none'}`);
  return found;
}

export function hasButton(blocks: unknown, text: string): boolean {
  const wanted = text.toLowerCase();
  return buttons(blocks).some((button) => button.text.toLowerCase() === wanted);
}

/** All input blocks of a modal, by label. */
export function inputs(blocks: unknown): FoundInput[] {
  return asObjects(blocks)
    .filter((block) => block.type === 'input')
    .map((block) => {
      const element = (block.element ?? {}) as Json;
      return {
        blockId: String(block.block_id),
        actionId: String(element.action_id),
        label: textOf(block.label),
        type: String(element.type),
        element,
      };
    });
}

/** The input whose label starts with `label` (case-insensitive). */
export function findInput(blocks: unknown, label: string): FoundInput {
  const all = inputs(blocks);
  const wanted = label.toLowerCase();
  const found = all.find((input) => input.label.toLowerCase().startsWith(wanted));
  if (!found)
    throw new Error(`no input "${label}"; inputs: ${all.map((i) => `"${i.label}"`).join(', ') || 'none'}`);
  return found;
}

/** The option of a select or radio group whose visible text is `text`. */
export function findOption(element: Json, text: string): Json {
  const options = [
    ...asObjects(element.options),
    ...asObjects(element.option_groups).flatMap((group) => asObjects(group.options)),
  ];
  const wanted = text.toLowerCase();
  const found = options.find((option) => textOf(option.text).toLowerCase() === wanted);
  if (!found)
    throw new Error(`no option "${text}"; options: ${options.map((o) => `"${textOf(o.text)}"`).join(', ')}`);
  return found;
}

/** Everything a person can read in the blocks (and the fallback text), one string. */
export function visibleText(blocks: unknown, fallback = ''): string {
  const parts: string[] = [fallback];
  const walk = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (key === 'text' || key === 'alt_text') parts.push(value);
      return;
    }
    if (Array.isArray(value)) {
      for (const item of value) walk(item, key);
      return;
    }
    if (typeof value === 'object' && value !== null) {
      for (const [childKey, child] of Object.entries(value)) {
        if (childKey === 'url' || childKey === 'value' || childKey === 'action_id' || childKey === 'block_id')
          continue;
        walk(child, childKey);
      }
    }
  };
  walk(blocks, '');
  return parts.filter(Boolean).join('\n');
}
