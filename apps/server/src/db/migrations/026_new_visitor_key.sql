-- A new visitor's own key (issue 12, the loader's tracking). The loader's first batch has no token:
-- its answer brings one, but a page left before that answer is read loses it, and the next page was
-- a stranger again (one person split into several profiles, an operator's proactive chat sent to a
-- profile nobody is on any more). So the loader makes a random key (128 bits) at once, keeps it in
-- the site's storage until a token arrives, and sends it with every batch that has no token; the
-- first such batch creates the visitor with it, the later ones find that visitor (for an hour after
-- its creation, and only while its tokens were never revoked; modules/tracking/commands.ts).
ALTER TABLE visitors
  ADD COLUMN new_visitor_key text CHECK (length(new_visitor_key) BETWEEN 16 AND 64);

-- Concurrent batches with one key (a beacon beside a fetch) converge on one visitor.
CREATE UNIQUE INDEX visitors_new_visitor_key ON visitors (site_id, new_visitor_key)
  WHERE new_visitor_key IS NOT NULL;
