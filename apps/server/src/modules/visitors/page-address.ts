/**
 * What Parley keeps of the addresses a visitor's browser reports (the page
 * they are on, the page they came from): the address without credentials.
 *
 * Shops put secrets in addresses more often than they mean to: an OAuth
 * login lands on `…/callback#access_token=…`, a password-reset link carries
 * `?token=…`, a payment return page a session id. Operators need to see
 * where the visitor is, never those values, and a database of chat history
 * should not become a store of live tokens. So parameters whose names say
 * they hold a secret are dropped from the query and from a fragment written
 * like a query, and `user:password@` is dropped from the host; a fragment that
 * is a route (`#/shoes/42`) stays, as does everything else.
 */

/** Parameter names that hold secrets: `token`, `access_token`, `X-Amz-Signature`, `api_key`, `password`… */
const SECRET_NAME =
  /(^|[-_.])(token|secret|password|passwd|pwd|signature|sig|api[-_]?key|apikey|auth|authorization|session[-_]?id|sid|otp)$/i;

export function withoutSecrets(address: string): string {
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return address;
  }
  url.username = '';
  url.password = '';
  dropSecretParams(url.searchParams);
  const fragment = url.hash.slice(1);
  if (fragment.includes('=') && !fragment.startsWith('/')) {
    const params = new URLSearchParams(fragment);
    if (dropSecretParams(params)) url.hash = params.toString();
  }
  return url.toString();
}

/** Removes the secret parameters; true when there were any. */
function dropSecretParams(params: URLSearchParams): boolean {
  const secret = [...new Set(params.keys())].filter((name) => SECRET_NAME.test(name));
  for (const name of secret) params.delete(name);
  return secret.length > 0;
}
