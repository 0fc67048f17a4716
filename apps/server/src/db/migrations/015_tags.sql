-- Tags, close reasons and read receipts (issue 11).
--
-- Tags belong to a site; names are unique per site whatever their case. A conversation carries any
-- number of its site's tags; one of them may be the reason it was closed.
CREATE TABLE tags (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 40),
  color text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX tags_site_name ON tags (site_id, lower(name));

-- Kept out of `conversations`: a tag's row is written when an operator tags, never per message.
CREATE TABLE conversation_tags (
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  tag_id uuid NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
  -- The tag was chosen as the reason the conversation was closed (at most one per conversation).
  close_reason boolean NOT NULL DEFAULT false,
  added_by uuid REFERENCES operators (id) ON DELETE SET NULL,
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (conversation_id, tag_id)
);
-- The inbox filtered by a tag, and deleting a tag.
CREATE INDEX conversation_tags_tag ON conversation_tags (tag_id, conversation_id);
CREATE UNIQUE INDEX conversation_tags_one_reason ON conversation_tags (conversation_id) WHERE close_reason;

-- Read receipts: how far each side has read, on the conversation's row. No index on either: the row
-- is rewritten by every message, and an index here would be written (and WAL-logged) per message
-- too (docs/benchmarks.md). Updating only these columns leaves the row's indexed columns alone, so
-- PostgreSQL can do it as a HOT update.
ALTER TABLE conversations
  -- The last message the visitor has seen in the open chat, in the operators' numbering (`seq`).
  ADD COLUMN visitor_read_seq integer NOT NULL DEFAULT 0,
  -- How far an operator has read, in the visitor's numbering (`public_seq`): what the widget shows.
  ADD COLUMN operator_read_seq integer NOT NULL DEFAULT 0;
