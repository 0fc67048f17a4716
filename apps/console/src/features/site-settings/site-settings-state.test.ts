/** The site settings panel's pure parts: the snippet, origin clean-up, the PATCH body, issue names. */
import type { SiteDTO } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import type { Translate } from '../../i18n/i18n';
import { changesOf, cleanOrigin, describeIssue, draftOf, installSnippet } from './site-settings-state';

const site: SiteDTO = {
  id: 's1',
  name: 'Demo shop',
  publicKey: 'demo',
  allowedOrigins: ['https://shop.example'],
  settings: {
    language: 'auto',
    greeting: { en: 'Hi' },
    accentColor: '#2563eb',
    files: { maxBytes: 10 * 1024 * 1024, allowedTypes: ['image/png'] },
    askCloseReason: false,
    sneakPeek: true,
    respectDoNotTrack: false,
    emailCapture: true,
    email: { unseenMinutes: 5, transcriptOnClose: false, digest: 'off' },
  },
};

describe('site settings state', () => {
  it('builds the install snippet from the origin and the public key', () => {
    expect(installSnippet('https://chat.example', 'demo')).toBe(
      '<script>\n' +
        '  window.Parley = window.Parley || Object.assign((...args) => window.Parley.q.push(args), { q: [] });\n' +
        '</script>\n' +
        '<script async src="https://chat.example/widget/loader.js" data-site="demo"></script>',
    );
    expect(installSnippet('https://chat.example', 'a"b')).toContain('data-site="a&quot;b"');
  });

  it('drafts every greeting and sends the whole draft', () => {
    const draft = draftOf(site);
    expect(draft.greeting).toEqual({ en: 'Hi', ru: '', hy: '' });
    expect(changesOf({ ...draft, name: ' Shop ' })).toEqual({
      name: 'Shop',
      allowedOrigins: ['https://shop.example'],
      settings: { language: 'auto', greeting: { en: 'Hi', ru: '', hy: '' }, accentColor: '#2563eb' },
    });
  });

  it('trims an origin and one trailing slash, leaving the rest to the server', () => {
    expect(cleanOrigin(' https://shop.example/ ')).toBe('https://shop.example');
    expect(cleanOrigin('shop.example/path')).toBe('shop.example/path');
  });

  it('names an issue by the origin or the field it is about', () => {
    const t = ((key: string) => `[${key}]`) as Translate;
    const draft = { ...draftOf(site), allowedOrigins: ['https://ok.example', 'bad/path'] };
    expect(describeIssue({ path: 'allowedOrigins.1', message: 'No path' }, draft, t)).toBe(
      'bad/path: No path',
    );
    expect(describeIssue({ path: 'settings.greeting.ru', message: 'Too long' }, draft, t)).toBe(
      '[siteSettings.greeting.ru]: Too long',
    );
    expect(describeIssue({ path: 'other', message: 'x' }, draft, t)).toBe('other: x');
  });
});
