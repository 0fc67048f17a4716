-- Who the visitor is (issue 12): visits, the pages seen in them, events the site reports, and the
-- visitor's touch points. Written by the loader's tracking batches (modules/tracking/), read by
-- the console's visitor card, "visitors now" and segments.
--
-- A visit is a run of activity with no gap over 30 minutes. Its source is classified once, from its
-- landing page (UTM parameters, click ids) and the referrer the browser gave for it.
CREATE TABLE visits (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  visitor_id uuid NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
  -- 1 for the visitor's first visit; kept dense per visitor (merges renumber).
  number integer NOT NULL,
  started_at timestamptz NOT NULL,
  last_activity_at timestamptz NOT NULL,
  landing_url text,
  referrer text,
  source_kind text NOT NULL DEFAULT 'direct'
    CHECK (source_kind IN ('search', 'social', 'advertising', 'email', 'referral', 'direct')),
  -- A human name of the source: 'Google', 'Yandex', 'VK', 'newsletter', a referring host.
  source_name text,
  utm_source text,
  utm_medium text,
  utm_campaign text,
  utm_term text,
  utm_content text,
  gclid text,
  yclid text,
  -- What the visitor typed into a search engine, where the referrer or utm_term tells it.
  search_query text,
  page_view_count integer NOT NULL DEFAULT 0,
  country text,
  region text,
  city text,
  browser text,
  os text,
  device text
);
CREATE INDEX visits_visitor ON visits (visitor_id, started_at DESC);
CREATE INDEX visits_site_started ON visits (site_id, started_at DESC);

-- One row per page seen. `client_id` is the loader's id of the item: a batch sent twice (beacon
-- retried, page hidden twice) writes it once.
CREATE TABLE page_views (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  visitor_id uuid NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
  visit_id uuid NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
  client_id text NOT NULL,
  url text NOT NULL,
  title text,
  viewed_at timestamptz NOT NULL,
  -- Time the page was in front of the visitor, known once they left it (or the next page came).
  seconds integer CHECK (seconds >= 0)
);
CREATE UNIQUE INDEX page_views_client ON page_views (visitor_id, client_id);
CREATE INDEX page_views_visit ON page_views (visit_id, viewed_at);

-- What the site reports with Parley('track', name, properties): add to cart, order placed...
CREATE TABLE visitor_events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  visitor_id uuid NOT NULL REFERENCES visitors (id) ON DELETE CASCADE,
  visit_id uuid REFERENCES visits (id) ON DELETE SET NULL,
  client_id text NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 64),
  properties jsonb NOT NULL DEFAULT '{}',
  occurred_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX visitor_events_client ON visitor_events (visitor_id, client_id);
-- Segments count events by name over a window.
CREATE INDEX visitor_events_site_name ON visitor_events (site_id, name, occurred_at);

ALTER TABLE visitors
  ADD COLUMN region text,
  ADD COLUMN city text,
  ADD COLUMN device text,
  ADD COLUMN visit_count integer NOT NULL DEFAULT 0,
  -- The source of the first and of the latest visit ({kind, name, referrer, landingUrl, utm…,
  -- searchQuery, at}), kept apart: first touch / last touch.
  ADD COLUMN first_touch jsonb,
  ADD COLUMN last_touch jsonb,
  -- Where `email` came from: typed into the chat, given by the site (identify), or captured from
  -- one of the site's own forms.
  ADD COLUMN email_source text CHECK (email_source IN ('chat', 'identify', 'captured')),
  -- The cart as the site last reported it (Parley('track', 'cart_updated'|'add_to_cart', {amount, currency})).
  ADD COLUMN cart_amount numeric(14, 2),
  ADD COLUMN cart_currency text;
