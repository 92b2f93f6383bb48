/** Parses the `REPO/IMAGE[:TAG|@sha256:DIGEST]` references users type. */
import { UserError } from '../../errors';

/** A parsed image reference; `image` may contain `/`. */
export interface ImageRef {
  repo: string;
  image: string;
  tag?: string;
  /** `sha256:` and 12 to 64 lowercase hex digits: the whole digest, or a prefix as replies show it. */
  digest?: string;
}

/** Digits of a digest prefix that name an artifact; replies show this many (src/commands/format.ts `shortDigest`). */
export const minDigestDigits = 12;

const usage = 'Write an image as `REPO/IMAGE`, `REPO/IMAGE:TAG` or `REPO/IMAGE@sha256:DIGEST`.';
const tagPattern = /^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$/;
// The digest as replies show it (`sha256:0f8e487a89e4`) or typed whole, the `sha256:` optional, in either case.
const digestPattern = /^(?:sha256:)?([0-9a-f]{12,64})$/i;

/**
 * Splits `REPO/IMAGE[:TAG|@sha256:DIGEST]`: the repo is the first path segment, the image everything after it up to a
 * `:` in the last segment or an `@`. A leading registry host (`vcr.vngcloud.vn/...`), as docker prints, is dropped.
 * Throws `UserError` naming the rule broken.
 */
export function parseImageRef(text: string): ImageRef {
  const input = text.trim();
  if (input === '') throw new UserError(`Name an image. ${usage}`);
  if (/\s/.test(input)) throw new UserError(`An image reference has no spaces: \`${input}\`. ${usage}`);

  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at !== -1) {
    const typed = rest.slice(at + 1);
    rest = rest.slice(0, at);
    const hex = digestPattern.exec(typed)?.[1];
    if (!hex) {
      throw new UserError(
        `\`${typed}\` is not a digest: it is \`sha256:\` followed by its 64 hex digits, or at least the first ${minDigestDigits} of them.`,
      );
    }
    digest = `sha256:${hex.toLowerCase()}`;
  }

  let segments = rest.split('/');
  // Docker's rule: a first segment with a `.` or `:` (or `localhost`) is a registry host, never a repository name.
  if (segments.length > 2 && /[.:]|^localhost$/.test(segments[0]!)) segments = segments.slice(1);
  const [repo = '', ...imageSegments] = segments;
  if (repo === '') throw new UserError(`\`${input}\` names no repository. ${usage}`);
  if (imageSegments.length === 0) throw new UserError(`\`${input}\` names no image after the repository. ${usage}`);

  // Only the last segment can carry a tag: `a:b/c` is an image path, not a tag.
  const last = imageSegments[imageSegments.length - 1]!;
  const colon = last.indexOf(':');
  let tag: string | undefined;
  if (colon !== -1) {
    tag = last.slice(colon + 1);
    imageSegments[imageSegments.length - 1] = last.slice(0, colon);
    if (tag === '')
      throw new UserError(`\`${input}\` ends its tag empty: write a tag after \`:\` or leave out the \`:\`.`);
    if (digest !== undefined) {
      throw new UserError(`\`${input}\` has both a tag and a digest: give one of them.`);
    }
    if (!tagPattern.test(tag)) {
      throw new UserError(
        `\`${tag}\` is not a valid tag: up to 128 letters, digits, \`_\`, \`.\` and \`-\`, not starting with \`.\` or \`-\`.`,
      );
    }
  }

  const image = imageSegments.join('/');
  if (image === '') throw new UserError(`\`${input}\` names no image after the repository. ${usage}`);
  if (imageSegments.some((segment) => segment === '')) {
    throw new UserError(`\`${input}\` has an empty part in its image name (a \`/\` too many).`);
  }
  return { repo, image, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}
