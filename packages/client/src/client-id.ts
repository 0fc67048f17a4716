/** Client-generated message ids: 22 chars of [A-Za-z0-9_-], within the protocol's 8–64. */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-';

export function newClientId(): string {
  const bytes = new Uint8Array(22);
  crypto.getRandomValues(bytes);
  let id = '';
  for (const byte of bytes) id += ALPHABET[byte & 63];
  return id;
}
