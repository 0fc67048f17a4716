/** Identity's HTTP calls over the console's client: a site's secret, rotating it, requiring signatures. */
import { API_PATHS, type SiteIdentityDTO } from '@parley/protocol';
import type { HttpClient } from '../../api/http-client';

export const identityApi = (http: HttpClient) => ({
  get: (siteId: string) => http.request<SiteIdentityDTO>(API_PATHS.siteIdentity(siteId)),
  setRequired: (siteId: string, requireVerification: boolean) =>
    http.request<SiteIdentityDTO>(API_PATHS.siteIdentity(siteId), {
      method: 'PATCH',
      json: { requireVerification },
    }),
  rotate: (siteId: string) =>
    http.request<SiteIdentityDTO>(API_PATHS.siteIdentitySecret(siteId), { json: {} }),
});

export type ServerLanguage = 'node' | 'php' | 'python';

/** How a site's server computes userHash, to copy: the secret is read from the environment, never pasted in code. */
export const SERVER_EXAMPLES: Record<ServerLanguage, { label: string; code: string }> = {
  node: {
    label: 'Node.js',
    code: [
      "import { createHmac } from 'node:crypto';",
      '',
      '// PARLEY_IDENTITY_SECRET: the secret shown above, kept on your server only.',
      'const userHash = createHmac("sha256", process.env.PARLEY_IDENTITY_SECRET)',
      '  .update(String(user.id))',
      '  .digest("hex");',
    ].join('\n'),
  },
  php: {
    label: 'PHP',
    code: [
      '<?php',
      '// PARLEY_IDENTITY_SECRET: the secret shown above, kept on your server only.',
      "$userHash = hash_hmac('sha256', (string) $user->id, getenv('PARLEY_IDENTITY_SECRET'));",
    ].join('\n'),
  },
  python: {
    label: 'Python',
    code: [
      'import hashlib, hmac, os',
      '',
      '# PARLEY_IDENTITY_SECRET: the secret shown above, kept on your server only.',
      'user_hash = hmac.new(',
      '    os.environ["PARLEY_IDENTITY_SECRET"].encode(),',
      '    str(user.id).encode(),',
      '    hashlib.sha256,',
      ').hexdigest()',
    ].join('\n'),
  },
};

/** The page's side: what the server's hash goes into. */
export const PAGE_EXAMPLE = [
  '<script>',
  "  Parley('identify', {",
  "    id: '<user id>',",
  "    userHash: '<userHash from your server>',",
  "    name: '<name>',",
  "    email: '<email>',",
  '  });',
  '</script>',
].join('\n');
