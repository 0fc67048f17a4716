-- Who the visitor is on the site's own side (issue 12, `Parley('identify', …)`).
--
-- A site has an identity secret: the site's server signs its user id with it (HMAC-SHA256, hex) and
-- the page passes that `userHash` to identify. Only a signed identify makes a visitor the site's
-- user `external_id`, and only such visitors are found again by it (another device, cleared storage)
-- and have anonymous profiles merged into them. Without a signature the id and fields are kept but
-- marked unverified, and never merge. `require_identity`: the site accepts no unsigned identify.
-- The secret is 244 random bits (two v4 UUIDs' worth), made per row for existing sites too (a
-- volatile default is evaluated per row); rotating it is the console's job (modules/identity).
ALTER TABLE sites
  ADD COLUMN identity_secret text NOT NULL
    DEFAULT replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''),
  ADD COLUMN require_identity boolean NOT NULL DEFAULT false;

ALTER TABLE visitors
  -- The site's own user id, as identify gave it.
  ADD COLUMN external_id text CHECK (length(external_id) BETWEEN 1 AND 200),
  -- null: never identified; true: the id came with a valid userHash; false: it did not.
  ADD COLUMN identity_verified boolean,
  -- A profile merged into another (the survivor) stays as a pointer: a token it handed out still
  -- finds the survivor (see modules/identity/merge.ts). It owns nothing any more.
  ADD COLUMN merged_into uuid REFERENCES visitors (id) ON DELETE CASCADE;

-- One live profile per verified user of a site: concurrent identifies converge on it.
CREATE UNIQUE INDEX visitors_verified_external_id ON visitors (site_id, external_id)
  WHERE identity_verified AND merged_into IS NULL;
