-- Search over messages and visitors (the console's search box; see modules/search/).
--
-- Which language a message is in is not chosen at all: every message is indexed in all the
-- languages Parley speaks, one tsvector built from two configurations concatenated.
--  * `russian` stems Cyrillic words with the Russian stemmer and maps ASCII words to `english_stem`
--    (PostgreSQL's own mapping), so it is the English configuration too for the words English has;
--    adding `english` would only repeat the same lexemes.
--  * `armenian` stems Armenian words (and leaves other scripts as lowercased words).
-- A site's language setting would not do: one shop gets Russian, Armenian and English messages,
-- often mixed in one conversation, and "auto" sites have no language at all. Stemmers only change
-- words of their own script, so a word never matches a wrong-language stem by accident.
--
-- PostgreSQL has shipped `armenian` since 14. On a server without it, `simple` takes its place
-- (Armenian words indexed as written; the search's prefix matching still finds their forms).
--
-- The functions are IMMUTABLE (a fixed configuration each), so a stored tsvector built with one
-- always means the same.
DO $$
DECLARE
  second_config text := CASE WHEN EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'armenian')
    THEN 'armenian' ELSE 'simple' END;
BEGIN
  EXECUTE format($f$
    CREATE FUNCTION parley_search_vector(body text) RETURNS tsvector
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN to_tsvector('russian'::regconfig, body) || to_tsvector(%1$L::regconfig, body)$f$, second_config);
  -- What a person typed (websearch syntax: "a phrase", -word, or), read in each language.
  EXECUTE format($f$
    CREATE FUNCTION parley_search_query(typed text) RETURNS tsquery
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN websearch_to_tsquery('russian'::regconfig, typed) || websearch_to_tsquery(%1$L::regconfig, typed)$f$,
    second_config);
  -- One word as the start of a word, in each language: `заказ` finds `заказы`, `deliv` finds `delivery`.
  -- The word goes inside a quoted tsquery literal, where only ' and \ mean anything: both are dropped,
  -- so no input can be read as tsquery syntax.
  EXECUTE format($f$
    CREATE FUNCTION parley_prefix_query(word text) RETURNS tsquery
      LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
      RETURN to_tsquery('russian'::regconfig, '''' || replace(replace(word, '\', ''), '''', '') || ''':*')
          || to_tsquery(%1$L::regconfig, '''' || replace(replace(word, '\', ''), '''', '') || ''':*')$f$,
    second_config);
  -- The body with the words that match marked (U+E000 before, U+E001 after), once per configuration:
  -- the caller merges the two (a word may match in either). HighlightAll keeps the text verbatim;
  -- the caller removes those two characters from the body first, so only the marks are marks.
  EXECUTE format($f$
    CREATE FUNCTION parley_search_marks(body text, query tsquery) RETURNS text[]
      LANGUAGE sql STABLE PARALLEL SAFE STRICT
      RETURN ARRAY[
        ts_headline('russian'::regconfig, body, query, 'HighlightAll=true, StartSel=' || chr(57344) || ', StopSel=' || chr(57345)),
        ts_headline(%1$L::regconfig, body, query, 'HighlightAll=true, StartSel=' || chr(57344) || ', StopSel=' || chr(57345))
      ]$f$,
    second_config);
END $$;

-- What search reads, one row per message, in a table of its own, written by a trigger in the
-- message's own transaction: the message path's statement (append-message.ts) is unchanged, and
-- `messages` rows and reads carry no tsvector. The tsvector is stored, not an index expression:
-- a phrase, and every row a newest-first scan passes, is checked against the stored value (a
-- microsecond) instead of parsing the text again in two languages (~90 µs each, measured). The
-- site is copied so the site filter needs no join.
CREATE TABLE message_search (
  message_id uuid PRIMARY KEY,
  site_id uuid NOT NULL,
  created_at timestamptz NOT NULL,
  vector tsvector NOT NULL
);
-- fastupdate stays on (the default): an insert appends to the index's pending list instead of
-- touching one posting tree per word, and the list is merged in bulk (by autovacuum or when it
-- passes gin_pending_list_limit). docs/benchmarks.md has what a message pays.
CREATE INDEX message_search_vector ON message_search USING gin (vector);
-- Results are newest first: for a common word search walks this backwards and stops after a page
-- of matches instead of fetching every match to sort it (modules/search/queries.ts decides which).
CREATE INDEX message_search_created_at ON message_search (created_at);

-- Typos and parts of words are found through the vocabulary, not through the messages: every
-- distinct lexeme ever indexed (no numbers, addresses, very short or long tokens). A misspelt word
-- is looked up here by trigram similarity (thousands of rows, not millions of messages), and the
-- words found are searched like typed ones. A trigram index over the messages themselves would be
-- written ~80 times per message and read through huge posting lists for common trigrams; the
-- vocabulary costs a message one probe of a unique index per word and writes only new words.
CREATE TABLE search_words (word text PRIMARY KEY);

CREATE FUNCTION parley_index_message() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  vector tsvector := parley_search_vector(NEW.text);
BEGIN
  INSERT INTO message_search (message_id, site_id, created_at, vector)
    SELECT NEW.id, c.site_id, NEW.created_at, vector FROM conversations c WHERE c.id = NEW.conversation_id;
  INSERT INTO search_words (word)
    SELECT w FROM unnest(tsvector_to_array(vector)) AS w
    WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[-0-9@./:_]'
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END $$;
CREATE TRIGGER messages_search_index AFTER INSERT ON messages
  FOR EACH ROW EXECUTE FUNCTION parley_index_message();

-- Messages go only with their conversation (a visitor's or site's deletion); their search rows go too.
CREATE FUNCTION parley_unindex_messages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM message_search s USING gone WHERE s.message_id = gone.id;
  RETURN NULL;
END $$;
CREATE TRIGGER messages_search_unindex AFTER DELETE ON messages
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION parley_unindex_messages();

-- Messages written before this migration.
INSERT INTO message_search (message_id, site_id, created_at, vector)
  SELECT m.id, c.site_id, m.created_at, parley_search_vector(m.text)
  FROM messages m JOIN conversations c ON c.id = m.conversation_id;
INSERT INTO search_words (word)
  SELECT DISTINCT w FROM message_search, unnest(tsvector_to_array(vector)) AS w
  WHERE length(w) BETWEEN 3 AND 40 AND w !~ '[-0-9@./:_]'
ON CONFLICT DO NOTHING;

-- Trigrams: pg_trgm, a trusted extension (a database owner may create it without being a
-- superuser). Where it cannot be created, search works without typo tolerance: modules/search
-- checks for it.
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
EXCEPTION WHEN OTHERS THEN
  RAISE NOTICE 'pg_trgm is not available (%): search will not forgive typos', SQLERRM;
END $$;

DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm') THEN
    CREATE INDEX search_words_trigrams ON search_words USING gin (word gin_trgm_ops);
    -- Visitors are found by name or email, also by a part ("ivan", "@mail.ru"); most visitors have
    -- neither, and the partial index leaves them out.
    CREATE INDEX visitors_search_trigrams ON visitors
      USING gin ((coalesce(name, '') || ' ' || coalesce(email, '')) gin_trgm_ops)
      WHERE name IS NOT NULL OR email IS NOT NULL;
  END IF;
END $$;
