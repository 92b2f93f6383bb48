/**
 * Every Slack id the bot puts on a message or a modal, declared once so the renderer and the listeners can never
 * disagree.
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
  /** The external select of repository users in a modal. */
  pickUser: 'vcr.pick.user',
  /** Prefix of an image picker's id; the repository it lists follows after `:` (see `imagePickerActionId`). */
  pickImage: 'vcr.pick.image',
  /** Any other input of a modal; the block id names the field. */
  input: 'vcr.input',
} as const;

/** The `callback_id` of every modal the bot opens. */
export const callbackIds = {
  form: 'vcr.form',
  /** The modal asking an approver why they reject a request. */
  reject: 'vcr.reject',
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

// Slack's limit for `callback_id`, `block_id` and `action_id` (docs/slack-limits.md#block-kit-sizes).
const maxIdLength = 255;

/**
 * Builds the `action_id` of the image picker of repository `repoId`. The repository travels in the id, which Slack
 * sends back unchanged on every options request of the picker (docs/decisions/0006-picker-values.md).
 */
export function imagePickerActionId(repoId: string): string {
  const id = `${actionIds.pickImage}:${repoId}`;
  if (id.length > maxIdLength)
    throw new Error(`A repository id of ${repoId.length} characters does not fit an image picker's action_id.`);
  return id;
}

/** Reads the repository id back from an image picker's `action_id`, or undefined when it is not one. */
export function repoIdOfImagePicker(actionId: string): string | undefined {
  const prefix = `${actionIds.pickImage}:`;
  const repoId = actionId.startsWith(prefix) ? actionId.slice(prefix.length) : '';
  return repoId === '' ? undefined : repoId;
}

/** Matches the `action_id` of every image picker, whatever its repository. */
export const imagePickerPattern = new RegExp(`^${actionIds.pickImage.replace(/\./g, '\\.')}:.+$`);

/** Matches an `action_id` built from `prefix` with or without its `:<n>` suffix. */
export function actionIdPattern(prefix: string): RegExp {
  return new RegExp(`^${prefix.replace(/\./g, '\\.')}(:\\d+)?$`);
}
