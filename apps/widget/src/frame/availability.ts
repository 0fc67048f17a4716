/**
 * What the chat's footer holds: the composer while someone can answer (or
 * while the visitor still has messages to send), else the request form —
 * and the form, whatever else, while a request is being sent.
 */

export type RequestState = 'none' | 'sending' | 'done';

export function footerFor(online: boolean, unsent: number, request: RequestState): 'composer' | 'form' {
  return (online || unsent > 0) && request !== 'sending' ? 'composer' : 'form';
}
