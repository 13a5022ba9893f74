-- A session is one sign-in on one device; its refresh tokens rotate, the session stays.
CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL,
    revoked_at   INTEGER,
    user_agent   TEXT,
    ip           TEXT
);

CREATE INDEX sessions_user ON sessions (user_id);

-- Refresh tokens are stored only as SHA-256 hashes. A spent token stays (spent_at set) so
-- that a second use can be told apart from an unknown token: within the grace it is a
-- racing tab, after it a thief.
CREATE TABLE refresh_tokens (
    token_hash BLOB    PRIMARY KEY,
    session_id INTEGER NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL,
    spent_at   INTEGER
) WITHOUT ROWID;

CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);
