import { describe, expect, it } from 'vitest';
import { htmlToReplyText, stripQuotedHistory } from './quoted-text.js';

describe('stripQuotedHistory', () => {
  const cases: [string, string, string][] = [
    [
      'Gmail, English, wrapped "wrote" line',
      'Size 42, please.\n\nOn Fri, Dec 5, 2026 at 10:00 AM Demo shop <\nreply+abc@mail.shop.example> wrote:\n\n> Which size?\n> Anna',
      'Size 42, please.',
    ],
    [
      'Gmail, Russian, date and address only',
      'Да, подходит.\n\nпт, 5 дек. 2026 г. в 10:00, Demo shop <reply+abc@mail.shop.example>:\n> Вам подойдёт?',
      'Да, подходит.',
    ],
    [
      'Russian "написал(а)"',
      'Спасибо, жду.\n\n05.12.2026 10:00, Анна написал(а):\n> Мы ответим завтра',
      'Спасибо, жду.',
    ],
    [
      'Yandex: the address and "пишет"',
      'Хорошо\n\n05.12.2026, 10:00, "Demo shop" <reply+abc@mail.shop.example> пишет:\n> Текст',
      'Хорошо',
    ],
    [
      'Armenian "գրել է"',
      'Շնորհակալություն։\n\nԵրկ, 5 դեկ 2026, 10:00 Demo shop <reply+abc@mail.shop.example> գրել է՝\n> Ձեր հարցը',
      'Շնորհակալություն։',
    ],
    [
      'Outlook header block, Russian',
      'Подойдёт.\n\n________________________________\nОт: Demo shop <reply+abc@mail.shop.example>\nОтправлено: 5 декабря 2026 г. 10:00\nКому: anna@mail.example\nТема: Re: заявка',
      'Подойдёт.',
    ],
    [
      'Outlook header block, English, without a rule',
      'Works for me.\n\nFrom: Demo shop <reply+abc@mail.shop.example>\nSent: Friday, December 5, 2026 10:00 AM\nTo: anna@mail.example',
      'Works for me.',
    ],
    ['signature', 'See you.\n-- \nAnna Petrova\n+7 900 000-00-00', 'See you.'],
    ['mobile footer', 'Ok!\n\nSent from my iPhone', 'Ok!'],
    ['mobile footer, Russian', 'Ок\n\nОтправлено с iPhone', 'Ок'],
    ['an answer between quotes keeps both answers', '> Size?\n42\n> Colour?\nBlack', '42\nBlack'],
    ['a forwarded original', 'FYI\n\n---------- Forwarded message ---------\nFrom: x', 'FYI'],
  ];
  it.each(cases)('%s', (_name, mail, expected) => {
    expect(stripQuotedHistory(mail)).toBe(expected);
  });

  it('keeps ordinary lines that only look a little like markers', () => {
    const text = 'On Monday I bought shoes.\nAs I wrote: they are too small.\nКак я уже писал:\nразмер 42.';
    expect(stripQuotedHistory(text)).toBe(text);
  });

  it('is empty when the reply added nothing', () => {
    expect(stripQuotedHistory('\n\nOn Fri, Anna wrote:\n> hi')).toBe('');
  });
});

describe('htmlToReplyText', () => {
  it("leaves out Gmail's and Outlook's quote blocks", () => {
    const gmail =
      '<div>Yes, <b>42</b>.</div><div class="gmail_quote"><div>On Fri, A wrote:</div><blockquote>Size?</blockquote></div>';
    expect(stripQuotedHistory(htmlToReplyText(gmail))).toBe('Yes, 42.');
    const outlook =
      '<p>Fine</p><hr><div id="divRplyFwdMsg"><b>From:</b> Shop &lt;reply+abc@shop.example&gt;<br><b>Sent:</b> Friday<br></div><div>old text</div>';
    expect(stripQuotedHistory(htmlToReplyText(outlook))).toBe('Fine');
  });
});
