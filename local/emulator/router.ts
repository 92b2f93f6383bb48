/** A small path router: `:name` segments match one raw path segment and are decoded on their own. */
import type { EmulatorState } from './emulator-state';

/** What a route handler gets: decoded path parameters, the query and the parsed body. */
export interface RouteRequest {
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
}

/** A handler's answer: JSON, plain text, or an empty body. */
export type RouteResult = { status: number; json: unknown } | { status: number; text: string } | { status: number };

/** One operation of the API. `jsonBody` routes refuse any content type but JSON, as Spring's `@RequestBody` does. */
export interface Route {
  method: string;
  pattern: string;
  jsonBody?: boolean;
  handle(request: RouteRequest): RouteResult;
}

/** What route handlers share: the state, the account, the clock and behaviour switches. */
export interface EmulatorContext {
  state: EmulatorState;
  accountId: string;
  /** The name written as `userName` in history lines for changes made through the API. */
  actorName: string;
  now(): number;
  imageDeleteRequiresEmpty: boolean;
}

/** A matched route and its decoded path parameters. */
export interface RouteMatch {
  route: Route;
  params: Record<string, string>;
}

function splitPath(path: string): string[] {
  return path.split('/').filter((segment) => segment !== '');
}

/** Finds the route for `method` and the still-encoded `rawPath`; literal segments win over parameters by order. */
export function matchRoute(routes: readonly Route[], method: string, rawPath: string): RouteMatch | undefined {
  const segments = splitPath(rawPath);
  for (const route of routes) {
    if (route.method !== method) continue;
    const parts = splitPath(route.pattern);
    if (parts.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matched = parts.every((part, index) => {
      let segment: string;
      try {
        // Decoding per segment keeps an encoded `/` inside an id instead of splitting the path on it.
        segment = decodeURIComponent(segments[index]);
      } catch {
        return false;
      }
      if (part.startsWith(':')) {
        params[part.slice(1)] = segment;
        return true;
      }
      return part === segment;
    });
    if (matched) return { route, params };
  }
  return undefined;
}
