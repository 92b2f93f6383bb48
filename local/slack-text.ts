/** Renders Slack messages and modals as plain terminal text, for the local runner and `npm run send`. */
import { decodeCommandText } from '../src/slack/decode-command-text';
import { fieldNameOf } from '../src/slack/ids';

type Block = Record<string, unknown>;
type TextObject = { type?: string; text?: string };

/** A button found while rendering, numbered in the order shown. */
export interface RenderedButton {
  number: number;
  label: string;
  action_id: string;
  value?: string;
  danger: boolean;
  confirm?: string;
}

/** Renders `message` (top-level `text` and `blocks`) as lines of text, numbering the buttons `[1]`, `[2]`, … */
export function renderSlackText(message: { text?: unknown; blocks?: unknown }): {
  text: string;
  buttons: RenderedButton[];
} {
  const buttons: RenderedButton[] = [];
  const addButton = (element: Block): string => {
    const confirm = element.confirm as { text?: TextObject } | undefined;
    const button: RenderedButton = {
      number: buttons.length + 1,
      label: textOf(element.text),
      action_id: String(element.action_id),
      value: typeof element.value === 'string' ? element.value : undefined,
      danger: element.style === 'danger',
      confirm: confirm?.text?.text,
    };
    buttons.push(button);
    return `[${button.number}] ${button.label}${button.danger ? ' (danger)' : ''}`;
  };

  const blocks = Array.isArray(message.blocks) ? (message.blocks as Block[]) : [];
  if (blocks.length === 0)
    return { text: typeof message.text === 'string' ? decodeCommandText(message.text) : '', buttons };
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        lines.push('', `== ${textOf(block.text)} ==`);
        break;
      case 'section': {
        if (block.text) lines.push(textOf(block.text));
        for (const field of (block.fields as TextObject[] | undefined) ?? [])
          lines.push(`  ${textOf(field).replace('\n', ': ')}`);
        const accessory = block.accessory as Block | undefined;
        if (accessory?.type === 'button') lines.push(`    ${addButton(accessory)}`);
        break;
      }
      case 'context':
        lines.push(((block.elements as TextObject[] | undefined) ?? []).map(textOf).join(' · '));
        break;
      case 'divider':
        lines.push('----');
        break;
      case 'actions':
        lines.push(
          ((block.elements as Block[] | undefined) ?? [])
            .filter((element) => element.type === 'button')
            .map(addButton)
            .join('   '),
        );
        break;
      case 'input': {
        const element = (block.element as Block | undefined) ?? {};
        const blockId = String(block.block_id ?? '');
        const name = fieldNameOf(blockId) ?? blockId;
        const optional = block.optional ? ', optional' : '';
        lines.push(`  ${name}=…  ${textOf(block.label)} (${describeInput(element)}${optional})`);
        if (block.hint) lines.push(`      ${textOf(block.hint)}`);
        break;
      }
      default:
        lines.push(`(${String(block.type)} block)`);
    }
  }
  return { text: lines.join('\n').replace(/^\n+|\s+$/g, ''), buttons };
}

/** Renders a modal the bot opened, with the `name=value` fields `npm run send -- --submit` accepts. */
export function renderModalText(view: Record<string, unknown>): string {
  const { text } = renderSlackText({ blocks: view.blocks });
  return [`== modal: ${textOf(view.title)} ==`, text].join('\n');
}

function describeInput(element: Block): string {
  switch (element.type) {
    case 'plain_text_input':
      return 'text';
    case 'number_input':
      return 'number';
    case 'checkboxes':
      return 'true or false';
    case 'static_select': {
      const options = (element.options as { value: string }[] | undefined) ?? [];
      return `one of ${options.map((option) => option.value).join(', ')}`;
    }
    // Pickers take the name of what they list, which their placeholder says (repositories, users or images).
    case 'external_select':
      return `one name: ${textOf(element.placeholder).toLowerCase()}`;
    case 'multi_external_select':
      return `names, comma separated: ${textOf(element.placeholder).toLowerCase()}`;
    default:
      return String(element.type);
  }
}

function textOf(value: unknown): string {
  const object = value as TextObject | undefined;
  // mrkdwn arrives escaped (docs/decisions/0009-escaping-and-cutting.md); the terminal shows what Slack would.
  return object?.type === 'mrkdwn' ? decodeCommandText(object.text ?? '') : (object?.text ?? '');
}
