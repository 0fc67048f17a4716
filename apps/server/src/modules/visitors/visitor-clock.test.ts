/**
 * A visitor's first and last sighting come from one clock (the database's):
 * a new visitor is never "last seen" before it was "first seen", however long
 * the arrival takes between reading the time and inserting the row.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestParley, type TestParley } from '../../testing/test-parley.js';
import { visitorArrivalRecorder, visitorPageRecorder } from './commands.js';
import { presentVisitor } from './presenter.js';

let parley: TestParley;

beforeAll(async () => {
  parley = await startTestParley();
});
afterAll(async () => {
  await parley?.close();
});

const arrival = (siteId: string, admitNew?: () => Promise<void>) => ({
  siteId,
  knownVisitor: null,
  admitNew,
  userAgent: null,
  language: null,
  page: null,
  referrer: null,
  country: null,
});

it('gives a new visitor one instant for first and last seen, even when admitting it takes time', async () => {
  // The admission check (rate budgets, possibly over Redis) runs between the arrival and the insert.
  const slowAdmission = () => new Promise<void>((resolve) => setTimeout(resolve, 50));
  const { visitor, isNew } = await visitorArrivalRecorder(
    parley.services.ctx.db,
    arrival(parley.demoSiteId, slowAdmission),
  );
  expect(isNew).toBe(true);
  const dto = presentVisitor(visitor);
  expect(dto.lastSeenAt).toBe(dto.firstSeenAt);
});

it('moves last seen forward on the same clock when the visitor changes page', async () => {
  const { visitor } = await visitorArrivalRecorder(parley.services.ctx.db, arrival(parley.demoSiteId));
  await new Promise((resolve) => setTimeout(resolve, 20));
  await visitorPageRecorder(parley.services.ctx, visitor.id, { url: 'https://shop.example/b', title: 'B' });
  const after = await parley.services.ctx.db
    .selectFrom('visitors')
    .selectAll()
    .where('id', '=', visitor.id)
    .executeTakeFirstOrThrow();
  expect(after.first_seen_at.getTime()).toBe(visitor.first_seen_at.getTime());
  expect(after.last_seen_at.getTime()).toBeGreaterThan(after.first_seen_at.getTime());
});
