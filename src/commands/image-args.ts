/** Reading the `REPO/IMAGE[:TAG|@sha256:DIGEST]` references the image commands take, from any source. */
import { UserError } from '../errors';
import { type ImageRef, parseImageRef } from '../vcr/parse-image-ref';
import { parsePositionals } from './args';
import type { Args, ParsedArgs } from './command';

/** Parses `args.ref`; a broken rule is a `UserError` on the `ref` field. Never calls vCR. */
export function imageRefOf(args: Args): ImageRef {
  const text = typeof args.ref === 'string' ? args.ref.trim() : '';
  try {
    return parseImageRef(text);
  } catch (error) {
    if (error instanceof UserError) throw new UserError(error.message, { field: 'ref', cause: error });
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
