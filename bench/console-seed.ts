/**
 * Seeds a Parley database for the console benchmark with set-based SQL:
 * 100,000 visitors each with one conversation (¾ closed, ¼ open, one in
 * twenty an offline request, two messages each), plus one open conversation
 * of 1,000 messages with the newest activity, so it tops the Open list.
 */
import pg from 'pg';

export interface Seeded {
  siteId: string;
  bigConversationId: string;
  bigVisitorName: string;
  conversations: number;
  messages: number;
}

export const BIG_VISITOR_NAME = 'Benchmark Visitor';

export async function seedConsoleBenchmark(databaseUrl: string, conversations: number, bigMessages: number) {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const site = await client.query<{ id: string }>(`SELECT id FROM sites WHERE public_key = 'demo'`);
    const operator = await client.query<{ id: string }>(
      `SELECT id FROM operators ORDER BY created_at LIMIT 1`,
    );
    const siteId = site.rows[0]?.id;
    const operatorId = operator.rows[0]?.id;
    if (!siteId || !operatorId) throw new Error('no demo site or operator: start Parley once first');

    await client.query('BEGIN');
    await client.query(
      `INSERT INTO visitors (site_id, language, browser, os, country, current_url, current_title, first_seen_at, last_seen_at)
       SELECT $1, (ARRAY['en','ru','hy'])[1 + g % 3], 'Chrome 131', 'Linux', 'AM',
              'https://shop.example/product/' || g, 'Product ' || g,
              now() - make_interval(mins => g), now() - make_interval(mins => g)
       FROM generate_series(1, $2::int) AS g`,
      [siteId, conversations],
    );
    await client.query(
      `INSERT INTO conversations (site_id, visitor_id, status, channel, last_seq, last_public_seq, last_message_text,
         last_message_author_kind, last_message_at, unanswered_count, waiting_since, last_activity_at, created_at, closed_at)
       SELECT $1, v.id,
              CASE WHEN v.n % 4 = 0 THEN 'open' ELSE 'closed' END,
              CASE WHEN v.n % 20 = 0 THEN 'offline_request' ELSE 'chat' END,
              2, 2, 'Thanks, the order is on its way (' || v.n || ')', 'operator', v.at, 0, NULL, v.at,
              v.at - interval '5 minutes',
              CASE WHEN v.n % 4 = 0 THEN NULL ELSE v.at END
       FROM (SELECT id, first_seen_at AS at, row_number() OVER (ORDER BY first_seen_at DESC) AS n
             FROM visitors WHERE site_id = $1) AS v`,
      [siteId],
    );
    await client.query(
      `INSERT INTO messages (conversation_id, seq, public_seq, author_kind, author_id, text, created_at)
       SELECT c.id, s.seq, s.seq,
              CASE s.seq WHEN 1 THEN 'visitor' ELSE 'operator' END,
              CASE s.seq WHEN 1 THEN c.visitor_id ELSE $2::uuid END,
              CASE s.seq WHEN 1 THEN 'Where is my order?' ELSE c.last_message_text END,
              c.created_at + make_interval(mins => s.seq)
       FROM conversations AS c CROSS JOIN generate_series(1, 2) AS s(seq)
       WHERE c.site_id = $1`,
      [siteId, operatorId],
    );
    const big = await client.query<{ id: string }>(
      `WITH v AS (
         INSERT INTO visitors (site_id, name, language, browser, os, country, current_url, current_title)
         VALUES ($1, $2, 'ru', 'Chrome 131', 'Linux', 'AM', 'https://shop.example/cart', 'Cart')
         RETURNING id
       )
       INSERT INTO conversations (site_id, visitor_id, status, channel, last_seq, last_public_seq, last_message_text,
         last_message_author_kind, last_message_at, last_activity_at, created_at)
       SELECT $1, v.id, 'open', 'chat', $3::int, $3::int, 'Message number ' || $3::int, 'operator', now(), now(), now() - interval '2 hours'
       FROM v RETURNING id`,
      [siteId, BIG_VISITOR_NAME, bigMessages],
    );
    const bigConversationId = big.rows[0]?.id ?? '';
    await client.query(
      `INSERT INTO messages (conversation_id, seq, public_seq, author_kind, author_id, text, created_at)
       SELECT $1, g, g,
              CASE WHEN g % 2 = 1 THEN 'visitor' ELSE 'operator' END,
              CASE WHEN g % 2 = 1 THEN c.visitor_id ELSE $2::uuid END,
              'Message number ' || g || CASE WHEN g % 7 = 0 THEN E'\\nwith a second line and a link https://shop.example/p/' || g ELSE '' END,
              now() - make_interval(secs => ($3::int - g) * 5)
       FROM conversations AS c CROSS JOIN generate_series(1, $3::int) AS g
       WHERE c.id = $1`,
      [bigConversationId, operatorId, bigMessages],
    );
    await client.query('COMMIT');
    await client.query('ANALYZE');
    const counts = await client.query<{ conversations: string; messages: string }>(
      `SELECT (SELECT count(*) FROM conversations) AS conversations, (SELECT count(*) FROM messages) AS messages`,
    );
    return {
      siteId,
      bigConversationId,
      bigVisitorName: BIG_VISITOR_NAME,
      conversations: Number(counts.rows[0]?.conversations),
      messages: Number(counts.rows[0]?.messages),
    } satisfies Seeded;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => {});
    throw error;
  } finally {
    await client.end();
  }
}
