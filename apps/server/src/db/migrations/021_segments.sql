-- Segments (issue 12): a site's saved rules over its visitors. `conditions` is the typed JSON the
-- console's form sends (SegmentCondition[] in @parley/protocol), validated before it is stored and
-- compiled to one parameterized SQL predicate when read (modules/segments/compiler.ts): membership
-- is always as of now, nothing is precomputed.
CREATE TABLE segments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  color text NOT NULL,
  conditions jsonb NOT NULL CHECK (jsonb_typeof(conditions) = 'array'),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX segments_site_name ON segments (site_id, lower(name));

-- Segments count one visitor's page views and events over a window: these keep that an index range
-- per visitor instead of a scan of the visitor's whole history.
CREATE INDEX page_views_visitor_viewed ON page_views (visitor_id, viewed_at);
CREATE INDEX visitor_events_visitor_name ON visitor_events (visitor_id, name, occurred_at);

-- An operator may type a visitor's email on the card: its source is then `operator`.
ALTER TABLE visitors DROP CONSTRAINT IF EXISTS visitors_email_source_check;
ALTER TABLE visitors ADD CONSTRAINT visitors_email_source_check
  CHECK (email_source IN ('chat', 'identify', 'captured', 'operator'));
