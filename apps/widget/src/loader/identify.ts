/**
 * `Parley('identify', { id, userHash, name, email, phone, ...custom })` on the host page: the
 * request the loader posts to Parley (known fields as text, the rest as flat custom attributes),
 * and the call itself. A refusal (a wrong userHash, a site that requires one) is told to the
 * page's developer in the console, never thrown.
 */
// The paths' own module: the protocol's index would bring every API path into the loader.
import { IDENTITY_PATHS, type IdentifyRequest, type IdentifyResponse } from '@parley/protocol/identity';

const KNOWN = ['id', 'userHash', 'name', 'email', 'phone'];

/** The request for `fields` as the page gave them; null when they are not an object. */
export function identifyRequest(
  siteKey: string,
  token: string | null,
  fields: unknown,
): IdentifyRequest | null {
  if (!fields || typeof fields !== 'object') return null;
  const request: Record<string, unknown> = { siteKey };
  const attributes: Record<string, unknown> = {};
  if (token) request.visitorToken = token;
  for (const [name, value] of Object.entries(fields)) {
    if (KNOWN.indexOf(name) >= 0) {
      if (value != null && value !== '') request[name] = String(value);
    } else if (value === null || /^(string|number|boolean)$/.test(typeof value)) attributes[name] = value;
  }
  if (Object.keys(attributes).length) request.attributes = attributes;
  return request as unknown as IdentifyRequest;
}

/** Posts it to Parley; the answer, or null (refused: said in the console; or no network). */
export async function postIdentify(
  origin: string,
  request: IdentifyRequest,
): Promise<IdentifyResponse | null> {
  try {
    const response = await fetch(origin + IDENTITY_PATHS.widgetIdentify, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request),
      credentials: 'omit',
    });
    const body = await response.json();
    if (response.ok) return body as IdentifyResponse;
    console.warn('Parley identify:', body?.error?.message ?? response.status);
  } catch {
    // Offline or blocked: the visitor stays who they were.
  }
  return null;
}

/** The visitor a token names (its first part), to see whether identify changed who this browser is. */
export const visitorOfToken = (token: string | null) => (token ? token.split('.')[0] : null);
