-- Email as a channel, inbound (issue 13): replies by mail landing in their conversations.
--
-- A message that came by email says so (`via`), so operators see it in the thread. A plain
-- nullable column without a default: adding it rewrites nothing, the hot append statement writes
-- nothing new (the inbound path sets it in its own transaction), and no index is added to messages.
ALTER TABLE messages ADD COLUMN via text CHECK (via IN ('email'));

-- Every mail that was posted, by its Message-ID (or a hash of the raw message when it has none):
-- the same mail delivered twice — an SMTP retry, or the built-in listener and a provider's webhook
-- both — lands once. Written in the transaction that posts the message. Refused and ignored mail is
-- only logged: storing it would let anyone fill this table.
CREATE TABLE inbound_mail (
  message_id text PRIMARY KEY,
  -- The reply address's token it came to (mail_threads.token; not a foreign key: the row outlives it).
  token text NOT NULL,
  -- Deleting a conversation (a visitor's data) deletes its rows, sender address included.
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  -- No foreign key: deleting messages must not probe this table row by row.
  posted_message_id uuid NOT NULL,
  outcome text NOT NULL CHECK (outcome IN ('posted')),
  sender text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbound_mail_conversation ON inbound_mail (conversation_id);
