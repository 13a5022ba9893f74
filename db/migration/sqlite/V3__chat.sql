-- Chat: rooms, their members and their history. Times are epoch milliseconds (UTC).
-- Every change to a room's history (a message created, edited or deleted) takes the room's next
-- number: rooms.last_seq is that counter, messages.seq the number of a message's creation and
-- messages.change_seq the number of its latest change (what resume reads from).
CREATE TABLE rooms (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL CHECK (kind IN ('group', 'direct')),
    name            TEXT,
    name_key        TEXT,
    topic           TEXT,
    private         INTEGER NOT NULL DEFAULT 0 CHECK (private IN (0, 1)),
    -- "<lower user id>:<higher user id>" for a direct room: one room per pair, decided by the index.
    direct_key      TEXT,
    member_count    INTEGER NOT NULL DEFAULT 0,
    last_seq        INTEGER NOT NULL DEFAULT 0,
    last_message_id INTEGER,
    -- The last message's time, or the room's creation: the order of a user's room list.
    activity_at     INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

CREATE UNIQUE INDEX rooms_direct_key ON rooms (direct_key);
CREATE INDEX rooms_public_name ON rooms (name_key, id) WHERE kind = 'group' AND private = 0;

CREATE TABLE memberships (
    room_id       INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    role          TEXT    NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
    joined_at     INTEGER NOT NULL,
    last_read_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (room_id, user_id)
) WITHOUT ROWID;

CREATE INDEX memberships_user ON memberships (user_id);

CREATE TABLE messages (
    id         INTEGER PRIMARY KEY,
    room_id    INTEGER NOT NULL REFERENCES rooms (id) ON DELETE CASCADE,
    seq        INTEGER NOT NULL,
    change_seq INTEGER NOT NULL,
    -- NULL once the sender's account is deleted (the message is a tombstone by then).
    sender_id  INTEGER REFERENCES users (id) ON DELETE SET NULL,
    text       TEXT,
    reply_to   INTEGER,
    client_id  TEXT,
    created_at INTEGER NOT NULL,
    edited_at  INTEGER,
    deleted    INTEGER NOT NULL DEFAULT 0 CHECK (deleted IN (0, 1))
);

-- History pages walk (room_id, seq); unread counts need deleted and sender_id too, and find them
-- here without reading the rows. A seq is never used twice in a room: the room's counter hands
-- each one out once (the writer's update of rooms.last_seq checks the old value).
CREATE INDEX messages_room_seq ON messages (room_id, seq, deleted, sender_id);
CREATE INDEX messages_room_change ON messages (room_id, change_seq);
-- A retried send (same sender, room and client_id) finds the message it already created.
CREATE UNIQUE INDEX messages_client_id ON messages (room_id, sender_id, client_id) WHERE client_id IS NOT NULL;
CREATE INDEX messages_sender ON messages (sender_id) WHERE sender_id IS NOT NULL;
