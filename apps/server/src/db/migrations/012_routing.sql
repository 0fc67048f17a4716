-- Routing: departments, per-operator chat limits, automatic assignment, the waiting queue,
-- transfers and invited colleagues, escalation of chats that wait too long.

-- How a site routes new conversations, and when a waiting chat escalates. One row per site,
-- created on first change: a site without a row uses the defaults below (modules/routing/settings.ts).
CREATE TABLE site_routing (
  site_id uuid PRIMARY KEY REFERENCES sites (id) ON DELETE CASCADE,
  mode text NOT NULL DEFAULT 'auto' CHECK (mode IN ('auto', 'queue')),
  alert_after_seconds integer NOT NULL DEFAULT 30 CHECK (alert_after_seconds BETWEEN 5 AND 3600),
  escalate_after_seconds integer NOT NULL DEFAULT 60 CHECK (escalate_after_seconds BETWEEN 5 AND 3600),
  -- Whether the widget asks the visitor to pick a department before the first message.
  department_picker boolean NOT NULL DEFAULT false
);

CREATE TABLE departments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  name text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX departments_site_name ON departments (site_id, lower(name));

CREATE TABLE department_operators (
  department_id uuid NOT NULL REFERENCES departments (id) ON DELETE CASCADE,
  operator_id uuid NOT NULL REFERENCES operators (id) ON DELETE CASCADE,
  PRIMARY KEY (department_id, operator_id)
);
CREATE INDEX department_operators_operator ON department_operators (operator_id);

-- The concurrent-chat limit, and when the operator was last given a chat: ties in automatic
-- assignment go to whoever waited longest (never assigned first).
ALTER TABLE operators
  ADD COLUMN chat_limit integer NOT NULL DEFAULT 5 CHECK (chat_limit BETWEEN 0 AND 100),
  ADD COLUMN last_assigned_at timestamptz;

ALTER TABLE conversations
  ADD COLUMN department_id uuid REFERENCES departments (id) ON DELETE SET NULL,
  -- Colleagues invited in besides the assignee: they see and reply like the assignee.
  ADD COLUMN participant_ids uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN assigned_at timestamptz,
  -- 0: none; 1: the assignee was alerted (no reply within alert_after_seconds); 2: every online
  -- operator of the site sees it and may take it (escalate_after_seconds). Reset by a public reply.
  ADD COLUMN escalation smallint NOT NULL DEFAULT 0 CHECK (escalation BETWEEN 0 AND 2);

-- The queue: unassigned open chats with a waiting visitor, oldest first.
CREATE INDEX conversations_queue ON conversations (site_id, waiting_since, id)
  WHERE status = 'open' AND assignee_id IS NULL AND waiting_since IS NOT NULL;
-- The escalation sweep reads only open chats that wait and are not yet fully escalated.
CREATE INDEX conversations_escalation ON conversations (waiting_since)
  WHERE status = 'open' AND waiting_since IS NOT NULL AND escalation < 2;

-- Every hand-over of a conversation: whom from, to whom (or which department), and why. A transfer
-- back to someone who handed it away before needs a reason (no ping-pong).
CREATE TABLE conversation_transfers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
  from_operator_id uuid REFERENCES operators (id) ON DELETE SET NULL,
  to_operator_id uuid REFERENCES operators (id) ON DELETE SET NULL,
  to_department_id uuid REFERENCES departments (id) ON DELETE SET NULL,
  reason text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_transfers_conversation ON conversation_transfers (conversation_id, created_at);
