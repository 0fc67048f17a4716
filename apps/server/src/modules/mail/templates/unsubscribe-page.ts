/**
 * The page a notification's "stop these emails" link opens: a button first
 * (mail scanners follow links; only a person's click, or a mail client's
 * RFC 8058 POST, turns mail off), then the confirmation. In the three
 * languages at once: the link does not say which one its reader speaks.
 */
import { LANGUAGES } from '@parley/protocol';
import { escapeHtml } from './layout.js';

const TEXTS = {
  en: {
    ask: 'Stop these emails?',
    button: 'Stop these emails',
    done: 'Done: you will not get these emails any more. Switch them back on in Parley under Settings › Your account.',
  },
  ru: {
    ask: 'Больше не присылать эти письма?',
    button: 'Не присылать',
    done: 'Готово: такие письма больше не придут. Включить их снова можно в Parley: Настройки › Ваша учётная запись.',
  },
  hy: {
    ask: 'Այլևս չուղարկե՞լ այս նամակները',
    button: 'Չուղարկել',
    done: 'Պատրաստ է. այս նամակներն այլևս չեն գա։ Կրկին միացնել կարող եք Parley-ում՝ Կարգավորումներ › Ձեր հաշիվը։',
  },
} as const;

export function unsubscribePage(props: { key: string; kind: string; done: boolean }): string {
  const action = `?key=${encodeURIComponent(props.key)}&kind=${encodeURIComponent(props.kind)}`;
  const blocks = LANGUAGES.map((lang) => {
    const t = TEXTS[lang];
    return props.done
      ? `<p lang="${lang}">${escapeHtml(t.done)}</p>`
      : `<form lang="${lang}" method="post" action="${escapeHtml(action)}"><h2>${escapeHtml(t.ask)}</h2><button type="submit">${escapeHtml(t.button)}</button></form>`;
  }).join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>Parley</title>
<style>body{font:16px/1.5 system-ui,sans-serif;color:#1f2937;max-width:36rem;margin:3rem auto;padding:0 1rem}h2{font-size:1.1rem;margin:1.5rem 0 .5rem}button{font:inherit;padding:.5rem 1rem;border-radius:6px;border:0;background:#1d4ed8;color:#fff;cursor:pointer}</style>
</head><body><main><h1>Parley</h1>
${blocks}
</main></body></html>`;
}
