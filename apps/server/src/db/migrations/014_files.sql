-- Files both ways. A file is stored first (its bytes in the file store, this row beside them) and
-- referenced by a message afterwards; until then `message_id` is null and the sweeper removes it
-- after a while (an upload whose message was never sent). Deleting a site, a conversation or a
-- message does not delete the row but unlinks it (SET NULL): the sweeper then removes the row and,
-- unlike a cascade could, the bytes in the file store too. Nobody can fetch an unlinked file.
CREATE TABLE files (
  -- Random (Node's randomUUID, 122 random bits): the id in the file's URL is unguessable.
  id uuid PRIMARY KEY,
  site_id uuid REFERENCES sites (id) ON DELETE SET NULL,
  uploader_kind text NOT NULL CHECK (uploader_kind IN ('visitor', 'operator')),
  uploader_id uuid NOT NULL,
  -- The name as the person chose it: shown and offered as the download's name, never trusted.
  name text NOT NULL,
  -- Detected from the content (magic bytes), never taken from the name or the request.
  content_type text NOT NULL,
  size_bytes bigint NOT NULL CHECK (size_bytes > 0),
  -- Where the bytes are in the file store.
  storage_key text NOT NULL,
  conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL,
  message_id uuid REFERENCES messages (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
-- The sweeper's scan: uploads never referenced, oldest first.
CREATE INDEX files_unreferenced ON files (created_at) WHERE message_id IS NULL;
CREATE INDEX files_message ON files (message_id) WHERE message_id IS NOT NULL;

-- What a message carries, as its DTO shows it ({id, name, contentType, size} per file), written
-- in the same transaction that references the files: every read of messages has it without a join.
ALTER TABLE messages ADD COLUMN attachments jsonb;
