-- Search indexing leaves the message's transaction (issue 11: "the hot path did not slow down").
--
-- Until now a row trigger built each message's two-language tsvector (~180 µs of CPU), wrote its
-- `message_search` row with three indexes and probed every word into `search_words`, all inside the
-- transaction that stores the message — about 4 WAL records and most of a millisecond per message
-- (docs/benchmarks.md). Now the message's statement only queues its id (one heap row and one btree
-- entry, one row per statement's worth of messages written at once), and the search indexer
-- (modules/search/indexer.ts) indexes queued messages in batches, a fraction of a second later, on
-- whichever node claims them (FOR UPDATE SKIP LOCKED). The queue is a table, not memory: a crash
-- between the message's commit and its indexing loses nothing.
CREATE TABLE search_pending (
  -- Claimed oldest first; identity, so a batch is read through the index, not a scan.
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  message_id uuid NOT NULL
);

DROP TRIGGER messages_search_index ON messages;
DROP FUNCTION parley_index_message();

-- One statement, one insert of all its messages (the appender writes a batch in one statement).
CREATE FUNCTION parley_queue_for_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_pending (message_id) SELECT id FROM added;
  RETURN NULL;
END $$;
-- Same name as the trigger it replaces: the benchmark's "without search" target drops it by name.
CREATE TRIGGER messages_search_index AFTER INSERT ON messages
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION parley_queue_for_search();
