/**
 * When the frame sends `visitor.page`: the reporter's own scheduling, driven
 * through its `send` parameter (the socket's part is proven in Chromium by
 * e2e/widget-pages.test.ts).
 */
import { LIMITS } from '@parley/protocol';
import { describe, expect, it } from 'vitest';
import { fitPage, PageReporter, type VisitorPage } from './page-reporter.js';

const home = { url: 'https://shop.example/', title: 'Shop' };
const page = (n: number) => ({ url: `https://shop.example/p/${n}`, title: `Product ${n}` });

/**
 * A link whose acks the test releases (or refuses) one at a time. While `down`, sending fails at
 * once and nothing goes out, as the widget's socket does when it is not connected.
 */
function link() {
  const sent: VisitorPage[] = [];
  const waiting: { ok: () => void; fail: (code: string) => void }[] = [];
  const net = {
    sent,
    down: false,
    send: (p: VisitorPage) =>
      net.down
        ? Promise.reject(new Error('offline'))
        : new Promise<void>((resolve, reject) => {
            sent.push(p);
            waiting.push({ ok: resolve, fail: (code) => reject(Object.assign(new Error(code), { code })) });
          }),
    async ack() {
      waiting.shift()?.ok();
      await tick();
    },
    async refuse(code: string) {
      waiting.shift()?.fail(code);
      await tick();
    },
  };
  return net;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('PageReporter', () => {
  it('sends nothing for the page the session started with, nor before it is started', async () => {
    const net = link();
    const reporter = new PageReporter(home);
    reporter.set(page(1));
    reporter.set(home);
    reporter.start(net.send);
    await reporter.flush();
    expect(net.sent).toEqual([]);
  });

  it('folds pages that arrive while one is on its way into one more frame, the latest', async () => {
    const net = link();
    const reporter = new PageReporter(home);
    reporter.start(net.send);
    reporter.set(page(1));
    for (let n = 2; n <= 6; n++) reporter.set(page(n));
    expect(net.sent).toEqual([page(1)]);
    await net.ack();
    expect(net.sent).toEqual([page(1), page(6)]);
    await net.ack();
    reporter.set(page(6));
    await reporter.flush();
    expect(net.sent).toEqual([page(1), page(6)]);
  });

  it('sends an unchanged page again when the visitor comes back to its tab, once', async () => {
    const net = link();
    const reporter = new PageReporter(home);
    reporter.start(net.send);
    reporter.set(home);
    await reporter.flush();
    expect(net.sent).toEqual([]);
    // Another tab reported its page meanwhile; this one is in front again.
    reporter.set(home, true);
    expect(net.sent).toEqual([home]);
    await net.ack();
    reporter.set(home);
    await reporter.flush();
    expect(net.sent).toEqual([home]);
  });

  it('sends the latest page on the next connect when it changed while the link was down', async () => {
    const net = link();
    const reporter = new PageReporter(home);
    reporter.start(net.send);
    reporter.set(page(1));
    // The link drops with the frame unanswered, and stays down while the visitor browses on.
    net.down = true;
    await net.refuse('closed');
    reporter.set(page(2));
    reporter.set(page(3));
    await tick();
    expect(net.sent).toEqual([page(1)]);
    net.down = false;
    void reporter.flush();
    expect(net.sent).toEqual([page(1), page(3)]);
    await net.ack();

    // Away and back while offline: the server has the page already.
    net.down = true;
    reporter.set(page(4));
    reporter.set(page(3));
    net.down = false;
    await reporter.flush();
    expect(net.sent).toEqual([page(1), page(3)]);
  });

  it('gives up on a page the server refuses as invalid, and carries on with the next', async () => {
    const net = link();
    const reporter = new PageReporter(home);
    reporter.start(net.send);
    reporter.set(page(1));
    await net.refuse('bad_request');
    void reporter.flush();
    expect(net.sent).toEqual([page(1)]);
    reporter.set(page(2));
    expect(net.sent).toEqual([page(1), page(2)]);
  });
});

describe('fitPage', () => {
  it('keeps a page within the protocol limits: the title cut, a long URL without its query', () => {
    const long = `https://shop.example/p/1?utm=${'x'.repeat(LIMITS.pageUrl)}#top`;
    expect(fitPage(long, 'T'.repeat(LIMITS.pageTitle + 50))).toEqual({
      url: 'https://shop.example/p/1',
      title: 'T'.repeat(LIMITS.pageTitle),
    });
    expect(fitPage('https://shop.example/p/1?size=44#reviews', 'Shoes')).toEqual({
      url: 'https://shop.example/p/1?size=44#reviews',
      title: 'Shoes',
    });
  });
});
