/**
 * Writes of mentions: recording who a note names (and telling them, live),
 * and marking mentions read. A mention is stored, so an operator who was
 * offline finds it in their list later; the live event is only the fast way.
 */
import type { MessageDTO } from '@parley/protocol';
import type { DomainContext } from '../context.js';
import { notFound } from '../errors.js';
import { listOperatorsOfSite } from '../operators/queries.js';
import { mentionedIn } from './mentioned.js';
import { presentMention } from './presenter.js';
import { findMentionsOfMessage } from './queries.js';

/**
 * Records the colleagues a note names and announces each new mention to
 * that operator's consoles. Idempotent: a retried note (announced again)
 * names nobody twice. The author mentioning themself is no news.
 */
export async function mentionRecorder(ctx: DomainContext, siteId: string, note: MessageDTO): Promise<void> {
  if (note.visibility !== 'internal' || !note.text.includes('@')) return;
  const colleagues = (await listOperatorsOfSite(ctx.db, siteId)).map((o) => ({
    id: o.id,
    displayName: o.display_name,
  }));
  const named = mentionedIn(note.text, colleagues).filter((id) => id !== note.author.id);
  if (named.length === 0) return;
  const inserted = await ctx.db
    .insertInto('mentions')
    .values(named.map((operatorId) => ({ operator_id: operatorId, message_id: note.id })))
    .onConflict((oc) => oc.columns(['message_id', 'operator_id']).doNothing())
    .returning('operator_id')
    .execute();
  const rows = await findMentionsOfMessage(
    ctx.db,
    note.id,
    inserted.map((r) => r.operator_id),
  );
  for (const row of rows)
    await ctx.bus.publish({
      type: 'mention.created',
      siteId,
      operatorId: row.operator_id,
      mention: presentMention(row),
    });
}

/**
 * Marks the operator's mentions read: the given ones, or all. An id that is
 * not one of theirs refuses the whole call (404), writing nothing.
 */
export async function mentionsReader(
  ctx: Pick<DomainContext, 'db'>,
  operatorId: string,
  ids?: readonly string[],
): Promise<void> {
  await ctx.db.transaction().execute(async (tx) => {
    let update = tx
      .updateTable('mentions')
      .set({ read_at: new Date() })
      .where('operator_id', '=', operatorId)
      .where('read_at', 'is', null);
    if (ids) {
      const unique = [...new Set(ids)];
      if (unique.length === 0) return;
      const theirs = await tx
        .selectFrom('mentions')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('operator_id', '=', operatorId)
        .where('id', 'in', unique)
        .executeTakeFirst();
      if (Number(theirs?.n ?? 0) !== unique.length) throw notFound('Mention');
      update = update.where('id', 'in', unique);
    }
    await update.execute();
  });
}
