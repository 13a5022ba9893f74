-- Uploads: files users sent (attachments, avatars). The bytes live in uploads.dir under a name
-- the server chose (file_key, thumb_key); a row exists only once its files are complete on disk.
CREATE TABLE uploads (
    id           INTEGER PRIMARY KEY,
    owner_id     INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose      TEXT    NOT NULL CHECK (purpose IN ('attachment', 'avatar')),
    -- The message that carries an attachment; NULL until it is sent (and for avatars).
    message_id   INTEGER REFERENCES messages (id) ON DELETE CASCADE,
    -- The name the client gave, as display text only: never part of a path.
    name         TEXT    NOT NULL,
    content_type TEXT    NOT NULL,
    size         INTEGER NOT NULL,
    width        INTEGER,
    height       INTEGER,
    file_key     TEXT    NOT NULL,
    thumb_key    TEXT,
    thumb_type   TEXT,
    -- What counts against the owner's quota: the file and its thumbnail.
    stored_bytes INTEGER NOT NULL,
    -- SHA-256 of the served bytes, base64url: the ETag.
    digest       TEXT    NOT NULL,
    created_at   INTEGER NOT NULL
);

CREATE INDEX uploads_owner ON uploads (owner_id);
-- Housekeeping asks which files in the folder still belong to an upload.
CREATE UNIQUE INDEX uploads_file_key ON uploads (file_key);
CREATE UNIQUE INDEX uploads_thumb_key ON uploads (thumb_key);
CREATE INDEX uploads_message ON uploads (message_id) WHERE message_id IS NOT NULL;
-- Housekeeping finds attachments that never made it into a message.
CREATE INDEX uploads_unsent ON uploads (created_at) WHERE message_id IS NULL AND purpose = 'attachment';

ALTER TABLE users ADD COLUMN avatar_id INTEGER REFERENCES uploads (id) ON DELETE SET NULL;

-- Files whose upload is gone, waiting for housekeeping to remove them from the folder. The row
-- goes in the same transaction as the upload, however it went (its message deleted, its room or
-- its owner's account deleted by a cascade), so a file is never forgotten and never removed
-- while a row still points at it.
CREATE TABLE upload_trash (
    file_key TEXT PRIMARY KEY
) WITHOUT ROWID;

CREATE TRIGGER uploads_to_trash AFTER DELETE ON uploads
BEGIN
    INSERT OR IGNORE INTO upload_trash (file_key) VALUES (OLD.file_key);
    INSERT OR IGNORE INTO upload_trash (file_key) SELECT OLD.thumb_key WHERE OLD.thumb_key IS NOT NULL;
END;

-- A deleted message (a tombstone) has no attachments: they go with the change that deletes it.
CREATE TRIGGER messages_tombstone_uploads AFTER UPDATE OF deleted ON messages
WHEN NEW.deleted = 1 AND OLD.deleted = 0
BEGIN
    DELETE FROM uploads WHERE message_id = NEW.id;
END;
