-- The abuse limits' counters where several nodes share the database (PostgreSQL): one fixed window
-- per limiter and subject (an account's login name, a client IP). One node alone (SQLite) counts
-- in memory and leaves this table empty. count runs to the limit plus one, which marks a window
-- that has refused an attempt.
CREATE TABLE rate_windows (
    limiter    TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    started_at BIGINT  NOT NULL,
    count      INTEGER NOT NULL,
    PRIMARY KEY (limiter, subject)
);

CREATE INDEX rate_windows_started ON rate_windows (started_at);
