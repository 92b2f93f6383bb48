/**
 * The query behind the image picker, kept free of Slack so the options listener only bounds and renders it. An option's
 * value is the image's name; Slack carries at most 75 characters there (docs/slack-limits.md#block-kit-sizes), so an
 * image with a longer name is offered with a placeholder value that its command refuses with a pointer to typing the
 * reference (docs/decisions/0006-picker-values.md).
 */
import type { VcrReads } from '../../vcr/client';
import { truncate } from '../format';
import type { PickerOption } from '../reply';

// Fifty images are plenty to pick from by a few letters and keep the one call fast; Slack shows at most 100.
const maxPageSize = 50;
const maxOptionText = 75;

/** The most characters an option value carries, so the longest image name a picker can hand back. */
export const maxPickableImageName = 75;

// `!` is in no docker image name, so no real image is ever taken for a placeholder.
const unpickablePrefix = '!long:';

/**
 * Lists at most `limit` (≤ 50) images of repository `repoId` whose name matches what the user `typed` (every image
 * when it is blank), with one vCR list call.
 */
export async function searchImageOptions(
  vcr: Pick<VcrReads, 'images'>,
  repoId: string,
  typed: string | undefined,
  limit: number,
): Promise<PickerOption[]> {
  const size = Math.min(Math.max(1, Math.floor(limit)), maxPageSize);
  const page = await vcr.images.list(repoId, { name: typed?.trim() ?? '', page: 1, size });
  return (page.listData ?? []).slice(0, size).map((image, index) => imageOption(image.name, index));
}

/** True when `value` came from an option whose image name was too long to carry, so nothing can run with it. */
export function isUnpickableImage(value: string): boolean {
  return value.startsWith(unpickablePrefix);
}

function imageOption(name: string, index: number): PickerOption {
  if (name.length <= maxPickableImageName) return { value: name, text: truncate(name, maxOptionText) };
  // The index keeps option values unique within one answer; it names nothing.
  return { value: `${unpickablePrefix}${index}`, text: `${truncate(name, 40)} (too long: type REPO/IMAGE)` };
}
