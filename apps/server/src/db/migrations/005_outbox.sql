-- The transactional outbox: work that must happen once after a commit and survive a crash
-- (emails, webhook deliveries, notifications, report updates). A row is inserted in the same
-- transaction as the change that causes it; workers on any node claim due rows with
-- FOR UPDATE SKIP LOCKED (see apps/server/src/outbox/).
--
-- next_attempt_at is when the row may next be claimed: for a pending row, after its backoff;
-- for a running row, when its lease ends (a worker that died is replaced then). attempts counts
-- claims, so a row whose handler keeps killing its worker also ends dead.
CREATE TABLE outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  topic text NOT NULL CHECK (length(topic) BETWEEN 1 AND 100),
  payload jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'running', 'done', 'dead')),
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL CHECK (max_attempts >= 1),
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  locked_by text,
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz
);

-- What the claim reads: due rows in order. Done and dead rows leave this index.
CREATE INDEX outbox_due ON outbox (next_attempt_at) WHERE status IN ('pending', 'running');
-- What pruning reads: done rows past their retention. Dead rows are kept for people to look at.
CREATE INDEX outbox_done ON outbox (finished_at) WHERE status = 'done';
