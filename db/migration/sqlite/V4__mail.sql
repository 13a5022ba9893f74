-- Account recovery and email. V3 is kept for the chat tables.
ALTER TABLE users ADD COLUMN email_verified INTEGER NOT NULL DEFAULT 0 CHECK (email_verified IN (0, 1));

-- Single-use tokens of the mailed links, stored only as SHA-256 hashes (as refresh tokens are).
-- email is the address the link was sent to: the account's own for a reset or a verification,
-- the new one for an email change. A token is deleted when it is used or replaced.
CREATE TABLE account_tokens (
    token_hash BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose    TEXT    NOT NULL CHECK (purpose IN ('password_reset', 'verify_email', 'email_change')),
    email      TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);
CREATE INDEX account_tokens_expiry ON account_tokens (expires_at);

-- Mail waiting to be sent. A row holds no token and no link: those are made when it is sent,
-- so the database never holds a usable link. user_id is NULL for a reset asked for an email
-- with no account (the row is dropped unsent; it exists so that both cases do the same work).
-- next_attempt_at and created_at are in real time, whatever clock the rest of the server uses.
CREATE TABLE mail_queue (
    id              INTEGER PRIMARY KEY,
    kind            TEXT    NOT NULL,
    user_id         INTEGER REFERENCES users (id) ON DELETE CASCADE,
    to_address      TEXT    NOT NULL,
    created_at      INTEGER NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error      TEXT
);

CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at);
CREATE INDEX mail_queue_user ON mail_queue (user_id);
