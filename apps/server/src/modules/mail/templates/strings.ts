/**
 * The texts of Parley's emails in its three languages. Polite and plain, as
 * a shop's consultant writes: who answered, what they said, how to go on.
 * `{name}`-style slots are filled by `fill`.
 */
import type { Language } from '@parley/protocol';

export interface MailStrings {
  repliesSubject: string;
  repliesIntro: string;
  replyHint: string;
  transcriptSubject: string;
  transcriptIntro: string;
  you: string;
  offlineSubject: string;
  offlineIntro: string;
  missedSubject: string;
  missedIntro: string;
  openInConsole: string;
  operatorReplyHint: string;
  visitor: string;
  contacts: string;
  unsubscribe: string;
  unsubscribeWhy: string;
  invitationSubject: string;
  invitationIntro: string;
  invitationAction: string;
  resetSubject: string;
  resetIntro: string;
  resetAction: string;
  linkNote: string;
  digestSubjectDaily: string;
  digestSubjectWeekly: string;
  digestIntro: string;
  digestConversations: string;
  digestFirstResponse: string;
  digestMissed: string;
  digestWaiting: string;
  noData: string;
  attachment: string;
}

export const MAIL_STRINGS: Record<Language, MailStrings> = {
  en: {
    repliesSubject: '{operator} answered you on {site}',
    repliesIntro: 'You asked us a question on {site}. Here is the answer you may have missed:',
    replyHint: 'Just reply to this email to go on: your answer reaches {operator} in the same conversation.',
    transcriptSubject: 'Your conversation with {site}',
    transcriptIntro: 'Here is your conversation with {site}, as you asked.',
    you: 'You',
    offlineSubject: 'New request on {site}',
    offlineIntro: 'A visitor left a request on {site} while nobody was online:',
    missedSubject: 'Missed chat on {site}',
    missedIntro: 'A visitor on {site} has been waiting for an answer:',
    openInConsole: 'Open the conversation',
    operatorReplyHint: 'Reply to this email to answer the visitor as yourself.',
    visitor: 'Visitor',
    contacts: 'Contacts',
    unsubscribe: 'Stop these emails',
    unsubscribeWhy: 'You get this email because your Parley account has it switched on.',
    invitationSubject: 'You are invited to answer chats on Parley',
    invitationIntro: 'You have been invited to join the team. Open the link to set your password:',
    invitationAction: 'Accept the invitation',
    resetSubject: 'Reset your Parley password',
    resetIntro: 'Someone asked to reset your password. Open the link to choose a new one:',
    resetAction: 'Choose a new password',
    linkNote: 'The link works once. If you did not expect this email, ignore it.',
    digestSubjectDaily: '{site}: the day in chats',
    digestSubjectWeekly: '{site}: the week in chats',
    digestIntro: 'How {site} answered its visitors from {from} to {to}:',
    digestConversations: 'Conversations',
    digestFirstResponse: 'Median first response',
    digestMissed: 'Missed chats',
    digestWaiting: 'Requests waiting for an answer',
    noData: 'none',
    attachment: 'File',
  },
  ru: {
    repliesSubject: '{operator} ответил(а) вам на сайте {site}',
    repliesIntro: 'Вы задали вопрос на сайте {site}. Вот ответ, который вы могли не увидеть:',
    replyHint:
      'Чтобы продолжить, просто ответьте на это письмо: ваш ответ получит {operator} в том же разговоре.',
    transcriptSubject: 'Ваш разговор с {site}',
    transcriptIntro: 'Вот ваш разговор с {site}, как вы просили.',
    you: 'Вы',
    offlineSubject: 'Новая заявка на сайте {site}',
    offlineIntro: 'Посетитель оставил заявку на сайте {site}, когда никого не было в сети:',
    missedSubject: 'Пропущенный чат на сайте {site}',
    missedIntro: 'Посетитель сайта {site} ждёт ответа:',
    openInConsole: 'Открыть разговор',
    operatorReplyHint: 'Ответьте на это письмо, чтобы ответить посетителю от своего имени.',
    visitor: 'Посетитель',
    contacts: 'Контакты',
    unsubscribe: 'Больше не присылать такие письма',
    unsubscribeWhy: 'Вы получили это письмо, потому что оно включено в вашей учётной записи Parley.',
    invitationSubject: 'Вас приглашают отвечать в чате Parley',
    invitationIntro: 'Вас пригласили в команду. Откройте ссылку, чтобы задать пароль:',
    invitationAction: 'Принять приглашение',
    resetSubject: 'Сброс пароля Parley',
    resetIntro: 'Кто-то попросил сбросить ваш пароль. Откройте ссылку, чтобы выбрать новый:',
    resetAction: 'Выбрать новый пароль',
    linkNote:
      'Ссылка работает один раз. Если вы не ждали этого письма, просто не обращайте на него внимания.',
    digestSubjectDaily: '{site}: чаты за день',
    digestSubjectWeekly: '{site}: чаты за неделю',
    digestIntro: 'Как {site} отвечал посетителям с {from} по {to}:',
    digestConversations: 'Разговоров',
    digestFirstResponse: 'Медиана первого ответа',
    digestMissed: 'Пропущенных чатов',
    digestWaiting: 'Заявок ждут ответа',
    noData: 'нет',
    attachment: 'Файл',
  },
  hy: {
    repliesSubject: '{operator}-ը պատասխանել է Ձեզ {site} կայքում',
    repliesIntro: 'Դուք հարց եք տվել {site} կայքում։ Ահա պատասխանը, որը գուցե բաց եք թողել.',
    replyHint:
      'Շարունակելու համար պարզապես պատասխանեք այս նամակին. Ձեր պատասխանը կստանա {operator}-ը նույն զրույցում։',
    transcriptSubject: 'Ձեր զրույցը {site}-ի հետ',
    transcriptIntro: 'Ահա Ձեր զրույցը {site}-ի հետ, ինչպես խնդրել էիք։',
    you: 'Դուք',
    offlineSubject: 'Նոր հայտ {site} կայքում',
    offlineIntro: 'Այցելուն հայտ է թողել {site} կայքում, երբ ոչ ոք առցանց չէր.',
    missedSubject: 'Բաց թողնված զրույց {site} կայքում',
    missedIntro: '{site} կայքի այցելուն սպասում է պատասխանի.',
    openInConsole: 'Բացել զրույցը',
    operatorReplyHint: 'Պատասխանեք այս նամակին՝ այցելուին Ձեր անունից պատասխանելու համար։',
    visitor: 'Այցելու',
    contacts: 'Կոնտակտներ',
    unsubscribe: 'Այլևս չուղարկել նման նամակներ',
    unsubscribeWhy: 'Դուք ստացել եք այս նամակը, քանի որ այն միացված է Ձեր Parley հաշվում։',
    invitationSubject: 'Ձեզ հրավիրում են պատասխանել Parley-ի չատում',
    invitationIntro: 'Ձեզ հրավիրել են թիմ։ Բացեք հղումը՝ գաղտնաբառ սահմանելու համար.',
    invitationAction: 'Ընդունել հրավերը',
    resetSubject: 'Parley-ի գաղտնաբառի վերականգնում',
    resetIntro: 'Ինչ-որ մեկը խնդրել է վերականգնել Ձեր գաղտնաբառը։ Բացեք հղումը՝ նորն ընտրելու համար.',
    resetAction: 'Ընտրել նոր գաղտնաբառ',
    linkNote: 'Հղումն աշխատում է մեկ անգամ։ Եթե չէիք սպասում այս նամակին, անտեսեք այն։',
    digestSubjectDaily: '{site}. օրվա զրույցները',
    digestSubjectWeekly: '{site}. շաբաթվա զրույցները',
    digestIntro: 'Ինչպես է {site}-ը պատասխանել այցելուներին {from}-ից {to}.',
    digestConversations: 'Զրույցներ',
    digestFirstResponse: 'Առաջին պատասխանի միջին ժամանակը',
    digestMissed: 'Բաց թողնված զրույցներ',
    digestWaiting: 'Պատասխանի սպասող հայտեր',
    noData: 'չկա',
    attachment: 'Ֆայլ',
  },
};

/** Fills `{slot}`s; a slot without a value stays as written (a bug shows rather than vanishing). */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => values[key] ?? whole);
}
