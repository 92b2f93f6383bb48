/**
 * Every Slack id the bot puts on a message or a modal, declared once so the renderer and the listeners can never
 * disagree (../shared/STYLE.md "Slack IDs are declared once").
 */

/** Prefixes of `action_id`s; the renderer appends `:<n>` because Slack wants them unique within a message. */
export const actionIds = {
  /** A button whose value is an invocation. */
  run: 'vcr.run',
  /** A Previous/Next button; its invocation replaces the page it came from. */
  page: 'vcr.page',
  /** A Confirm or Cancel button of a pending destructive action. */
  decide: 'vcr.decide',
  /** The external select of repositories in a modal (its options request carries this id). */
  pickRepositories: 'vcr.pick.repositories',
  /** Any other input of a modal; the block id names the field. */
  input: 'vcr.input',
} as const;

/** The `callback_id` of every form modal. */
export const callbackIds = {
  form: 'vcr.form',
} as const;

/** Prefix of an input block's `block_id`; the rest is the form field's name, i.e. the arg it becomes. */
export const fieldBlockPrefix = 'field:';

/** Builds the `block_id` of the input block for form field `name`. */
export function fieldBlockId(name: string): string {
  return `${fieldBlockPrefix}${name}`;
}

/** Reads the form field name back from a `block_id`, or undefined when the block is not a form field. */
export function fieldNameOf(blockId: string): string | undefined {
  return blockId.startsWith(fieldBlockPrefix) ? blockId.slice(fieldBlockPrefix.length) : undefined;
}

/** Matches an `action_id` built from `prefix` with or without its `:<n>` suffix. */
export function actionIdPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/\./g, '\\.')}(:\\d+)?$`);
}
