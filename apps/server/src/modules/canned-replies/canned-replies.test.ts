/**
 * Canned replies over HTTP on a real PostgreSQL: shared ones for the site's
 * operators, personal ones for their owner alone; who may write which; a
 * duplicate shortcut in one scope, an unknown id and someone else's personal
 * reply each refused clearly with nothing written; the demo site's seed set.
 */
import {
  API_PATHS,
  type CannedReplyDTO,
  type CannedReplyList,
  type CannedReplyResponse,
} from '@parley/protocol';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, loginOperator, type OperatorSession } from '../../testing/clients.js';
import { addOperator, snapshotRows } from '../../testing/fixtures.js';
import { startTestParley, TEST_ADMIN, type TestParley } from '../../testing/test-parley.js';
import { DEMO_CANNED_REPLIES } from './seed.js';

let parley: TestParley;
let admin: OperatorSession;
let anna: OperatorSession;
let boris: OperatorSession;

beforeAll(async () => {
  parley = await startTestParley();
  admin = await loginOperator(parley.url, TEST_ADMIN.email, TEST_ADMIN.password);
  anna = (await addOperator(parley, 'Anna')).session;
  boris = (await addOperator(parley, 'Boris')).session;
});
afterAll(async () => {
  await parley?.close();
});

const as = (who: OperatorSession) => ({ cookie: who.cookie, csrfToken: who.csrfToken });
const list = (who: OperatorSession) =>
  api<CannedReplyList>(parley.url, API_PATHS.cannedReplies(parley.demoSiteId), as(who)).then(
    (r) => r.body.items,
  );
const create = (who: OperatorSession, body: object) =>
  api<CannedReplyResponse>(parley.url, API_PATHS.cannedReplies(parley.demoSiteId), { ...as(who), body }).then(
    (r) => r.body.cannedReply,
  );
const change = (who: OperatorSession, id: string, body: object) =>
  api<CannedReplyResponse>(parley.url, API_PATHS.cannedReply(id), { ...as(who), method: 'PATCH', body });
const remove = (who: OperatorSession, id: string) =>
  api(parley.url, API_PATHS.cannedReply(id), { ...as(who), method: 'DELETE' });

/** Expects the call refused with `status` and `code`, and the database untouched. */
async function refused(call: () => Promise<unknown>, status: number, code: string, message?: RegExp) {
  const before = await snapshotRows(parley.services.ctx.db);
  const error = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toMatchObject({ status, body: { error: { code } } });
  if (message)
    expect((error as { body: { error: { message: string } } }).body.error.message).toMatch(message);
  expect(await snapshotRows(parley.services.ctx.db)).toEqual(before);
}

describe('canned replies', () => {
  it('the demo site starts with the seed set, in English, Russian and Armenian', async () => {
    const items = await list(anna);
    const shortcuts = items.map((r) => r.shortcut);
    for (const seed of DEMO_CANNED_REPLIES) expect(shortcuts).toContain(seed.shortcut);
    expect(shortcuts).toEqual(expect.arrayContaining(['price', 'цена', 'գին']));
    expect(items.every((r) => r.scope === 'shared' && r.ownerId === null)).toBe(true);
  });

  it('are shared by the site or kept by one operator, who alone sees and changes theirs', async () => {
    const shared = await create(admin, {
      scope: 'shared',
      shortcut: '/hours',
      title: 'Hours',
      body: 'We open at 9.',
    });
    expect(shared).toMatchObject({ scope: 'shared', ownerId: null, shortcut: 'hours' });
    const own = await create(anna, {
      scope: 'personal',
      shortcut: 'sig',
      title: 'Signature',
      body: '— {operator.name}',
    });
    expect(own).toMatchObject({ scope: 'personal', ownerId: anna.operator.id });

    const ids = (items: CannedReplyDTO[]) => items.map((r) => r.id);
    expect(ids(await list(anna))).toEqual(expect.arrayContaining([shared.id, own.id]));
    expect(ids(await list(boris))).toContain(shared.id);
    expect(ids(await list(boris))).not.toContain(own.id);

    const { body } = await change(anna, own.id, { body: 'Best, {operator.name}' });
    expect(body.cannedReply).toMatchObject({ id: own.id, body: 'Best, {operator.name}', shortcut: 'sig' });
    // Someone else's personal reply is "not found", like one that does not exist: its owner's alone.
    await refused(() => change(boris, own.id, { title: 'Mine now' }), 404, 'not_found');
    await refused(() => remove(boris, own.id), 404, 'not_found');
    await refused(() => remove(admin, own.id), 404, 'not_found');
    await remove(anna, own.id);
    expect(ids(await list(anna))).not.toContain(own.id);
  });

  it('only owners and admins write the shared set', async () => {
    await refused(
      () => create(anna, { scope: 'shared', shortcut: 'mine', title: 'T', body: 'B' }),
      403,
      'forbidden',
      /owners and admins/,
    );
    const shared = await create(admin, {
      scope: 'shared',
      shortcut: 'returns',
      title: 'Returns',
      body: '14 days.',
    });
    await refused(() => change(anna, shared.id, { title: 'x' }), 403, 'forbidden');
    await refused(() => remove(anna, shared.id), 403, 'forbidden');
    const { body } = await change(admin, shared.id, { title: 'Returns and refunds' });
    expect(body.cannedReply.title).toBe('Returns and refunds');
  });

  it('refuse a shortcut already used in the same scope, in any case, and allow it in another scope', async () => {
    await refused(
      () => create(admin, { scope: 'shared', shortcut: 'PRICE', title: 'Again', body: 'Again' }),
      409,
      'conflict',
      /\/PRICE/,
    );
    // A personal `/price` is another scope: it may shadow the shared one for its owner.
    const mine = await create(boris, {
      scope: 'personal',
      shortcut: 'price',
      title: 'My price',
      body: 'Ask me',
    });
    await refused(
      () => create(boris, { scope: 'personal', shortcut: 'Price', title: 'Twice', body: 'Twice' }),
      409,
      'conflict',
    );
    const other = await create(boris, {
      scope: 'personal',
      shortcut: 'other',
      title: 'Other',
      body: 'Other',
    });
    await refused(() => change(boris, other.id, { shortcut: 'price' }), 409, 'conflict');
    expect(mine.shortcut).toBe('price');
  });

  it('refuse an unknown id, a bad shortcut and an empty body with clear errors, writing nothing', async () => {
    const unknown = '00000000-0000-4000-8000-000000000000';
    await refused(() => change(admin, unknown, { title: 'x' }), 404, 'not_found', /Canned reply not found/);
    await refused(() => remove(admin, unknown), 404, 'not_found');
    await refused(() => change(admin, 'not-a-uuid', { title: 'x' }), 400, 'bad_request');
    await refused(
      () => create(admin, { scope: 'shared', shortcut: 'two words', title: 'T', body: 'B' }),
      400,
      'bad_request',
    );
    await refused(
      () => create(admin, { scope: 'shared', shortcut: 'ok', title: 'T', body: '  ' }),
      400,
      'bad_request',
    );
    await refused(
      () => create(admin, { scope: 'team', shortcut: 'ok', title: 'T', body: 'B' }),
      400,
      'bad_request',
    );
  });
});
