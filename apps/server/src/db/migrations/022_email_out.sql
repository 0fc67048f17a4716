-- Email out (issue 13, the sending side). Mails themselves are outbox rows (topic `email.send`);
-- these tables and columns remember what was sent so nothing goes twice.

-- One row per mail the SMTP server accepted, keyed by the outbox row that caused it. Written right
-- after the server's 250 and read before every attempt: a worker that dies between the two sends no
-- second mail (and even in that last window the retry carries the same Message-ID, derived from
-- the row id, so mail clients fold the two into one).
CREATE TABLE mail_deliveries (
  outbox_id uuid PRIMARY KEY,
  message_id text NOT NULL,
  kind text NOT NULL CHECK (length(kind) BETWEEN 1 AND 40),
  recipient text NOT NULL,
  conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL,
  sent_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX mail_deliveries_conversation ON mail_deliveries (conversation_id) WHERE conversation_id IS NOT NULL;

-- Continuing by email: the last seq (operators' numbering) already put in a mail to the visitor.
-- Replies after it that the visitor hasn't read go in the next mail; none goes twice.
ALTER TABLE conversations ADD COLUMN emailed_through_seq integer NOT NULL DEFAULT 0;
-- A missed chat (no reply within the site's escalation limit) notifies operators once.
ALTER TABLE conversations ADD COLUMN missed_notified_at timestamptz;

-- Operators' email preferences, per kind, and the key of their unsubscribe links (one-click,
-- without a login: the key is unguessable and only turns notifications off).
ALTER TABLE operators ADD COLUMN mail_offline_requests boolean NOT NULL DEFAULT true;
ALTER TABLE operators ADD COLUMN mail_missed_chats boolean NOT NULL DEFAULT true;
ALTER TABLE operators ADD COLUMN mail_digest boolean NOT NULL DEFAULT true;
ALTER TABLE operators ADD COLUMN mail_key text NOT NULL
  DEFAULT replace(gen_random_uuid()::text, '-', '') || replace(gen_random_uuid()::text, '-', '');

-- Owners' digests: one per site and period, whichever node gets there first.
CREATE TABLE mail_digests (
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  period_start timestamptz NOT NULL,
  PRIMARY KEY (site_id, period_start)
);
