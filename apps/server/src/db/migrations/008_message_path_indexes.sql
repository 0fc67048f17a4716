-- Fewer index writes per message (measured in bench/message-path.ts, docs/benchmarks.md "Session 4").
--
-- Every message updates its conversation's row, and since that update changes `last_activity_at`
-- (in the inbox index) it is never HOT: it writes an entry into EVERY index of `conversations`.
-- And every message row writes one entry per index of `messages`. So an index on either table
-- costs a WAL record (and its page writes) per message, whatever it serves.

-- The visitor's resume (`conversation.sync` after a public seq) reads the `(conversation_id, seq)`
-- index instead: public_seq and seq are taken under the same row lock, so public_seq never exceeds
-- seq and both grow together (see listVisitorMessages). Their uniqueness per conversation comes from
-- that lock, as seq's does; seq's own unique index stays the check that the lock holds.
DROP INDEX messages_public_seq;

-- One index on a visitor's conversations instead of two. The key is the visitor plus a marker that
-- is true for an open conversation and NULL for a closed one: unique, since NULLs never collide,
-- so a visitor still has at most one open conversation (and concurrent first messages still
-- converge on it: ON CONFLICT names these expressions), and its leading column finds all of a
-- visitor's conversations (their history, the cascade when a visitor is deleted) as the dropped
-- (visitor_id, created_at) index did; a visitor has few, so ordering them costs nothing.
-- It keeps the unique index's name, which errors are recognised by.
CREATE UNIQUE INDEX conversations_visitor_open ON conversations (visitor_id, (CASE WHEN status = 'open' THEN true END));
DROP INDEX conversations_one_open_per_visitor;
DROP INDEX conversations_visitor;
ALTER INDEX conversations_visitor_open RENAME TO conversations_one_open_per_visitor;

-- Presence counts each operator's open conversations: only assigned ones can be counted, so the
-- index holds only those. A message to an unassigned conversation (a visitor waiting for a first
-- answer) then writes no entry into it; one to an assigned conversation still does.
CREATE INDEX conversations_open_by_assignee_only ON conversations (assignee_id)
  WHERE status = 'open' AND assignee_id IS NOT NULL;
DROP INDEX conversations_open_by_assignee;
ALTER INDEX conversations_open_by_assignee_only RENAME TO conversations_open_by_assignee;
