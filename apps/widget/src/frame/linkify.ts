/**
 * Message text as DOM: text nodes, and the links `linkParts` finds (shared
 * with the console) as anchors that open in a new tab without handing it
 * our window.
 */
import { linkParts } from '@parley/client';

export function linkify(text: string): Node[] {
  return linkParts(text).map((part) => {
    if (typeof part === 'string') return document.createTextNode(part);
    const link = document.createElement('a');
    link.href = part.href;
    link.target = '_blank';
    link.rel = 'noopener noreferrer';
    link.textContent = part.label;
    return link;
  });
}
