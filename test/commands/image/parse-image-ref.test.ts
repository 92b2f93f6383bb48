import { parseImageRef } from '../../../src/commands/image/parse-image-ref';
import { UserError } from '../../../src/errors';

const digest = `sha256:${'0123456789abcdef'.repeat(4)}`;

describe('parseImageRef', () => {
  it.each([
    ['myrepo/nginx', { repo: 'myrepo', image: 'nginx' }],
    ['myrepo/nginx:1.25', { repo: 'myrepo', image: 'nginx', tag: '1.25' }],
    ['myrepo/team/app/api:v2', { repo: 'myrepo', image: 'team/app/api', tag: 'v2' }],
    ['123-myrepo/nginx:latest', { repo: '123-myrepo', image: 'nginx', tag: 'latest' }],
    [`myrepo/team/app@${digest}`, { repo: 'myrepo', image: 'team/app', digest }],
    [`myrepo/nginx@${digest.toUpperCase()}`, { repo: 'myrepo', image: 'nginx', digest }],
    ['myrepo/nginx@sha256:0123456789ab', { repo: 'myrepo', image: 'nginx', digest: 'sha256:0123456789ab' }],
    ['myrepo/nginx@0123456789AB', { repo: 'myrepo', image: 'nginx', digest: 'sha256:0123456789ab' }],
    ['myrepo/odd:part/app', { repo: 'myrepo', image: 'odd:part/app' }],
    ['myrepo/odd:part/app:_tag', { repo: 'myrepo', image: 'odd:part/app', tag: '_tag' }],
    ['  myrepo/nginx:1  ', { repo: 'myrepo', image: 'nginx', tag: '1' }],
    ['vcr.vngcloud.vn/123-myrepo/nginx:1', { repo: '123-myrepo', image: 'nginx', tag: '1' }],
    ['localhost:5000/myrepo/nginx', { repo: 'myrepo', image: 'nginx' }],
    [`myrepo/nginx:${'a'.repeat(128)}`, { repo: 'myrepo', image: 'nginx', tag: 'a'.repeat(128) }],
  ])('parses `%s` when it is a valid reference', (text, expected) => {
    expect(parseImageRef(text)).toEqual(expected);
  });

  it.each([
    ['', /Name an image/],
    ['nginx', /names no image after the repository/],
    ['myrepo/', /names no image after the repository/],
    ['myrepo/:v1', /names no image after the repository/],
    ['/nginx', /names no repository/],
    ['myrepo//nginx', /empty part in its image name/],
    ['myrepo/nginx/', /empty part in its image name/],
    ['myrepo/nginx:', /tag empty/],
    [`myrepo/nginx:v1@${digest}`, /both a tag and a digest/],
    ['myrepo/nginx@sha256:abc', /is not a digest/],
    ['myrepo/nginx@sha256:0123456789a', /is not a digest: .* at least the first 12 of them/],
    [`myrepo/nginx@${digest}0`, /is not a digest/],
    [`myrepo/nginx@md5:${'0'.repeat(64)}`, /is not a digest/],
    ['myrepo/nginx:-v1', /is not a valid tag/],
    ['myrepo/nginx:.v1', /is not a valid tag/],
    ['myrepo/nginx:v+1', /is not a valid tag/],
    [`myrepo/nginx:${'a'.repeat(129)}`, /is not a valid tag/],
    ['myrepo/ngi nx', /has no spaces/],
  ])('throws a UserError naming the rule when the text is `%s`', (text, rule) => {
    expect(() => parseImageRef(text)).toThrow(UserError);
    expect(() => parseImageRef(text)).toThrow(rule);
  });
});
