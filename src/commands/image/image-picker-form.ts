/** The form of an image command typed with a repository only: one picker over that repository's images. */
import { UserError } from '../../errors';
import type { Args, FormContext } from '../command';
import type { Form } from '../reply';
import { repoOf } from '../repository/repository-args';
import { resolveRepository } from '../repository/resolve-repository';

/** How the form reads: its title and submit label, the command the pick runs, and a hint under the picker. */
export interface ImagePickerFormText {
  title: string;
  submit: string;
  command: string;
  hint?: string;
}

/**
 * Returns a form asking for one image of `args.repo`, with the repository fixed by id; undefined when the args already
 * name an image. Reads vCR twice, bounded by the caller: the repository, and whether it has any image, so an empty
 * repository is said at once instead of in a picker with nothing in it.
 */
export async function imagePickerForm(
  ctx: FormContext,
  args: Args,
  text: ImagePickerFormText,
): Promise<Form | undefined> {
  if (args.ref !== undefined || args.image !== undefined || args.repo === undefined) return undefined;
  const repo = await resolveRepository(ctx.vcr, repoOf(args));
  const first = await ctx.vcr.images.list(repo.uuid, { name: '', page: 1, size: 1 });
  if ((first.listData ?? []).length === 0) throw new UserError(`\`${repo.name}\` has no images.`);
  return {
    title: text.title,
    submit: text.submit,
    command: text.command,
    // A read typed with `--share` still posts in the channel once the image is picked.
    fixedArgs: { repo: repo.uuid, ...(args.share === true ? { share: true } : {}) },
    fields: [
      {
        kind: 'image',
        name: 'image',
        label: `Image in ${repo.name}`,
        repoId: repo.uuid,
        ...(text.hint ? { hint: text.hint } : {}),
      },
    ],
  };
}
