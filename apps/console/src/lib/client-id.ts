/** Client-generated message ids: 22 URL-safe random characters, within the protocol's 8–64 [A-Za-z0-9_-]. */
export function newClientId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return `c${btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}
