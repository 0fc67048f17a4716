-- Canned replies and mentions in notes (issue 11).
--
-- A canned reply belongs to a site: shared by its operators when owner_id is null, else one
-- operator's own. A shortcut is unique within its scope (the site's shared set, or one operator's
-- set on that site), compared case-insensitively: `/Price` and `/price` would be the same key.
CREATE TABLE canned_replies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  owner_id uuid REFERENCES operators (id) ON DELETE CASCADE,
  shortcut text NOT NULL,
  title text NOT NULL,
  body text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX canned_replies_shared_shortcut
  ON canned_replies (site_id, lower(shortcut)) WHERE owner_id IS NULL;
CREATE UNIQUE INDEX canned_replies_personal_shortcut
  ON canned_replies (site_id, owner_id, lower(shortcut)) WHERE owner_id IS NOT NULL;

-- An operator named in a note: kept until read, so an operator who was offline sees it later.
-- One row per (message, operator): a retried note, announced again, mentions nobody twice.
CREATE TABLE mentions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  message_id uuid NOT NULL REFERENCES messages (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  UNIQUE (message_id, operator_id)
);
-- The mentions list, newest first, and its unread count.
CREATE INDEX mentions_by_operator ON mentions (operator_id, created_at DESC, id DESC);
