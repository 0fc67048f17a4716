/**
 * The demo site's shared canned replies: a few well-written ones per
 * language, each answering a question shops really get (greeting, price,
 * delivery, size, "one moment"). Sparingly, as the source articles advise:
 * a set an operator edits, not a robot's script.
 */
import type { Queryable } from '../../db/database.js';

interface SeedReply {
  shortcut: string;
  title: string;
  body: string;
}

export const DEMO_CANNED_REPLIES: readonly SeedReply[] = [
  {
    shortcut: 'hello',
    title: 'Greeting',
    body: 'Hello, {visitor.name|there}! I’m {operator.name} from {site.name}. How can I help?',
  },
  {
    shortcut: 'price',
    title: 'Price and discounts',
    body: 'The price on the product page is current and includes VAT. If you are buying several, tell me how many and I will check whether a discount applies.',
  },
  {
    shortcut: 'delivery',
    title: 'Delivery times',
    body: 'We deliver in the city the next day, and elsewhere in 2–4 days. Shall I check the date for your address?',
  },
  {
    shortcut: 'size',
    title: 'Choosing a size',
    body: 'Tell me your usual size and the length of your foot in centimetres, and I will suggest the right one for this model.',
  },
  {
    shortcut: 'moment',
    title: 'One moment',
    body: 'One moment, {visitor.name|please}: I am checking this for you now.',
  },
  {
    shortcut: 'привет',
    title: 'Приветствие',
    body: 'Здравствуйте! Меня зовут {operator.name}, я консультант магазина «{site.name}». Чем могу помочь?',
  },
  {
    shortcut: 'цена',
    title: 'Цена и скидки',
    body: 'Цена на странице товара актуальна и уже включает НДС. Если берёте несколько штук, напишите сколько — проверю, положена ли скидка.',
  },
  {
    shortcut: 'доставка',
    title: 'Сроки доставки',
    body: 'По городу доставим на следующий день, в другие города — за 2–4 дня. Проверить дату для вашего адреса?',
  },
  {
    shortcut: 'размер',
    title: 'Подбор размера',
    body: 'Напишите ваш обычный размер и длину стопы в сантиметрах — подскажу, какой размер этой модели подойдёт.',
  },
  {
    shortcut: 'минуту',
    title: 'Одну минуту',
    body: 'Одну минуту, уточняю для вас.',
  },
  {
    shortcut: 'բարև',
    title: 'Ողջույն',
    body: 'Բարև ձեզ։ Իմ անունը {operator.name} է, «{site.name}» խանութի խորհրդատուն եմ։ Ինչո՞վ կարող եմ օգնել։',
  },
  {
    shortcut: 'գին',
    title: 'Գին և զեղչեր',
    body: 'Ապրանքի էջում նշված գինը արդիական է և ներառում է ԱԱՀ-ն։ Եթե մի քանի հատ եք գնում, գրեք քանակը, և ես կստուգեմ՝ արդյոք զեղչ է հասնում։',
  },
  {
    shortcut: 'առաքում',
    title: 'Առաքման ժամկետներ',
    body: 'Քաղաքում առաքում ենք հաջորդ օրը, այլ բնակավայրեր՝ 2–4 օրում։ Ստուգե՞մ ձեր հասցեի համար ամսաթիվը։',
  },
  {
    shortcut: 'չափս',
    title: 'Չափսի ընտրություն',
    body: 'Գրեք ձեր սովորական չափսը և ոտնաթաթի երկարությունը սանտիմետրերով, և ես կառաջարկեմ այս մոդելի ճիշտ չափսը։',
  },
  {
    shortcut: 'րոպե',
    title: 'Մեկ րոպե',
    body: 'Մեկ րոպե, հիմա ստուգում եմ ձեզ համար։',
  },
];

/** Gives a new demo site its set; a shortcut already there is left as it is. */
export async function seedDemoCannedReplies(db: Queryable, siteId: string): Promise<void> {
  await db
    .insertInto('canned_replies')
    .values(DEMO_CANNED_REPLIES.map((r) => ({ site_id: siteId, owner_id: null, ...r })))
    .onConflict((oc) => oc.doNothing())
    .execute();
}
