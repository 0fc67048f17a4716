-- Email as a channel (issue 13): the unguessable reply addresses that tie a mail to a conversation.
--
-- Every email about a conversation carries a Reply-To of `reply+<token>@<MAIL_REPLY_DOMAIN>`. The
-- visitor's token (operator_id null) lets a reply land as the visitor; an operator's own token (in
-- the notifications they get) lets their reply land as them. A token alone is not trusted: the
-- sender's address must match the visitor's email or the operator's (modules/mail/).
CREATE TABLE mail_threads (
  token text PRIMARY KEY CHECK (token ~ '^[a-z2-7]{26}$'),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  operator_id uuid REFERENCES operators (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- One address per conversation and side: every mail of a conversation threads under the same one.
CREATE UNIQUE INDEX mail_threads_side ON mail_threads (
  conversation_id, coalesce(operator_id, '00000000-0000-0000-0000-000000000000'::uuid)
);
