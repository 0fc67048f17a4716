/**
 * The chat's texts in English, Russian and Armenian. English names of controls
 * are a contract (end-to-end tests find controls by them): keep them stable.
 */
import type { Language } from '@parley/protocol';

export interface Catalog {
  chat: string;
  close: string;
  message: string;
  placeholder: string;
  send: string;
  reconnecting: string;
  /** The chat cannot start on this page for good (unknown site, origin not allowed). */
  unavailable: string;
  loading: string;
  conversation: string;
  online: string;
  offline: string;
  you: string;
  operator: string;
  typing: (name: string) => string;
  sending: string;
  notSent: string;
  /** Buttons on a message the server refused: send it again, or drop it. */
  retry: string;
  discard: string;
  offlineIntro: string;
  email: string;
  phone: string;
  sendRequest: string;
  invalidEmail: string;
  retrying: string;
  thanks: (email: string) => string;
  /** Without SMTP on the server: no promise of an answer by email. */
  offlineIntroNoEmail: string;
  thanksNoEmail: string;
  /** The transcript control (issue 13): email me this conversation. */
  transcript: string;
  transcriptEmail: string;
  transcriptSend: string;
  transcriptSent: (email: string) => string;
  /** Routing: the visitor's place in the queue, with the estimated wait in minutes when there is one. */
  queue: (position: number, minutes: number | null) => string;
  department: string;
  anyDepartment: string;
  // Files (issue 11).
  attach: string;
  cancel: string;
  uploading: (name: string) => string;
  tooLarge: (limit: string) => string;
  openImage: (name: string) => string;
  /** Under the visitor's last message once an operator has read it. */
  read: string;
  /** The bubble by the launcher with an operator's message while the chat is closed ("visitors now"). */
  bubbleOpen: string;
  bubbleDismiss: string;
}

export const CATALOGS: Record<Language, Catalog> = {
  en: {
    chat: 'Chat',
    close: 'Close chat',
    message: 'Message',
    placeholder: 'Write your question…',
    send: 'Send',
    reconnecting: 'Reconnecting…',
    unavailable: 'Chat is not available on this page.',
    loading: 'Loading…',
    conversation: 'Conversation',
    online: 'We are online and will answer shortly',
    offline: 'Leave a request',
    you: 'You',
    operator: 'Operator',
    typing: (name) => `${name} is typing…`,
    read: 'Read',
    bubbleOpen: 'Reply',
    bubbleDismiss: 'Dismiss message',
    sending: 'Sending…',
    notSent: 'Not sent',
    retry: 'Retry',
    discard: 'Discard',
    offlineIntro:
      'Nobody is online right now. Leave your email and question, and we will answer as soon as we are back.',
    email: 'Email',
    phone: 'Phone (optional)',
    sendRequest: 'Send request',
    invalidEmail: 'Please enter a valid email address.',
    retrying: 'No connection. We keep trying, your request will not be lost.',
    thanks: (email) => `Thank you! We have your request and will reply to ${email}.`,
    offlineIntroNoEmail:
      'Nobody is online right now. Leave your question and contacts: we will see it as soon as we are back, and the answer will appear here.',
    thanksNoEmail: 'Thank you! We have your request. Our answer will appear here in the chat.',
    transcript: 'Email me this conversation',
    transcriptEmail: 'Your email',
    transcriptSend: 'Send the conversation',
    transcriptSent: (email) => `Sent to ${email}. It may take a minute to arrive.`,
    queue: (position, minutes) =>
      `All operators are busy. You are number ${position} in the queue${minutes === null ? '; an operator will answer as soon as one is free.' : `, about ${minutes} min to wait.`}`,
    department: 'Department',
    anyDepartment: 'Any',
    attach: 'Attach a file',
    cancel: 'Cancel',
    uploading: (name) => `Uploading ${name}`,
    tooLarge: (limit) => `Larger than ${limit}, the limit here`,
    openImage: (name) => `Open picture ${name}`,
  },
  ru: {
    chat: 'Чат',
    close: 'Закрыть чат',
    message: 'Сообщение',
    placeholder: 'Напишите ваш вопрос…',
    send: 'Отправить',
    reconnecting: 'Переподключаемся…',
    unavailable: 'Чат на этой странице недоступен.',
    loading: 'Загрузка…',
    conversation: 'Переписка',
    online: 'Мы на связи и скоро ответим',
    offline: 'Оставьте заявку',
    you: 'Вы',
    operator: 'Оператор',
    typing: (name) => `${name} печатает…`,
    read: 'Прочитано',
    bubbleOpen: 'Ответить',
    bubbleDismiss: 'Скрыть сообщение',
    sending: 'Отправляем…',
    notSent: 'Не отправлено',
    retry: 'Повторить',
    discard: 'Удалить',
    offlineIntro: 'Сейчас никого нет на месте. Оставьте email и вопрос — мы ответим, как только вернёмся.',
    email: 'Электронная почта',
    phone: 'Телефон (необязательно)',
    sendRequest: 'Отправить заявку',
    invalidEmail: 'Укажите корректный адрес почты.',
    retrying: 'Нет связи. Мы продолжаем попытки, заявка не потеряется.',
    thanks: (email) => `Спасибо! Мы получили вашу заявку и ответим на ${email}.`,
    offlineIntroNoEmail:
      'Сейчас никого нет на месте. Оставьте вопрос и контакты: мы увидим его, как только вернёмся, и ответ появится здесь.',
    thanksNoEmail: 'Спасибо! Мы получили вашу заявку. Ответ появится здесь, в чате.',
    transcript: 'Прислать переписку на почту',
    transcriptEmail: 'Ваш email',
    transcriptSend: 'Отправить переписку',
    transcriptSent: (email) => `Отправили на ${email}. Письмо придёт в течение минуты.`,
    queue: (position, minutes) =>
      `Все операторы заняты. Вы ${position}-й в очереди${minutes === null ? '; оператор ответит, как только освободится.' : `, ждать около ${minutes} мин.`}`,
    department: 'Отдел',
    anyDepartment: 'Любой',
    attach: 'Прикрепить файл',
    cancel: 'Отменить',
    uploading: (name) => `Загружается ${name}`,
    tooLarge: (limit) => `Больше ${limit} — здесь так нельзя`,
    openImage: (name) => `Открыть картинку ${name}`,
  },
  hy: {
    chat: 'Զրույց',
    close: 'Փակել զրույցը',
    message: 'Հաղորդագրություն',
    placeholder: 'Գրեք Ձեր հարցը…',
    send: 'Ուղարկել',
    reconnecting: 'Վերամիանում ենք…',
    unavailable: 'Զրույցն այս էջում հասանելի չէ։',
    loading: 'Բեռնվում է…',
    conversation: 'Նամակագրություն',
    online: 'Մենք առցանց ենք և շուտով կպատասխանենք',
    offline: 'Թողեք հայտ',
    you: 'Դուք',
    operator: 'Օպերատոր',
    typing: (name) => `${name}՝ գրում է…`,
    read: 'Կարդացված է',
    bubbleOpen: 'Պատասխանել',
    bubbleDismiss: 'Թաքցնել հաղորդագրությունը',
    sending: 'Ուղարկվում է…',
    notSent: 'Չի ուղարկվել',
    retry: 'Կրկնել',
    discard: 'Ջնջել',
    offlineIntro:
      'Այս պահին առցանց ոչ ոք չկա։ Թողեք Ձեր էլ. հասցեն և հարցը, և մենք կպատասխանենք, հենց վերադառնանք։',
    email: 'Էլ. փոստ',
    phone: 'Հեռախոս (ըստ ցանկության)',
    sendRequest: 'Ուղարկել հայտը',
    invalidEmail: 'Նշեք ճիշտ էլ. հասցե։',
    retrying: 'Կապ չկա։ Շարունակում ենք փորձել, Ձեր հայտը չի կորչի։',
    thanks: (email) => `Շնորհակալություն։ Ձեր հայտը ստացանք և կպատասխանենք ${email} հասցեին։`,
    offlineIntroNoEmail:
      'Հիմա ոչ ոք առցանց չէ։ Թողեք Ձեր հարցը և կոնտակտները. կտեսնենք հենց վերադառնանք, և պատասխանը կհայտնվի այստեղ։',
    thanksNoEmail: 'Շնորհակալություն։ Ձեր հայտը ստացանք։ Պատասխանը կհայտնվի այստեղ՝ չատում։',
    transcript: 'Ուղարկել զրույցը էլ. փոստով',
    transcriptEmail: 'Ձեր էլ. փոստը',
    transcriptSend: 'Ուղարկել զրույցը',
    transcriptSent: (email) => `Ուղարկվեց ${email} հասցեին։ Նամակը կհասնի մեկ րոպեի ընթացքում։`,
    queue: (position, minutes) =>
      `Բոլոր օպերատորները զբաղված են։ Դուք հերթում ${position}-րդն եք${minutes === null ? '․ օպերատորը կպատասխանի, հենց ազատվի։' : `, սպասել՝ մոտ ${minutes} րոպե։`}`,
    department: 'Բաժին',
    anyDepartment: 'Ցանկացած',
    attach: 'Կցել ֆայլ',
    cancel: 'Չեղարկել',
    uploading: (name) => `Բեռնվում է ${name}`,
    tooLarge: (limit) => `${limit}-ից մեծ է, այստեղ թույլատրված չէ`,
    openImage: (name) => `Բացել նկարը ${name}`,
  },
};
