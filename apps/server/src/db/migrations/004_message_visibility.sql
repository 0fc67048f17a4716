-- Messages know their audience: public (the visitor sees it) or internal (a note among operators).
--
-- Visitors count their messages with their own gapless sequence, `public_seq`, taken from
-- `conversations.last_public_seq` under the same row lock as `seq`: a visitor resumes by it and
-- sees no gap where a note sits, so nothing tells them notes exist. Operators keep the full `seq`.
ALTER TABLE messages
  ADD COLUMN visibility text NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'internal')),
  ADD COLUMN public_seq integer;
UPDATE messages SET public_seq = seq;
ALTER TABLE messages
  ADD CONSTRAINT messages_public_seq_of_public CHECK ((visibility = 'public') = (public_seq IS NOT NULL));
-- The visitor's resume (`conversation.sync` after a public seq) and the proof that it has no duplicates.
CREATE UNIQUE INDEX messages_public_seq ON messages (conversation_id, public_seq) WHERE public_seq IS NOT NULL;

ALTER TABLE conversations
  ADD COLUMN last_public_seq integer NOT NULL DEFAULT 0,
  -- Whether the operators' row preview (last_message_*) is a note: the console marks it so.
  ADD COLUMN last_message_visibility text CHECK (last_message_visibility IN ('public', 'internal'));
UPDATE conversations SET last_public_seq = last_seq,
  last_message_visibility = CASE WHEN last_message_at IS NULL THEN NULL ELSE 'public' END;
