package latchkey.db;

import java.util.Map;
import java.util.Properties;

/**
 * The databases Latchkey runs on, chosen by the JDBC URL, and everything in the code that differs
 * between them (the SQL that differs sits in the vendor folders of {@code db/migration}).
 */
public enum Vendor {
    SQLITE("jdbc:sqlite:", "sqlite", Map.of(
            "json_array", "json_each(:json)",
            "not_indexed", "NOT INDEXED",
            "lock_room", "")),
    POSTGRESQL("jdbc:postgresql:", "postgresql", Map.of(
            "json_array", "(SELECT e.ordinality - 1 AS key, e.value FROM jsonb_array_elements(CAST(:json AS jsonb)) WITH ORDINALITY AS e (value, ordinality))",
            "not_indexed", "",
            "lock_room", "FOR UPDATE OF r"));

    private final String urlPrefix;
    private final String migrationFolder;
    private final Map<String, String> fragments;

    Vendor(String urlPrefix, String migrationFolder, Map<String, String> fragments) {
        this.urlPrefix = urlPrefix;
        this.migrationFolder = migrationFolder;
        this.fragments = fragments;
    }

    /**
     * The pieces of SQL that differ, which a DAO writes as {@code <name>} (Jdbi's defined attributes):
     * <ul>
     * <li>{@code <json_array>}: the JSON array bound as {@code :json}, read as a table of {@code key}
     * (the position, from 0) and {@code value} (the element; {@code ->> i} reads its i-th item as
     * text). A batch bound as one array keeps one SQL text, prepared once, for any number of rows.
     * <li>{@code <not_indexed>}: after a table's name, walk the table by its primary key rather than
     * an index (SQLite's planner would otherwise pick a name index and sort; PostgreSQL's does not).
     * <li>{@code <lock_room>}: at the end of a writer's read of {@code rooms r}, keep other writers
     * off that room until the commit. SQLite has one writer; on PostgreSQL each node has one, and
     * a batch of sends must not read a sequence number that another node is about to advance.
     * </ul>
     */
    Map<String, String> fragments() {
        return fragments;
    }

    /** The vendor of a JDBC URL; {@link IllegalArgumentException} for any other URL. */
    public static Vendor of(String url) {
        for (Vendor v : values()) {
            if (url.startsWith(v.urlPrefix)) return v;
        }
        throw new IllegalArgumentException("not a SQLite or PostgreSQL JDBC URL");
    }

    /** The URL without its query, where a password may sit: for the log and error messages. */
    public static String withoutQuery(String url) {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query);
    }

    /** Flyway's locations: the shared migrations and this vendor's own. */
    String[] migrationLocations() {
        return new String[] {"classpath:db/migration/common", "classpath:db/migration/" + migrationFolder};
    }

    /**
     * Connection properties. On PostgreSQL a failed statement's message leaves out the server's
     * detail line, which quotes the row's values ("Key (email)=(...) already exists") and would
     * carry them into the log.
     */
    Properties connectionProperties(String username, String password) {
        Properties p = new Properties();
        if (this == POSTGRESQL) {
            if (!username.isEmpty()) p.setProperty("user", username);
            if (!password.isEmpty()) p.setProperty("password", password);
            p.setProperty("logServerErrorDetail", "false");
            // A server that does not answer fails a request in seconds (503), not after the driver's default of 10 s.
            p.setProperty("connectTimeout", "3");
            p.setProperty("ApplicationName", "latchkey");
        }
        return p;
    }
}
