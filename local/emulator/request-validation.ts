/** Required-field checks for query strings and JSON bodies, each refusing with the 400 a Spring service gives. */
import { EmulatorHttpError } from './emulator-http-error';

/** Returns the JSON body as an object, or throws a 400 when it is absent or not an object. */
export function requireBodyObject(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new EmulatorHttpError(400, 'Required request body is missing');
  }
  return body as Record<string, unknown>;
}

/** Returns a required query parameter, or throws a 400 naming it. */
export function requireQuery(query: Record<string, string>, key: string): string {
  const value = query[key];
  if (value === undefined || value === '') {
    throw new EmulatorHttpError(400, `Required request parameter '${key}' is not present`);
  }
  return value;
}

/** Throws a 400 unless the query carries `key`, even empty (vCR fails image and artifact lists without `name=`). */
export function requireQueryPresent(query: Record<string, string>, key: string): string {
  const value = query[key];
  if (value === undefined) throw new EmulatorHttpError(400, `Required request parameter '${key}' is not present`);
  return value;
}

/** Returns a required non-empty string field, or throws a 400 naming it. */
export function requireString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || value === '') throw new EmulatorHttpError(400, `${key} is required`);
  return value;
}

/** Returns a required boolean field, or throws a 400 naming it. */
export function requireBoolean(body: Record<string, unknown>, key: string): boolean {
  const value = body[key];
  if (typeof value !== 'boolean') throw new EmulatorHttpError(400, `${key} is required and must be true or false`);
  return value;
}

/** Returns a required array field, or throws a 400 naming it. */
export function requireArray(body: Record<string, unknown>, key: string): unknown[] {
  const value = body[key];
  if (!Array.isArray(value)) throw new EmulatorHttpError(400, `${key} is required and must be a list`);
  return value;
}

/** Returns `value` when it is a positive whole number, else throws a 400 naming `label`. */
export function requirePositiveInteger(value: unknown, label: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new EmulatorHttpError(400, `${label} must be a positive whole number`);
  }
  return value;
}

/** Returns an optional positive whole number (absent or null gives undefined), else throws a 400. */
export function optionalPositiveInteger(body: Record<string, unknown>, key: string): number | undefined {
  const value = body[key];
  return value === undefined || value === null ? undefined : requirePositiveInteger(value, key);
}

/** Returns an optional string (absent or null gives undefined), else throws a 400. */
export function optionalString(body: Record<string, unknown>, key: string): string | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new EmulatorHttpError(400, `${key} must be a string`);
  return value;
}

/** Throws a 400 unless the body repeats the path id in `key` (vCR requires both to be sent and equal). */
export function requireMatchingId(body: Record<string, unknown>, key: string, pathId: string): void {
  const value = requireString(body, key);
  if (value !== pathId) throw new EmulatorHttpError(400, `${key} in the body does not match the id in the path`);
}
