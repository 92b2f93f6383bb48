/** The image commands, in the order help lists them. */
import type { CommandSpec } from '../command';
import { deleteArtifact } from './delete-artifact';
import { deleteImage } from './delete-image';
import { listImages } from './list-images';
import { listTags } from './list-tags';
import { showImage } from './show-image';

/** Every image command. */
export const imageCommands: CommandSpec[] = [listImages, showImage, listTags, deleteImage, deleteArtifact];
