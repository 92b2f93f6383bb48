/** Reading the `REPO/IMAGE[:TAG|@sha256:DIGEST]` references the image commands take, from any source. */
import { UserError } from '../../errors';
import { parsePositionals } from '../args';
import type { Args, ParsedArgs } from '../command';
import { isUnpickableImage, maxPickableImageName } from './image-options';
import { type ImageRef, parseImageRef } from './parse-image-ref';

/** Parses `args.ref`; a broken rule is a `UserError` on the `ref` field. Never calls vCR. */
export function imageRefOf(args: Args): ImageRef {
  const text = typeof args.ref === 'string' ? args.ref.trim() : '';
  try {
    return parseImageRef(text);
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.text, { field: 'ref', cause: error });
    throw error;
  }
}

/**
 * Parses `args.ref` for a command that acts on a whole image, refusing a `:TAG` or `@DIGEST` with `why` so a user
 * who meant one tag is never given the whole image.
 */
export function wholeImageRefOf(args: Args, why: string): ImageRef {
  const ref = imageRefOf(args);
  const suffix = ref.digest ? `@${ref.digest}` : ref.tag ? `:${ref.tag}` : undefined;
  if (suffix) throw new UserError(`\`${suffix}\` is not taken here: ${why}`, { field: 'ref' });
  return ref;
}

/** Parses the one `REF` word of an image command; `check` refuses a reference the command does not take, before vCR. */
export function parseImageRefWord(input: ParsedArgs, check: (args: Args) => unknown): Args {
  const [ref] = parsePositionals(input, ['REF']);
  check({ ref });
  return { ref };
}

/**
 * Parses the one `REF` word of an image command that can ask for the image in a form: a bare repository (a word
 * without `/`, `:` or `@`) gives `{ repo }`, and the command's form then offers that repository's images; any other
 * word is a reference, checked with `check` before vCR.
 */
export function parseImageRefOrRepositoryWord(input: ParsedArgs, check: (args: Args) => unknown): Args {
  const [word = ''] = parsePositionals(input, ['REF']);
  if (/^[^/:@\s]+$/.test(word.trim())) return { repo: word.trim() };
  check({ ref: word });
  return { ref: word };
}

/**
 * Re-checks the args of an image command that has an image form, and returns them as `{ ref }`: a typed or button
 * `ref` is checked with `check`; otherwise the `repo` the form fixed and the `image` picked in it make the reference,
 * and a problem with them is a `UserError` on the `image` field. `typed` is the command to type instead when the
 * picked image's name was too long for the picker, e.g. `image delete REPO/IMAGE`.
 */
export function validatePickedImageRef(args: Args, check: (args: Args) => unknown, typed: string): Args {
  const { repo, image, ...rest } = args;
  const repoRef = typeof repo === 'string' ? repo.trim() : '';
  if (args.ref !== undefined || repoRef === '') return validateImageRef(rest, check);
  const picked = typeof image === 'string' ? image.trim() : '';
  if (picked === '') {
    throw new UserError(
      `\`${repoRef}\` names no image after the repository: pick one, or write \`${refText(repoRef, 'IMAGE')}\`.`,
      { field: 'image' },
    );
  }
  if (isUnpickableImage(picked)) {
    throw new UserError(
      `That image's name is longer than the ${maxPickableImageName} characters a picker can carry: type \`${typed}\` instead.`,
      { field: 'image' },
    );
  }
  const ref = refText(repoRef, picked);
  try {
    check({ ...rest, ref });
  } catch (error) {
    // The form has no `ref` field: the picked image is what is at fault.
    if (error instanceof UserError && error.field === 'ref') {
      throw new UserError(error.text, { field: 'image', cause: error });
    }
    throw error;
  }
  return { ...rest, ref };
}

/** Re-checks `args.ref` from any source with `check`, and returns the args with it trimmed. */
export function validateImageRef(args: Args, check: (args: Args) => unknown): Args {
  check(args);
  return { ...args, ref: String(args.ref).trim() };
}

/** Writes an image reference back as users type it, e.g. `payments-api/team/api:latest`. */
export function refText(repo: string, image: string, suffix: { tag?: string; digest?: string } = {}): string {
  if (suffix.digest) return `${repo}/${image}@${suffix.digest}`;
  if (suffix.tag) return `${repo}/${image}:${suffix.tag}`;
  return `${repo}/${image}`;
}
