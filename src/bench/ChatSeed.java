import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import io.jsonwebtoken.Jwts;
import io.jsonwebtoken.security.Keys;
import latchkey.db.Database;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.LongSummaryStatistics;

/**
 * Bulk-loads the chat benchmark's database straight into SQLite (no HTTP), keeping every invariant
 * the server relies on: each room's messages have seq = change_seq = 1..N without gaps, its
 * last_seq is N (no edits or deletes), last_message_id and activity_at are those of message N,
 * member_count counts its memberships and every last_read_seq is at most last_seq. Users get a
 * session each, as src/bench/Seed.java seeds them (the same bcrypt hash of BENCH_PASSWORD for all),
 * and access tokens signed with JWT_SECRET are written out.
 *
 * <pre>
 * java -cp target/latchkey.jar src/bench/ChatSeed.java DB_FILE SIZE [OUT_DIR]
 * java -cp target/latchkey.jar src/bench/ChatSeed.java --check DB_FILE ROOM_ID
 * </pre>
 * What SIZE (messages) seeds:
 * <ul>
 * <li>users 1..SENDERS ({@code user<i>@bench.example}, 64) and the reader (user SENDERS+1);</li>
 * <li>room 1, "big": SIZE messages from HISTORY_SENDERS (8) of the senders, all the senders as
 *     members: the room that history pages and that send posts into;</li>
 * <li>room 2, "small": SMALL_ROOM (1,000) messages, the same members: history's reference;</li>
 * <li>rooms 3..INBOX_ROOMS+2 (200), "inbox": the reader and 3 senders in each; INBOX_MESSAGES
 *     (150,000) messages in all at every SIZE, so that the inbox is the same in a small and a large
 *     database and only the rest of the database grows: spread unevenly (room weights from 50 to
 *     1,500, shuffled), one in ten from the reader (not unread for them). The reader's cursor is 0
 *     in even rooms and mid-way in odd ones, so every room has unread messages and many hit the
 *     1,000 cap.</li>
 * </ul>
 * Writes to OUT_DIR (default: beside DB_FILE): {@code sender-tokens.txt} (SENDERS access tokens,
 * one per sender, in user order), {@code reader-token.txt}, and {@code chat.env} (shell variables:
 * BIG_ROOM, SMALL_ROOM, READER_ID, ...). Tokens are valid TOKEN_HOURS (6).
 * Env: BCRYPT_COST (10), BENCH_PASSWORD (bench-password-1), JWT_SECRET (required), JWT_ISSUER
 * (latchkey), SENDERS (64), HISTORY_SENDERS (8), SMALL_ROOM (1000), INBOX_ROOMS (200), INBOX_MESSAGES
 * (150000), TOKEN_HOURS (6).
 *
 * <p>Messages are generated inside SQLite, a chunk of rows per statement (about 1,000,000 in 10 s
 * on a busy 2-core machine), with WAL and synchronous=OFF: a load that is simply redone if it fails.
 *
 * <p>{@code --check} prints one line about a room's history, for a benchmark to compare with what the
 * server acknowledged ({@code CHECK room=1 rows=.. min_seq=.. max_seq=.. last_seq=.. gapless=true
 * last_message=true}); it only reads, so it can run beside the server.
 */
public final class ChatSeed {
    private static final int COMMIT_EVERY = 250_000;
    private static final long DAY = 86_400_000L;
    private static final String FILLER = "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut "
            + "labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud exercitation ullamco laboris.";

    private final Connection c;
    private final long now = System.currentTimeMillis();
    private long nextMessageId = 1;
    private long messagesDone;
    private long messagesTotal;
    private long t0;

    private ChatSeed(Connection c) {
        this.c = c;
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("--check")) {
            check(Path.of(args[1]).toAbsolutePath(), Long.parseLong(args[2]));
            return;
        }
        if (args.length < 2) {
            System.err.println("usage: java -cp target/latchkey.jar src/bench/ChatSeed.java DB_FILE SIZE [OUT_DIR]\n"
                    + "       java -cp target/latchkey.jar src/bench/ChatSeed.java --check DB_FILE ROOM_ID");
            System.exit(2);
        }
        Path dbFile = Path.of(args[0]).toAbsolutePath();
        long size = Long.parseLong(args[1].replace("_", ""));
        Path out = args.length > 2 ? Path.of(args[2]) : dbFile.getParent();
        Files.createDirectories(out);
        String secret = env("JWT_SECRET", "");
        if (secret.isEmpty()) throw new IllegalArgumentException("JWT_SECRET must be set: the tokens are signed with it");
        int senders = Integer.parseInt(env("SENDERS", "64"));
        int historySenders = Math.min(senders, Integer.parseInt(env("HISTORY_SENDERS", "8")));
        long small = Long.parseLong(env("SMALL_ROOM", "1000"));
        int inbox = Integer.parseInt(env("INBOX_ROOMS", "200"));
        if (senders < 3 || inbox < 1 || size < 1 || small < 1) throw new IllegalArgumentException("SENDERS >= 3, INBOX_ROOMS, SIZE and SMALL_ROOM >= 1");
        String url = "jdbc:sqlite:" + dbFile;

        long start = System.nanoTime();
        int applied = Database.migrate(url);
        System.err.printf("migrations: %d applied to %s%n", applied, dbFile);
        String hash = BCrypt.with(BCrypt.Version.VERSION_2A, LongPasswordStrategies.hashSha512(BCrypt.Version.VERSION_2A))
                .hashToString(Integer.parseInt(env("BCRYPT_COST", "10")), env("BENCH_PASSWORD", "bench-password-1").toCharArray());
        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                // A bulk load that can simply be redone if it fails: no fsync, a big page cache.
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = OFF");
                s.execute("PRAGMA cache_size = -262144");
                s.execute("PRAGMA temp_store = MEMORY");
                s.execute("PRAGMA foreign_keys = OFF");
                try (ResultSet rs = s.executeQuery("SELECT (SELECT count(*) FROM users) + (SELECT count(*) FROM rooms)")) {
                    if (rs.getLong(1) != 0) throw new IllegalStateException(dbFile + " is not empty: seed a new file");
                }
            }
            c.setAutoCommit(false);
            ChatSeed seed = new ChatSeed(c);
            long reader = senders + 1L;
            seed.users(senders + 1, hash);
            List<Long> all = new ArrayList<>();
            for (long u = 1; u <= senders; u++) all.add(u);
            long[] counts = inboxCounts(Long.parseLong(env("INBOX_MESSAGES", "150000")), inbox);
            LongSummaryStatistics inboxStats = Arrays.stream(counts).summaryStatistics();
            seed.messagesTotal = size + small + inboxStats.getSum();
            seed.t0 = System.nanoTime();
            long bigRoom = seed.room("big", all, size, historySenders, 0, seed.now - 30 * DAY, seed.now - 2 * DAY, -1, -1);
            long smallRoom = seed.room("small", all, small, historySenders, 0, seed.now - 30 * DAY, seed.now - 2 * DAY, -1, -1);
            // The inbox: its rooms' latest activity in a shuffled order, so the first page mixes large and small rooms.
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < inbox; i++) order.add(i);
            Collections.shuffle(order, new java.util.Random(7));
            long firstInbox = 0;
            for (int i = 0; i < inbox; i++) {
                List<Long> members = new ArrayList<>(List.of(reader));
                for (int k = 0; k < 3; k++) members.add(1 + (i * 3L + k) % senders);
                long last = seed.now - DAY - order.get(i) * 60_000L;
                long cursor = i % 2 == 0 ? 0 : counts[i] / 2;
                long id = seed.room("inbox " + (i + 1), members, counts[i], 0, 10, last - 20 * DAY, last, reader, cursor);
                if (i == 0) firstInbox = id;
            }
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            writeTokens(out.resolve("sender-tokens.txt"), secret, 1, senders);
            writeTokens(out.resolve("reader-token.txt"), secret, reader, 1);
            Files.writeString(out.resolve("chat.env"), String.format(Locale.ROOT, """
                    BIG_ROOM=%d
                    BIG_ROOM_MESSAGES=%d
                    SMALL_ROOM=%d
                    SMALL_ROOM_MESSAGES=%d
                    READER_ID=%d
                    INBOX_FIRST_ROOM=%d
                    INBOX_ROOMS=%d
                    INBOX_MESSAGES=%d
                    SENDERS=%d
                    """, bigRoom, size, smallRoom, small, reader, firstInbox, inbox, inboxStats.getSum(), senders));
            double s = (System.nanoTime() - start) / 1e9;
            double ms = (System.nanoTime() - seed.t0) / 1e9;
            System.err.printf(Locale.ROOT, "done: %d users, %d rooms, %,d messages (big %,d, small %,d, inbox %,d in %d rooms, %,d to %,d each) "
                            + "in %.1f s (messages %.1f s, %,.0f/s); tokens in %s%n",
                    senders + 1, inbox + 2, seed.messagesTotal, size, small, inboxStats.getSum(), inbox,
                    inboxStats.getMin(), inboxStats.getMax(), s, ms, seed.messagesTotal / ms, out);
        }
    }

    /**
     * The inbox rooms' message counts: {@code total} in all (at least one per room), shared by weights
     * 50..1,500 (the same shape at every size, in a fixed shuffled order), largest remainders rounded up.
     */
    private static long[] inboxCounts(long total, int rooms) {
        double[] w = new double[rooms];
        double sum = 0;
        for (int i = 0; i < rooms; i++) {
            w[i] = 50 + 1450.0 * ((i * 7919L) % rooms) / Math.max(1, rooms - 1);
            sum += w[i];
        }
        long spread = Math.max(0, total - rooms);
        long[] counts = new long[rooms];
        double[] rest = new double[rooms];
        long given = 0;
        for (int i = 0; i < rooms; i++) {
            double share = spread * w[i] / sum;
            counts[i] = 1 + (long) share;
            rest[i] = share - (long) share;
            given += (long) share;
        }
        List<Integer> byRest = new ArrayList<>();
        for (int i = 0; i < rooms; i++) byRest.add(i);
        byRest.sort((a, b) -> Double.compare(rest[b], rest[a]));
        for (int k = 0; k < spread - given; k++) counts[byRest.get(k)]++;
        return counts;
    }

    private void users(int n, String hash) throws SQLException {
        long created = now - 60 * DAY;
        try (PreparedStatement u = c.prepareStatement("""
                INSERT INTO users (id, email, username, username_key, name, name_key, password_hash, role, disabled,
                                   password_changed_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'user', 0, ?, ?, ?)""");
             PreparedStatement s = c.prepareStatement("""
                INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip)
                VALUES (?, ?, ?, ?, ?, 'chat-seed', '127.0.0.1')""")) {
            for (long id = 1; id <= n; id++) {
                String username = (id == n ? "reader" : "sender") + id;
                String name = (id == n ? "Reader " : "Sender ") + id;
                u.setLong(1, id);
                u.setString(2, "user" + id + "@bench.example");
                u.setString(3, username);
                u.setString(4, username);
                u.setString(5, name);
                u.setString(6, name.toLowerCase(Locale.ROOT));
                u.setString(7, hash);
                u.setLong(8, created);
                u.setLong(9, created);
                u.setLong(10, created);
                u.addBatch();
                // Session i belongs to user i: the tokens name both.
                s.setLong(1, id);
                s.setLong(2, id);
                s.setLong(3, now);
                s.setLong(4, now);
                s.setLong(5, now + Duration.ofDays(30).toMillis());
                s.addBatch();
            }
            u.executeBatch();
            s.executeBatch();
        }
    }

    /**
     * A group room with {@code count} messages, created_at spread evenly from {@code from} to {@code last}.
     * Senders: the first {@code senders} members in turn (0: every member but {@code reader}); every
     * {@code readerEvery}-th message is the reader's own. Members' cursors: the reader's at
     * {@code readerCursor}, everyone else's at the end.
     */
    private long room(String name, List<Long> members, long count, int senders, int readerEvery, long from, long last,
                      long reader, long readerCursor) throws SQLException {
        long roomId;
        long created = from - 60_000;
        try (PreparedStatement r = c.prepareStatement("""
                INSERT INTO rooms (kind, name, name_key, topic, private, direct_key, member_count, last_seq, last_message_id,
                                   activity_at, created_at, updated_at)
                VALUES ('group', ?, ?, NULL, 0, NULL, ?, ?, ?, ?, ?, ?) RETURNING id""")) {
            r.setString(1, name);
            r.setString(2, name.toLowerCase(Locale.ROOT));
            r.setInt(3, members.size());
            r.setLong(4, count);
            r.setLong(5, nextMessageId + count - 1);
            r.setLong(6, last);
            r.setLong(7, created);
            r.setLong(8, created);
            try (ResultSet rs = r.executeQuery()) {
                roomId = rs.getLong(1);
            }
        }
        try (PreparedStatement m = c.prepareStatement("""
                INSERT INTO memberships (room_id, user_id, role, joined_at, last_read_seq) VALUES (?, ?, ?, ?, ?)""")) {
            for (int i = 0; i < members.size(); i++) {
                long user = members.get(i);
                m.setLong(1, roomId);
                m.setLong(2, user);
                m.setString(3, i == 0 ? "owner" : "member");
                m.setLong(4, created);
                m.setLong(5, user == reader ? Math.min(readerCursor, count) : count);
                m.addBatch();
            }
            m.executeBatch();
        }
        List<Long> from0 = senders > 0 ? members.subList(0, Math.min(senders, members.size()))
                : members.stream().filter(u -> u != reader).toList();
        // Generated inside SQLite (a recursive CTE, a chunk per statement): a row costs no JDBC call.
        // The sender and the text's length come from a hash of seq, so every run seeds the same.
        try (PreparedStatement p = c.prepareStatement("""
                WITH RECURSIVE s(seq) AS (SELECT :lo UNION ALL SELECT seq + 1 FROM s WHERE seq < :hi)
                INSERT INTO messages (id, room_id, seq, change_seq, sender_id, text, reply_to, client_id, created_at, edited_at, deleted)
                SELECT :first + seq - 1, :room, seq, seq,
                       CASE WHEN :every > 0 AND seq % :every = 0 THEN :reader
                            ELSE json_extract(:senders, '$[' || ((seq * 2654435761) % :nsenders) || ']') END,
                       'Message ' || seq || ' in ' || :name || ': ' || substr(:filler, 1, 10 + (seq * 40503) % (length(:filler) - 10)),
                       NULL, NULL,
                       CASE WHEN :count = 1 THEN :last ELSE :from + :span * (seq - 1) / (:count - 1) END,
                       NULL, 0
                  FROM s""".replaceAll(":[a-z]+", "?"))) {
            for (long lo = 1; lo <= count; lo += COMMIT_EVERY) {
                long hi = Math.min(count, lo + COMMIT_EVERY - 1);
                bind(p, lo, hi, nextMessageId, roomId, readerEvery, reader, from0.toString(), from0.size(), name, FILLER,
                        count, last, from, Math.max(0, last - from));
                p.executeUpdate();
                c.commit();
                messagesDone += hi - lo + 1;
                if (count >= COMMIT_EVERY) {
                    double s = (System.nanoTime() - t0) / 1e9;
                    System.err.printf(Locale.ROOT, "messages %,11d / %,d  %5.1f%%  %,9.0f rows/s  %6.1f s%n",
                            messagesDone, messagesTotal, 100.0 * messagesDone / messagesTotal, messagesDone / s, s);
                }
            }
            nextMessageId += count;
        }
        return roomId;
    }

    /**
     * Binds the named parameters of the message generator, which JDBC numbers by position: each name
     * in the order of its uses, a name used twice bound twice.
     */
    private static void bind(PreparedStatement p, long lo, long hi, long first, long room, int every, long reader, String senders,
                             int nsenders, String name, String filler, long count, long last, long from, long span) throws SQLException {
        Object[] values = {lo, hi, first, room, every, every, reader, senders, nsenders, name, filler, filler, count, last, from, span, count};
        for (int i = 0; i < values.length; i++) p.setObject(i + 1, values[i]);
    }

    /** One token per user {@code first..first+n-1}, of that user's session (the same id). */
    private static void writeTokens(Path file, String secret, long first, int n) throws IOException {
        var key = Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis();
        long hours = Long.parseLong(env("TOKEN_HOURS", "6"));
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (long user = first; user < first + n; user++) {
                byte[] jti = new byte[8];
                new SecureRandom().nextBytes(jti);
                w.println(Jwts.builder().issuer(env("JWT_ISSUER", "latchkey")).subject(Long.toString(user))
                        .issuedAt(new Date(now - 1_000)).expiration(new Date(now + Duration.ofHours(hours).toMillis()))
                        .id(HexFormat.of().formatHex(jti))
                        .claim("sid", user).claim("role", "user")
                        .signWith(key, Jwts.SIG.HS256).compact());
            }
        }
    }

    /** A room's history as the database has it, and whether it is gapless (seqs exactly 1..last_seq). */
    private static void check(Path dbFile, long roomId) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dbFile);
             Statement s = c.createStatement()) {
            s.execute("PRAGMA query_only = 1");
            try (ResultSet rs = s.executeQuery("""
                    SELECT (SELECT count(*) FROM messages WHERE room_id = r.id),
                           (SELECT min(seq) FROM messages WHERE room_id = r.id),
                           (SELECT max(seq) FROM messages WHERE room_id = r.id),
                           (SELECT count(*) FROM messages WHERE room_id = r.id AND change_seq <> seq),
                           r.last_seq,
                           (SELECT count(*) FROM messages m WHERE m.id = r.last_message_id AND m.room_id = r.id
                                                             AND m.seq = r.last_seq AND m.created_at = r.activity_at)
                      FROM rooms r WHERE r.id = """ + roomId)) {
                if (!rs.next()) throw new IllegalArgumentException("no room " + roomId);
                long rows = rs.getLong(1), min = rs.getLong(2), max = rs.getLong(3), changed = rs.getLong(4), lastSeq = rs.getLong(5);
                boolean gapless = rows == lastSeq && (rows == 0 || (min == 1 && max == lastSeq));
                System.out.printf(Locale.ROOT, "CHECK room=%d rows=%d min_seq=%d max_seq=%d last_seq=%d changed=%d gapless=%b last_message=%b%n",
                        roomId, rows, min, max, lastSeq, changed, gapless, rs.getLong(6) == 1);
            }
        }
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }
}
