/** The record the emulator keeps of every request it receives, for tests that assert the exact request sent. */

/** One received request. `path` is the decoded pathname; `rawPath` is as received, still encoded. */
export interface RecordedRequest {
  method: string;
  path: string;
  rawPath: string;
  query: Record<string, string>;
  /** Parsed JSON, a form object, or raw text, after the content type; undefined when there is no body. */
  body: unknown;
  authorization?: string;
}

/** The kinds of body the emulator understands, from a Content-Type header. */
export type BodyKind = 'json' | 'form' | 'text';

/** Returns the kind of body a Content-Type header announces. */
export function bodyKindOf(contentType: string | undefined): BodyKind {
  const mediaType = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (mediaType === 'application/json' || mediaType.endsWith('+json')) return 'json';
  if (mediaType === 'application/x-www-form-urlencoded') return 'form';
  return 'text';
}

/** Returns the body as recorded: JSON parsed when it parses, a form as an object, else the raw text. */
export function parseRecordedBody(kind: BodyKind, raw: string): unknown {
  if (raw === '') return undefined;
  if (kind === 'form') return Object.fromEntries(new URLSearchParams(raw));
  if (kind === 'json') {
    try {
      return JSON.parse(raw);
    } catch {
      return raw;
    }
  }
  return raw;
}

/** Returns the query of a raw search string as a record; when a key repeats, its first value wins. */
export function parseQuery(search: string): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [key, value] of new URLSearchParams(search)) {
    if (!(key in query)) query[key] = value;
  }
  return query;
}
