/** Reading the `REPO/IMAGE[:TAG|@sha256:DIGEST]` references and filters the image commands take, from any source. */
import { UserError } from '../errors';
import { type ImageRef, parseImageRef } from '../vcr/parse-image-ref';
import type { Args } from './command';
import { pageOf } from './repository-args';

/** The page size every image and artifact list asks vCR for; Slack lists stay readable at ten rows. */
export const imagePageSize = 10;

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

/** Returns `args.filter` trimmed, or undefined when it is absent or blank; anything but text is refused. */
export function filterOf(args: Args): string | undefined {
  if (args.filter !== undefined && typeof args.filter !== 'string') {
    throw new UserError('The filter must be text.', { field: 'filter' });
  }
  const filter = typeof args.filter === 'string' ? args.filter.trim() : '';
  return filter === '' ? undefined : filter;
}

/** Normalizes the `filter` and `page` of a paged image read; the caller checks its own reference args. */
export function validatePagedRead(args: Args): Args {
  const page = args.page === undefined ? {} : { page: pageOf(args) };
  return { ...args, filter: filterOf(args), ...page };
}

/** Writes an image reference back as users type it, e.g. `payments-api/team/api:latest`. */
export function refText(repo: string, image: string, suffix: { tag?: string; digest?: string } = {}): string {
  if (suffix.digest) return `${repo}/${image}@${suffix.digest}`;
  if (suffix.tag) return `${repo}/${image}:${suffix.tag}`;
  return `${repo}/${image}`;
}
