-- The team: deactivated members, sessions people can recognise and revoke, and one-time links
-- (invitations and password resets) of which only a hash is kept.

-- A deactivated operator keeps their row (their messages keep their name) but cannot log in.
ALTER TABLE operators ADD COLUMN deactivated_at timestamptz;

-- What the sessions list shows: which browser, and when it was last used (touched at most every few minutes).
ALTER TABLE operator_sessions ADD COLUMN user_agent text;
ALTER TABLE operator_sessions ADD COLUMN last_seen_at timestamptz NOT NULL DEFAULT now();

-- One-time links: an invitation (email + role, creates an operator) or a password reset (of an operator).
-- Only the SHA-256 of the token is stored; the link itself travels through the outbox to its delivery.
CREATE TABLE team_links (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('invitation', 'password_reset')),
  token_hash text NOT NULL UNIQUE,
  email text NOT NULL,
  role text CHECK (role IN ('owner', 'admin', 'operator')),
  -- The sites an invited colleague will work on.
  site_ids uuid[] NOT NULL DEFAULT '{}',
  operator_id uuid REFERENCES operators (id) ON DELETE CASCADE,
  created_by uuid REFERENCES operators (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  revoked_at timestamptz,
  CHECK ((kind = 'invitation') = (role IS NOT NULL)),
  CHECK ((kind = 'password_reset') = (operator_id IS NOT NULL))
);
-- One live invitation per email: a second is refused (re-send the first instead). Expired ones are
-- revoked by the next invitation to the same address before it is written.
CREATE UNIQUE INDEX team_links_one_invitation_per_email ON team_links (lower(email))
  WHERE kind = 'invitation' AND used_at IS NULL AND revoked_at IS NULL;
-- One live reset per operator: a new one replaces the old.
CREATE UNIQUE INDEX team_links_one_reset_per_operator ON team_links (operator_id)
  WHERE kind = 'password_reset' AND used_at IS NULL AND revoked_at IS NULL;

-- Where a link's delivery lands until Parley sends email: the console shows it to owners and admins to copy.
-- Written by the outbox handler (idempotent by link), deleted when the link is used, revoked or replaced.
CREATE TABLE team_link_deliveries (
  link_id uuid PRIMARY KEY REFERENCES team_links (id) ON DELETE CASCADE,
  url text NOT NULL,
  delivered_at timestamptz NOT NULL DEFAULT now()
);
