-- Presence (the widget's session start, the console's team list) counts each operator's open
-- conversations. Without an index that count read every open conversation of the site: 334 ms per
-- call at 300,000 open conversations. Only open ones are ever counted, so the index holds only them.
CREATE INDEX conversations_open_by_assignee ON conversations (assignee_id) WHERE status = 'open';
