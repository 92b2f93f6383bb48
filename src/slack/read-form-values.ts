/** Turns the state of a submitted modal into invocation args, one arg per form field. */
import type { Invocation } from '../commands/reply';
import { fieldNameOf } from './ids';

/** One input's state as Slack sends it in `view.state.values[block_id][action_id]`. */
export interface InputState {
  type: string;
  value?: string | null;
  selected_option?: { value: string } | null;
  selected_options?: { value: string }[];
}

/**
 * Reads every form field of a modal's state: text and number inputs give their text (blank gives nothing), a
 * checkbox gives true or false, a select its value, a multi-select the list of values. Commands' `validate` then
 * checks and converts them exactly as it does typed args.
 */
export function readFormValues(values: Record<string, Record<string, InputState>>): Invocation['args'] {
  const args: Invocation['args'] = {};
  for (const [blockId, inputs] of Object.entries(values)) {
    const name = fieldNameOf(blockId);
    const input = Object.values(inputs)[0];
    if (!name || !input) continue;
    args[name] = inputValue(input);
  }
  return args;
}

function inputValue(input: InputState): string | boolean | string[] | undefined {
  switch (input.type) {
    case 'checkboxes':
      return (input.selected_options ?? []).length > 0;
    case 'multi_static_select':
    case 'multi_external_select':
      return (input.selected_options ?? []).map((option) => option.value);
    case 'static_select':
    case 'external_select':
      return input.selected_option?.value;
    default: {
      const text = input.value?.trim();
      return text ? text : undefined;
    }
  }
}
