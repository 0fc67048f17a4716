-- Every message updates its conversation row, and since last_activity_at is indexed the update
-- writes a new entry into every index of the table. The Requests list only needs offline
-- requests indexed: a partial index skips that write for every chat message.
DROP INDEX conversations_inbox_channel;
CREATE INDEX conversations_requests ON conversations (site_id, last_activity_at DESC, id DESC)
  WHERE channel = 'offline_request';
