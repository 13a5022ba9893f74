-- Migrations in this folder run on every database; a vendor folder (sqlite/, postgresql/) holds
-- a script only where the SQL must differ.
-- Values the server generates once and every node must share (on PostgreSQL: the JWT secret).
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
