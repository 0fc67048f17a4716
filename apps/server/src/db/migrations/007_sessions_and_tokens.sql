-- Expired operator sessions are swept by every node now and then (modules/operators/sessions.ts):
-- the index keeps that a look at the dead rows only.
CREATE INDEX operator_sessions_expiry ON operator_sessions (expires_at);

-- Visitor tokens carry the generation they were signed in; raising it revokes every token
-- the visitor holds in one write (modules/visitors/tokens.ts).
ALTER TABLE visitors ADD COLUMN token_generation integer NOT NULL DEFAULT 0;
