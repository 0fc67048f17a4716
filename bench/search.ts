/**
 * The search benchmark (issue 11). Two parts, one run:
 *
 * 1. Latency: Parley as `npm start` runs it on a fresh database of the machine's PostgreSQL, seeded
 *    with set-based SQL (generate_series) with N messages in Russian, English and Armenian from a
 *    shop's vocabulary, over three sites; then p50/p95 of typical searches through the real API
 *    (`GET /api/search`, logged in): a common word, a word form, a phrase, a word beginning, a typo
 *    (the trigram fallback), a rare word, and a word on one site. Target: p95 under 200 ms.
 * 2. What search costs a message: the message-path benchmark (bench/message-path.ts) run on
 *    `parley-local-no-search` (the search queue's trigger dropped) and `parley-local`, one after the other
 *    in the same run; its figures are read from the JSON it saves.
 *
 *   node --import tsx bench/search.ts [--messages 1000000] [--runs 20] [--no-index-cost]
 *     [--mp-visitors 2000] [--mp-steps 1000,1500,2000,3000] [--no-docs]
 *
 * Results: console and the "Search" section of docs/benchmarks.md.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { API_PATHS, type SearchResults } from '@parley/protocol';
import pg from 'pg';
import { api, loginOperator } from '../apps/server/src/testing/clients.js';
import { createTestDatabase } from '../apps/server/src/testing/databases.js';
import { E2E_ADMIN, startParleyProcess } from '../e2e/support/parley-process.js';
import type { RunResult } from './message-path-report.js';

const { values: args } = parseArgs({
  options: {
    messages: { type: 'string', default: '1000000' },
    runs: { type: 'string', default: '20' },
    'no-index-cost': { type: 'boolean', default: false },
    'mp-visitors': { type: 'string', default: '2000' },
    'mp-steps': { type: 'string', default: '1000,1500,2000,3000' },
    'no-docs': { type: 'boolean', default: false },
    /** Leave the seeded database for EXPLAIN ANALYZE (its URL is printed; drop it yourself). */
    'keep-database': { type: 'boolean', default: false },
  },
});
const MESSAGES = Number(args.messages);
const RUNS = Number(args.runs);
const PER_CONVERSATION = 10;
const repoRoot = fileURLToPath(new URL('../', import.meta.url));

// ---- The vocabulary: what shop chats say, in three languages -------------------------------------

const PHRASES = {
  ru: [
    'Здравствуйте, где мой заказ?',
    'Когда будет доставка?',
    'Можно оформить доставку в Ереван?',
    'Заказ оплачен, но статус не изменился',
    'Хочу вернуть товар, он не подошёл по размеру',
    'Какой размер мне подойдёт?',
    'Есть ли эта модель в другом цвете?',
    'Спасибо за быструю доставку!',
    'Курьер не приехал в назначенное время',
    'Можно изменить адрес доставки?',
    'Подскажите, сколько стоит доставка до двери',
    'Оплата картой прошла, а заказа нет в личном кабинете',
    'Номер заказа указан в письме',
    'Товар пришёл с повреждённой упаковкой',
    'Как оформить возврат денег?',
    'Посмотрю на складе и вернусь с ответом',
    'Ваш заказ передан в службу доставки',
    'Мы вышлем трек-номер сегодня вечером',
    'Скидка действует до конца недели',
    'Промокод не применяется к корзине',
    'Нужна консультация по гарантии',
    'Можно забрать заказ самовывозом?',
    'Добрый день! Чем могу помочь?',
    'Подождите минуту, уточняю у коллег',
    'Размеры в таблице указаны в сантиметрах',
  ],
  en: [
    'Hi, where is my order?',
    'When will the delivery arrive?',
    'Can you ship to Yerevan?',
    'My order is paid but the status did not change',
    'I would like to return these shoes, they do not fit',
    'Which size should I choose?',
    'Is this model available in another colour?',
    'Thanks for the quick delivery!',
    'The courier did not come at the agreed time',
    'Can I change the delivery address?',
    'How much does shipping to my door cost?',
    'The card payment went through but I cannot see the order',
    'The order number is in the email',
    'The parcel arrived with damaged packaging',
    'How do I get a refund?',
    'Let me check the warehouse and get back to you',
    'Your order has been handed to the courier',
    'We will send the tracking number tonight',
    'The discount is valid until the end of the week',
    'The promo code does not apply to my cart',
    'I need advice on the warranty',
    'Can I pick up my order in the store?',
    'Good afternoon! How can I help?',
    'One moment please, I am asking my colleagues',
    'Please track my order for me',
  ],
  hy: [
    'Բարև ձեզ, որտե՞ղ է իմ պատվերը',
    'Ե՞րբ կլինի առաքումը',
    'Հնարավո՞ր է առաքել Երևան',
    'Պատվերը վճարված է, բայց կարգավիճակը չի փոխվել',
    'Ուզում եմ վերադարձնել ապրանքը, չափսը չհամապատասխանեց',
    'Ո՞ր չափսն ինձ կհամապատասխանի',
    'Այս մոդելը այլ գույնով կա՞',
    'Շնորհակալություն արագ առաքման համար',
    'Առաքիչը չեկավ նշանակված ժամին',
    'Կարո՞ղ եմ փոխել առաքման հասցեն',
    'Որքա՞ն արժե առաքումը մինչև դուռ',
    'Քարտով վճարումն անցավ, բայց պատվերները չեմ տեսնում',
    'Պատվերի համարը նշված է նամակում',
    'Ապրանքը եկավ վնասված փաթեթավորմամբ',
    'Ինչպե՞ս ստանալ գումարի վերադարձը',
    'Կստուգեմ պահեստում և կպատասխանեմ',
    'Ձեր պատվերը փոխանցվել է առաքման ծառայությանը',
    'Հետևելու համարը կուղարկենք այսօր երեկոյան',
    'Զեղչը գործում է մինչև շաբաթվա վերջ',
    'Պրոմոկոդը չի կիրառվում զամբյուղի համար',
    'Ինձ պետք է խորհրդատվություն երաշխիքի վերաբերյալ',
    'Կարո՞ղ եմ պատվերը վերցնել խանութից',
    'Բարի օր, ինչո՞վ կարող եմ օգնել',
    'Մի րոպե, ճշտում եմ գործընկերներիցս',
    'Չափսերը աղյուսակում նշված են սանտիմետրերով',
  ],
};

const sqlArray = (items: string[]) => `ARRAY[${items.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]`;

/**
 * One site's worth of people and talk, all in SQL: visitors (a quarter named, a fifth with an
 * email), one conversation each, ten messages each in the conversation's language (one of three,
 * by its number), each one to three phrases and now and then an article number (a rare word),
 * spread over the last 180 days.
 */
function seedSql(adminId: string, conversations: number): string {
  return `
    CREATE TEMP TABLE bench_sites AS
      SELECT id, row_number() OVER (ORDER BY created_at, id) - 1 AS n FROM sites;
    INSERT INTO visitors (site_id, name, email, first_seen_at, last_seen_at)
      SELECT (SELECT id FROM bench_sites WHERE n = g % 3),
             CASE WHEN g % 4 = 0 THEN (ARRAY['Анна','Арам','John','Мариам','Ivan','Lilit'])[1 + g % 6] || ' ' || g END,
             CASE WHEN g % 5 = 0 THEN 'customer' || g || '@mail.example' END,
             now() - (g % 180) * interval '1 day', now() - (g % 180) * interval '1 day'
      FROM generate_series(1, ${conversations}) g;
    CREATE TEMP TABLE bench_conversations AS
      SELECT v.id AS visitor_id, v.site_id, v.first_seen_at AS at, row_number() OVER (ORDER BY v.id) AS n
      FROM visitors v;
    INSERT INTO conversations (site_id, visitor_id, status, last_seq, last_public_seq, created_at, last_activity_at, closed_at)
      SELECT site_id, visitor_id, 'closed', ${PER_CONVERSATION}, ${PER_CONVERSATION}, at, at + interval '1 hour', at + interval '1 hour'
      FROM bench_conversations;
    INSERT INTO messages (conversation_id, seq, public_seq, visibility, author_kind, author_id, text, created_at)
      SELECT c.id, s, s, 'public',
             CASE WHEN s % 2 = 1 THEN 'visitor' ELSE 'operator' END,
             CASE WHEN s % 2 = 1 THEN c.visitor_id ELSE '${adminId}'::uuid END,
             -- k in the aggregate's argument keeps it at the subquery's level (else it would aggregate the outer query).
             (SELECT string_agg(phrases[1 + floor(random() * array_length(phrases, 1))::int + k * 0], ' ')
                FROM generate_series(1, 1 + (s + bc.n)::int % 3) k
                WHERE k > 0 AND bc.n > 0)
               || CASE WHEN random() < 0.1 THEN ' ' || (ARRAY['артикул','item','ապրանք'])[1 + bc.n % 3] || ' ' || (10000 + floor(random() * 90000))::int ELSE '' END,
             c.created_at + s * interval '1 minute'
      FROM conversations c
      JOIN bench_conversations bc ON bc.visitor_id = c.visitor_id
      CROSS JOIN generate_series(1, ${PER_CONVERSATION}) s
      CROSS JOIN LATERAL (SELECT CASE bc.n % 3
        WHEN 0 THEN ${sqlArray(PHRASES.ru)}
        WHEN 1 THEN ${sqlArray(PHRASES.en)}
        ELSE ${sqlArray(PHRASES.hy)} END AS phrases) p;`;
}

// ---- Part 1: latency --------------------------------------------------------------------------------

interface QueryCase {
  label: string;
  q: string;
  site?: boolean;
}

const CASES: QueryCase[] = [
  { label: 'common word (ru)', q: 'доставка' },
  { label: 'common word (en)', q: 'delivery' },
  { label: 'common word (hy)', q: 'առաքումը' },
  { label: 'word form (ru: заказа → заказ)', q: 'заказа' },
  { label: 'word form (en: orders → order)', q: 'orders' },
  { label: 'word form (hy: պատվերներից)', q: 'պատվերներից' },
  { label: 'phrase (ru)', q: '"адрес доставки"' },
  { label: 'phrase (en)', q: '"track my order"' },
  { label: 'two words (ru)', q: 'возврат денег' },
  { label: 'word beginning (ru: гаран…)', q: 'гаран' },
  { label: 'word beginning (en: warra…)', q: 'warra' },
  { label: 'typo (ru: упаковкай)', q: 'упаковкай' },
  { label: 'typo (en: warehuose)', q: 'warehuose' },
  { label: 'rare word (article number)', q: '54321' },
  { label: 'common word, one site', q: 'курьер', site: true },
  { label: 'visitor by email part', q: 'customer4242' },
];

interface CaseResult extends QueryCase {
  p50: number;
  p95: number;
  hits: number;
  match: string;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

async function measureLatency(): Promise<{
  results: CaseResult[];
  seedSeconds: number;
  indexSeconds: number;
  facts: string;
}> {
  const database = await createTestDatabase('parley_bench_search');
  const parley = await startParleyProcess({ database: { url: database.url } });
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    await client.query('SET statement_timeout = 0');
    await client.query("SET maintenance_work_mem = '256MB'");
    const conversations = Math.ceil(MESSAGES / PER_CONVERSATION);
    await client.query(
      "INSERT INTO sites (name, public_key) VALUES ('Bench shop 2', 'bench-2'), ('Bench shop 3', 'bench-3')",
    );
    await client.query(
      'INSERT INTO site_operators (site_id, operator_id) SELECT s.id, o.id FROM sites s CROSS JOIN operators o ON CONFLICT DO NOTHING',
    );
    const admin = await client.query<{ id: string }>('SELECT id FROM operators ORDER BY created_at LIMIT 1');
    // Bulk load first, search rows and indexes after (as the migration does for existing messages):
    // the index definitions are the migration's own.
    const { rows: indexes } = await client.query<{ def: string; name: string }>(
      `SELECT indexname AS name, indexdef AS def FROM pg_indexes WHERE indexname IN
       ('message_search_vector', 'message_search_created_at', 'search_words_trigrams', 'visitors_search_trigrams')`,
    );
    for (const index of indexes) await client.query(`DROP INDEX ${index.name}`);
    await client.query('ALTER TABLE messages DISABLE TRIGGER messages_search_index');
    let started = performance.now();
    console.log(`seeding ${conversations} conversations, ${conversations * PER_CONVERSATION} messages…`);
    await client.query(seedSql(admin.rows[0]?.id ?? '', conversations));
    const seedSeconds = (performance.now() - started) / 1000;
    console.log(`  seeded in ${seedSeconds.toFixed(0)} s; building the search rows and indexes…`);
    started = performance.now();
    await client.query(`INSERT INTO message_search (message_id, site_id, created_at, vector)
      SELECT m.id, c.site_id, m.created_at, parley_search_vector(m.text)
      FROM messages m JOIN conversations c ON c.id = m.conversation_id`);
    await client.query(`INSERT INTO search_words (word)
      SELECT DISTINCT w FROM message_search, unnest(tsvector_to_array(vector)) AS w
      WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[-0-9@./:_]' ON CONFLICT DO NOTHING`);
    await client.query('ALTER TABLE messages ENABLE TRIGGER messages_search_index');
    for (const index of indexes) await client.query(index.def);
    const indexSeconds = (performance.now() - started) / 1000;
    await client.query('VACUUM ANALYZE messages');
    await client.query('VACUUM ANALYZE visitors');
    await client.query('VACUUM ANALYZE conversations');
    await client.query('VACUUM ANALYZE message_search');
    await client.query('VACUUM ANALYZE search_words');
    const { rows: sizes } = await client.query<{ name: string; size: string }>(
      `SELECT c.relname AS name, pg_size_pretty(pg_relation_size(c.oid)) AS size FROM pg_class c
       WHERE c.relname IN ('messages', 'message_search', 'message_search_vector', 'message_search_created_at', 'search_words')
       ORDER BY c.relname`,
    );
    const count = await client.query<{ n: string }>('SELECT count(*) AS n FROM messages');
    const facts =
      `${Number(count.rows[0]?.n).toLocaleString('en')} messages in ${conversations.toLocaleString('en')} conversations on 3 sites; ` +
      `search rows and indexes built in ${indexSeconds.toFixed(0)} s; sizes: ${sizes.map((s) => `${s.name} ${s.size}`).join(', ')}`;
    console.log(`  ${facts}`);

    const session = await loginOperator(parley.url, E2E_ADMIN.email, E2E_ADMIN.password);
    const siteId = session.sites[0]?.id ?? '';
    const results: CaseResult[] = [];
    for (const c of CASES) {
      const query = new URLSearchParams({ q: c.q, ...(c.site && { siteId }) });
      const times: number[] = [];
      let last: SearchResults | undefined;
      for (let i = 0; i < RUNS + 2; i++) {
        const t0 = performance.now();
        const { body } = await api<SearchResults>(parley.url, `${API_PATHS.search}?${query}`, {
          cookie: session.cookie,
        });
        if (i >= 2) times.push(performance.now() - t0);
        last = body;
      }
      times.sort((a, b) => a - b);
      const result = {
        ...c,
        p50: percentile(times, 50),
        p95: percentile(times, 95),
        hits: (last?.messages.length ?? 0) + (last?.visitors.length ?? 0),
        match: last?.match ?? '?',
      };
      results.push(result);
      console.log(
        `  ${c.label.padEnd(36)} p50 ${result.p50.toFixed(1).padStart(6)} ms  p95 ${result.p95.toFixed(1).padStart(6)} ms  (${result.hits} on the first page, ${result.match})`,
      );
    }
    return { results, seedSeconds, indexSeconds, facts };
  } finally {
    await client.end();
    await parley.stop();
    if (args['keep-database']) console.log(`kept ${database.url}`);
    else await database.drop();
  }
}

// ---- Part 2: what the index costs a message -----------------------------------------------------------

async function measureIndexCost(): Promise<RunResult> {
  const argv = [
    '--import',
    'tsx',
    'bench/message-path.ts',
    '--targets',
    'parley-local-no-search,parley-local',
    '--visitors',
    args['mp-visitors'],
    '--steps',
    args['mp-steps'],
    '--no-docs',
  ];
  const output = await new Promise<string>((resolve, reject) => {
    const child = spawn(process.execPath, argv, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      process.stdout.write(chunk);
    });
    child.once('exit', (code) =>
      code === 0 ? resolve(text) : reject(new Error(`message-path exited ${code}`)),
    );
  });
  const file = /Results: (\S+\.json)/.exec(output)?.[1];
  if (!file) throw new Error('message-path printed no results file');
  return JSON.parse(await readFile(file, 'utf8')) as RunResult;
}

// ---- Report -----------------------------------------------------------------------------------------------

const MARK_START = '<!-- search:start -->';
const MARK_END = '<!-- search:end -->';

function markdown(
  date: string,
  machine: string,
  latency: Awaited<ReturnType<typeof measureLatency>>,
  cost: RunResult | null,
): string {
  const command = `node --import tsx bench/search.ts ${process.argv.slice(2).join(' ')}`.trim();
  const worst = Math.max(...latency.results.map((r) => r.p95));
  const lines = [
    '## Search',
    '',
    `Command: \`${command}\``,
    '',
    `Run ${date} on ${machine}. The machine is shared and noisy (seven other people's builds and browser tests ran meanwhile): read the figures as an order of magnitude and compare within this run. Database: the machine's PostgreSQL; ${latency.facts}. Seeded with set-based SQL in ${latency.seedSeconds.toFixed(0)} s (\`bench/search.ts\`). Each query ${RUNS} times through \`GET /api/search\` (logged in, over HTTP on 127.0.0.1) after 2 warm-ups; times include the HTTP round trip and presenting the first page (50 hits, newest first, with marks).`,
    '',
    '| query | typed | p50 ms | p95 ms | first page | found by |',
    '| --- | --- | --- | --- | --- | --- |',
    ...latency.results.map(
      (r) =>
        `| ${r.label} | \`${r.q}\`${r.site ? ' + siteId' : ''} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.hits} | ${r.match} |`,
    ),
    '',
    `Target: p95 under 200 ms. Worst p95 above: ${worst.toFixed(0)} ms — ${worst < 200 ? 'met' : 'MISSED'}.`,
  ];
  if (cost) {
    const by = (name: string) => cost.targets.find((t) => t.name === name);
    const without = by('parley-local-no-search');
    const withIndex = by('parley-local');
    const row = (label: string, t: typeof without) =>
      t
        ? `| ${label} | ${t.fixed.delivery.p50.toFixed(1)} | ${t.fixed.delivery.p99.toFixed(1)} | ${Math.round(t.fixed.postgresCpu * 100)} % | ${t.database?.walRecordsPerMessage.toFixed(1) ?? '?'} | ${t.sustainedRate} | ${t.steps.map((s) => `${s.targetRate}: p99 ${s.delivery.p99.toFixed(0)}`).join(', ')} |`
        : `| ${label} | — | — | — | — | — | — |`;
    lines.push(
      '',
      '### What keeping the search index costs a message',
      '',
      `The message-path benchmark in the same run (\`${cost.command}\`, ${cost.config.visitors} visitors, ${cost.config.rate} msg/s for ${cost.config.durationSec} s, then steps ${cost.config.steps.join(', ')} msg/s of ${cost.config.stepSec} s): Parley on the machine's PostgreSQL without search's indexing (\`parley-local-no-search\`), then as shipped (\`parley-local\`). A statement trigger on \`messages\` queues each message's id (\`search_pending\`), and the search indexer writes its \`message_search\` row (two-language tsvector; GIN with \`fastupdate\`; a btree on \`created_at\`; the primary key) and new vocabulary words in batches after the commit (migration 025); \`parley-local-no-search\` is the same code with that trigger dropped.`,
      '',
      `| target | p50 ms at ${cost.config.rate} msg/s | p99 ms | PG CPU | WAL records / msg | sustained msg/s | steps (p99 ms) |`,
      '| --- | --- | --- | --- | --- | --- | --- |',
      row('without search indexing', without),
      row('with search indexing', withIndex),
    );
  }
  return lines.join('\n');
}

async function writeDocs(section: string): Promise<void> {
  const docs = `${repoRoot}docs/benchmarks.md`;
  const current = existsSync(docs) ? await readFile(docs, 'utf8') : '# Benchmarks\n';
  const block = `${MARK_START}\n${section}\n${MARK_END}`;
  const start = current.indexOf(MARK_START);
  const end = current.indexOf(MARK_END);
  const next =
    start >= 0 && end > start
      ? current.slice(0, start) + block + current.slice(end + MARK_END.length)
      : `${current.trimEnd()}\n\n${block}\n`;
  await writeFile(docs, next);
}

async function main(): Promise<void> {
  const cpu = cpus();
  const date = new Date().toISOString();
  const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}, load average ${loadavg()[0]?.toFixed(2)} at start`;
  const latency = await measureLatency();
  const cost = args['no-index-cost'] ? null : await measureIndexCost();
  const section = markdown(date, machine, latency, cost);
  console.log(`\n${section}`);
  if (!args['no-docs']) await writeDocs(section);
}

main()
  .then(() => process.exit(0))
  .catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
