/**
 * Renders Slack messages and modals as terminal text, for the console of `npm start` and `npm run send`: plain, or
 * styled (bold headers, dim context lines, coloured buttons) when given a `TextStyler`.
 */
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
  /** The text of the confirm dialog Slack shows before sending the click. */
  confirm?: string;
  /** The confirm dialog's title. */
  confirmTitle?: string;
}

/** The terminal styles the renderer asks for; `util.styleText` names. */
export type TextStyle = 'bold' | 'dim' | 'italic' | 'cyan' | 'red' | 'yellow' | 'green' | 'magenta';

/** Applies styles to a piece of text, or returns it as is when the terminal shows none. */
export type TextStyler = (styles: TextStyle[], text: string) => string;

/** How to render: styles (none by default), a user's display name for a mention, the number of the first button. */
export interface RenderOptions {
  style?: TextStyler;
  nameOf?: (userId: string) => string | undefined;
  channelNameOf?: (channelId: string) => string | undefined;
  firstButton?: number;
}

const plainStyler: TextStyler = (_styles, text) => text;

/** Renders `message` (top-level `text` and `blocks`) as lines of text, numbering the buttons `[1]`, `[2]`, … */
export function renderSlackText(
  message: { text?: unknown; blocks?: unknown },
  options: RenderOptions = {},
): {
  text: string;
  buttons: RenderedButton[];
} {
  const style = options.style ?? plainStyler;
  const textOf = (value: unknown) => terminalText(value, options);
  const buttons: RenderedButton[] = [];
  const addButton = (element: Block): string => {
    const confirm = element.confirm as { title?: TextObject; text?: TextObject } | undefined;
    const button: RenderedButton = {
      number: buttons.length + (options.firstButton ?? 1),
      label: textOf(element.text),
      action_id: String(element.action_id),
      value: typeof element.value === 'string' ? element.value : undefined,
      danger: element.style === 'danger',
      confirm: confirm?.text ? textOf(confirm.text) : undefined,
      confirmTitle: confirm?.title ? textOf(confirm.title) : undefined,
    };
    buttons.push(button);
    const label = `[${button.number}] ${button.label}${button.danger ? ' (danger)' : ''}`;
    return style(button.danger ? ['red'] : ['cyan'], label);
  };

  const blocks = Array.isArray(message.blocks) ? (message.blocks as Block[]) : [];
  if (blocks.length === 0) {
    return {
      text: typeof message.text === 'string' ? styledMrkdwn(textOf({ type: 'mrkdwn', text: message.text }), style) : '',
      buttons,
    };
  }
  const lines: string[] = [];
  for (const block of blocks) {
    switch (block.type) {
      case 'header':
        lines.push('', style(['bold'], `== ${textOf(block.text)} ==`));
        break;
      case 'section': {
        if (block.text) lines.push(styledMrkdwn(textOf(block.text), style));
        for (const field of (block.fields as TextObject[] | undefined) ?? []) {
          const [name, ...rest] = textOf(field).split('\n');
          const value = rest.join(' ');
          lines.push(
            `  ${style(['bold'], stripBold(name ?? ''))}${rest.length > 0 ? `: ${styledMrkdwn(value, style)}` : ''}`,
          );
        }
        const accessory = block.accessory as Block | undefined;
        if (accessory?.type === 'button') lines.push(`    ${addButton(accessory)}`);
        break;
      }
      case 'context':
        lines.push(style(['dim'], ((block.elements as TextObject[] | undefined) ?? []).map(textOf).join(' · ')));
        break;
      case 'divider':
        lines.push(style(['dim'], '----'));
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
export function renderModalText(view: Record<string, unknown>, options: RenderOptions = {}): string {
  const { text } = renderSlackText({ blocks: view.blocks }, options);
  const style = options.style ?? plainStyler;
  return [style(['bold'], `== modal: ${terminalText(view.title, options)} ==`), text].join('\n');
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
      return `one of ${options.map((option) => printable(option.value)).join(', ')}`;
    }
    // Pickers take the name of what they list, which their placeholder says (repositories, users or images).
    case 'external_select':
      return `one name: ${terminalText(element.placeholder).toLowerCase()}`;
    case 'multi_external_select':
      return `names, comma separated: ${terminalText(element.placeholder).toLowerCase()}`;
    default:
      return String(element.type);
  }
}

/** The text of a Slack text object as Slack would show it: mentions of known users by name, entities decoded. */
export function terminalText(value: unknown, options: Pick<RenderOptions, 'nameOf' | 'channelNameOf'> = {}): string {
  const object = value as TextObject | undefined;
  if (object?.type !== 'mrkdwn') return printable(object?.text ?? '');
  const named = (object.text ?? '')
    .replace(/<@([UW][A-Z0-9]+)>/g, (mention, userId: string) => {
      const name = options.nameOf?.(userId);
      return name === undefined ? mention : `@${name}`;
    })
    .replace(/<#([CGD][A-Z0-9]+)>/g, (link, channelId: string) => {
      const name = options.channelNameOf?.(channelId);
      return name === undefined ? link : `#${name}`;
    });
  // mrkdwn arrives escaped (docs/decisions/0009-escaping-and-cutting.md); the terminal shows what Slack would.
  return printable(decodeCommandText(named));
}

/**
 * Returns `text` with every control character but newline and tab shown as a symbol (ESC as `␛`, BEL as `␇`, a C1
 * control as `�`), so a value from vCR, Slack or the person typing is printed as data and can never move the cursor,
 * clear the screen or retitle the terminal.
 */
export function printable(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point.
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (control) => {
    const code = control.charCodeAt(0);
    // Unicode's Control Pictures block holds one symbol per C0 control and one for DEL; C1 controls have none.
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\ufffd';
  });
}

// Slack's *bold* and `code` become terminal styles; with no styles the markers stay, as Slack's plain text shows them.
function styledMrkdwn(text: string, style: TextStyler): string {
  if (style === plainStyler) return text;
  return text
    .replace(
      /(^|[\s(])\*([^*\n]+)\*(?=$|[\s).,:;!?])/g,
      (_match, before: string, inner: string) => `${before}${style(['bold'], inner)}`,
    )
    .replace(/`{1,3}([^`\n]+)`{1,3}/g, (_match, inner: string) => style(['cyan'], inner));
}

function stripBold(text: string): string {
  return text.replace(/^\*(.*)\*$/, '$1');
}
