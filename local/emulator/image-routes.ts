/** Image and artifact operations #8-#12 of docs/vcr-api.md#operations; image names may contain `/`. */
import { toArtifactDto, toImageDto } from './dto-views';
import { EmulatorHttpError } from './emulator-http-error';
import { matchesNameFilter, parsePageRequest, toPaging } from './paging';
import { requireQuery, requireQueryPresent } from './request-validation';
import type { EmulatorContext, Route } from './router';
import { appendHistory, artifactsOf, findImage, findRepository, imagesOf, removeWhere } from './state-queries';

/** Returns the image and artifact routes bound to `context`. */
export function createImageRoutes(context: EmulatorContext): Route[] {
  const { state } = context;
  const nowIso = () => new Date(context.now()).toISOString();

  return [
    {
      method: 'GET',
      pattern: '/v1/repository/:repoId/images',
      handle: ({ params, query }) => {
        const name = requireQueryPresent(query, 'name');
        const paging = parsePageRequest(query);
        const repository = findRepository(state, params.repoId);
        const images = imagesOf(state, repository.uuid)
          .filter((image) => matchesNameFilter(image.name, name))
          .sort((a, b) => b.updateTime.localeCompare(a.updateTime) || a.name.localeCompare(b.name));
        return {
          status: 200,
          json: toPaging(
            images.map((image) => toImageDto(state, image)),
            paging,
          ),
        };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/repository/:repoId/images/artifacts',
      handle: ({ params, query }) => {
        const imageName = requireQuery(query, 'imageName');
        // `name` filters on tag names; an empty filter keeps untagged artifacts too.
        const name = requireQueryPresent(query, 'name');
        const paging = parsePageRequest(query);
        const repository = findRepository(state, params.repoId);
        const image = findImage(state, repository.uuid, imageName);
        const artifacts = artifactsOf(state, repository.uuid, image.name)
          .filter((artifact) => name === '' || artifact.tags.some((tag) => matchesNameFilter(tag.name, name)))
          .sort((a, b) => b.pushTime.localeCompare(a.pushTime) || b.id - a.id);
        return {
          status: 200,
          json: toPaging(
            artifacts.map((artifact) => toArtifactDto(image, artifact)),
            paging,
          ),
        };
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/repository/:repoId/images/artifacts/delete',
      handle: ({ params, query }) => {
        const digest = requireQuery(query, 'digest');
        const imageName = requireQuery(query, 'imageName');
        const repository = findRepository(state, params.repoId);
        const image = findImage(state, repository.uuid, imageName);
        const artifact = artifactsOf(state, repository.uuid, image.name).find((a) => a.digest === digest);
        if (!artifact) throw new EmulatorHttpError(404, `Artifact ${digest} not found in ${imageName}`);
        // The artifact goes with every tag on it, and with it its bytes from the repository's usage.
        state.artifacts.splice(state.artifacts.indexOf(artifact), 1);
        image.updateTime = nowIso();
        appendHistory(
          state,
          {
            repoId: repository.uuid,
            userName: context.actorName,
            resourceName: `${imageName}@${digest}`,
            resourceType: 'Image Artifact',
            action: 'Delete',
          },
          image.updateTime,
        );
        return { status: 200 };
      },
    },
    {
      method: 'DELETE',
      pattern: '/v1/repository/:repoId/images/delete',
      handle: ({ params, query }) => {
        const imageName = requireQuery(query, 'imageName');
        const repository = findRepository(state, params.repoId);
        const image = findImage(state, repository.uuid, imageName);
        const artifacts = artifactsOf(state, repository.uuid, image.name);
        if (context.imageDeleteRequiresEmpty && artifacts.length > 0) {
          throw new EmulatorHttpError(
            400,
            `Image ${imageName} still has ${artifacts.length} artifact(s): delete its artifacts first`,
          );
        }
        removeWhere(state.artifacts, (artifact) => artifacts.includes(artifact));
        removeWhere(state.images, (candidate) => candidate === image);
        appendHistory(
          state,
          {
            repoId: repository.uuid,
            userName: context.actorName,
            resourceName: imageName,
            resourceType: 'Image',
            action: 'Delete',
          },
          nowIso(),
        );
        return { status: 200 };
      },
    },
    {
      method: 'GET',
      pattern: '/v1/repository/:repoId/images/detail',
      handle: ({ params, query }) => {
        const imageName = requireQuery(query, 'imageName');
        const repository = findRepository(state, params.repoId);
        return { status: 200, json: toImageDto(state, findImage(state, repository.uuid, imageName)) };
      },
    },
  ];
}
