/** The few words the launcher says, in each of Parley's languages (the chat's own catalog lives in the frame). */
import type { Language } from '@parley/protocol';

export interface LauncherLabels {
  open: string;
  frame: string;
  unread: (count: number) => string;
}

export const LAUNCHER_LABELS: Record<Language, LauncherLabels> = {
  en: { open: 'Open chat', frame: 'Chat', unread: (n) => `Unread replies: ${n}` },
  ru: { open: 'Открыть чат', frame: 'Чат', unread: (n) => `Непрочитанных ответов: ${n}` },
  hy: { open: 'Բացել զրույցը', frame: 'Զրույց', unread: (n) => `Չկարդացված պատասխաններ՝ ${n}` },
};
