/**
 * What the Lambda bundle has in place of `cross-fetch`: the fetch built into Node 22, which the Lambda runtime
 * runs. The source keeps `cross-fetch` as the injectable default (tests and local runs on Node 20 use it); the
 * bundle swaps it at build time so node-fetch, whatwg-url and tr46 stay out (docs/decisions/0007-lean-cold-start.md).
 */

/** The platform's `fetch`, as cross-fetch's default export. */
const platformFetch: typeof fetch = globalThis.fetch;

export default platformFetch;

/** The platform's fetch and its classes, as cross-fetch's named exports. */
export const { Headers, Request, Response } = globalThis;
export { platformFetch as fetch };
