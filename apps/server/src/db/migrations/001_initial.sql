-- Parley's initial schema. Migrations are forward-only: never edit a released file, add a new one.

CREATE TABLE installation_secrets (
  name text PRIMARY KEY,
  value text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE sites (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL,
  public_key text NOT NULL UNIQUE,
  allowed_origins text[] NOT NULL DEFAULT '{}',
  settings jsonb NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE operators (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  password_hash text NOT NULL,
  display_name text NOT NULL,
  avatar_url text,
  role text NOT NULL CHECK (role IN ('owner', 'admin', 'operator')),
  status text NOT NULL DEFAULT 'offline' CHECK (status IN ('online', 'away', 'offline')),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX operators_email_key ON operators (lower(email));

-- Which sites an operator works on: checked on every call.
CREATE TABLE site_operators (
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  PRIMARY KEY (site_id, operator_id)
);
CREATE INDEX site_operators_operator ON site_operators (operator_id);

-- Only a hash of the cookie token is stored: a leaked table does not log anyone in.
CREATE TABLE operator_sessions (
  token_hash text PRIMARY KEY,
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX operator_sessions_operator ON operator_sessions (operator_id);

CREATE TABLE visitors (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  name text,
  email text,
  phone text,
  language text,
  user_agent text,
  browser text,
  os text,
  country text,
  current_url text,
  current_title text,
  referrer text,
  attributes jsonb NOT NULL DEFAULT '{}',
  first_seen_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visitors_site ON visitors (site_id, last_seen_at DESC);

CREATE TABLE conversations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  visitor_id uuid NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  channel text NOT NULL DEFAULT 'chat' CHECK (channel IN ('chat', 'offline_request')),
  assignee_id uuid REFERENCES operators (id) ON DELETE SET NULL,
  -- The last sequence number handed out; incremented under the row lock, so seqs are gapless and ordered.
  last_seq integer NOT NULL DEFAULT 0,
  last_message_text text,
  last_message_author_kind text,
  last_message_at timestamptz,
  -- Visitor messages since the last operator reply, and since when the oldest of them waits.
  unanswered_count integer NOT NULL DEFAULT 0,
  waiting_since timestamptz,
  last_activity_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
-- A visitor has at most one open conversation: concurrent first messages cannot open two.
CREATE UNIQUE INDEX conversations_one_open_per_visitor ON conversations (visitor_id) WHERE status = 'open';
-- The inbox: newest activity first, keyset-paginated on (last_activity_at, id).
CREATE INDEX conversations_inbox ON conversations (site_id, status, last_activity_at DESC, id DESC);
CREATE INDEX conversations_inbox_channel ON conversations (site_id, channel, status, last_activity_at DESC, id DESC);
CREATE INDEX conversations_visitor ON conversations (visitor_id, created_at);

CREATE TABLE messages (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  seq integer NOT NULL,
  author_kind text NOT NULL CHECK (author_kind IN ('visitor', 'operator', 'system')),
  author_id uuid,
  client_id text,
  text text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (conversation_id, seq)
);
-- A sender's client id is unique across all their messages: a retry finds the first copy instead of writing a second.
CREATE UNIQUE INDEX messages_author_client_id ON messages (author_id, client_id) WHERE client_id IS NOT NULL;
