/**
 * What the Lambda bundle has in place of `cross-fetch`: the fetch built into Node 22, which the Lambda runtime
 * runs. The source keeps `cross-fetch` as the injectable default (tests and local runs on Node 20 use it); the
 * bundle swaps it at build time so node-fetch, whatwg-url and tr46 stay out (docs/decisions/0013-lean-cold-start.md).
 * Only the default export and `fetch` are offered: the bot uses nothing else, and esbuild fails the build if it did.
 */

// Looked up on each call, not when the bundle loads: Node loads its fetch implementation the first time
// `globalThis.fetch` is read, which would add it to every cold start, even those whose first request never fetches.
const platformFetch: typeof fetch = (input, init) => globalThis.fetch(input, init);

/** The platform's `fetch`, as cross-fetch's default export. */
export default platformFetch;

/** The platform's `fetch`, as cross-fetch's named export. */
export { platformFetch as fetch };
