-- Files both ways. A file is stored first (its bytes in the file store, this row beside them) and
-- referenced by a message afterwards; until then `message_id` is null and the sweeper removes it
-- after a while (an upload whose message was never sent).
CREATE TABLE files (
  -- Random (gen_random_uuid draws 122 bits): the id in the file's URL is unguessable.
  id uuid PRIMARY KEY,
  site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
  uploader_kind text NOT NULL CHECK (uploader_kind IN ('visitor', 'operator')),
  uploader_id uuid NOT NULL,
  -- The name as the person chose it: shown and offered as the download's name, never trusted.
  name text NOT NULL,
  -- Detected from the content (magic bytes), never taken from the name or the request.
  content_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  -- Where the bytes are in the file store.
  storage_key text NOT NULL,
  conversation_id uuid REFERENCES conversations (id) ON DELETE CASCADE,
  message_id uuid REFERENCES messages (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((message_id IS NULL) = (conversation_id IS NULL))
);
-- The sweeper's scan: uploads never referenced, oldest first.
CREATE INDEX files_unreferenced ON files (created_at) WHERE message_id IS NULL;
CREATE INDEX files_message ON files (message_id) WHERE message_id IS NOT NULL;

-- What a message carries, as its DTO shows it ({id, name, contentType, size} per file), written
-- in the same transaction that references the files: every read of messages has it without a join.
ALTER TABLE messages ADD COLUMN attachments jsonb;
