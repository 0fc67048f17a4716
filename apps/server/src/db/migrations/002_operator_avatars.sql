-- Operator photos, stored in the database so every node serves the same bytes without shared disk.
CREATE TABLE operator_avatars (
  operator_id uuid PRIMARY KEY REFERENCES operators (id) ON DELETE CASCADE,
  content_type text NOT NULL CHECK (content_type IN ('image/png', 'image/jpeg', 'image/webp')),
  data bytea NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
