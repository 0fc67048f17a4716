import type { Headers } from 'mailparser';
import { describe, expect, it } from 'vitest';
import { automaticReason } from './automatic.js';

const headers = (entries: Record<string, string>): Headers =>
  new Map(Object.entries(entries)) as unknown as Headers;

describe('automaticReason', () => {
  const person = { mailFrom: 'anna@mail.example', from: 'anna@mail.example' };
  it.each([
    [{ 'auto-submitted': 'auto-replied' }],
    [{ 'auto-submitted': 'auto-generated' }],
    [{ precedence: 'bulk' }],
    [{ precedence: 'junk' }],
    [{ precedence: 'list' }],
    [{ 'x-autoreply': 'yes' }],
    [{ 'x-auto-response-suppress': 'All' }],
    [{ 'list-id': '<news.shop.example>' }],
    [{ 'content-type': 'multipart/report' }],
    [{ 'return-path': '<>' }],
  ])('%o is automatic', (entries) => {
    expect(automaticReason({ headers: headers(entries), ...person })).not.toBeNull();
  });

  it('a null envelope sender, MAILER-DAEMON and postmaster are bounces', () => {
    expect(automaticReason({ headers: headers({}), mailFrom: '', from: 'anna@mail.example' })).toMatch(
      /bounce/,
    );
    expect(
      automaticReason({ headers: headers({}), mailFrom: undefined, from: 'MAILER-DAEMON@mx.example' }),
    ).not.toBeNull();
    expect(
      automaticReason({ headers: headers({}), mailFrom: 'postmaster@mx.example', from: 'x@y' }),
    ).not.toBeNull();
  });

  it('a person wrote it: Auto-Submitted "no", no list headers, a real sender', () => {
    expect(
      automaticReason({ headers: headers({ 'auto-submitted': 'no', precedence: 'normal' }), ...person }),
    ).toBeNull();
    expect(
      automaticReason({ headers: headers({}), mailFrom: undefined, from: 'anna@mail.example' }),
    ).toBeNull();
  });
});
