-- Times are epoch milliseconds (UTC); the API formats them as ISO-8601.
-- *_key columns hold the lower-cased value (Java's Locale.ROOT rules) so uniqueness and
-- prefix search are case-insensitive for every script, not only ASCII.
CREATE TABLE users (
    id                  INTEGER PRIMARY KEY,
    email               TEXT    NOT NULL,
    username            TEXT,
    username_key        TEXT,
    name                TEXT,
    name_key            TEXT,
    password_hash       TEXT    NOT NULL,
    role                TEXT    NOT NULL DEFAULT 'user' CHECK (role IN ('user', 'admin')),
    disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    password_changed_at INTEGER NOT NULL,
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);

CREATE UNIQUE INDEX users_email ON users (email);
CREATE UNIQUE INDEX users_username_key ON users (username_key);
CREATE INDEX users_name_key ON users (name_key);
