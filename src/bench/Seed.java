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
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Date;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;

/**
 * Bulk-loads a benchmark database straight into SQLite (no HTTP): N users and N sessions (one per
 * user, each with one refresh token), in a few batched transactions. Every user gets the same
 * bcrypt hash of BENCH_PASSWORD (hashing a million passwords would take days), so that a login
 * benchmark can sign in as any of them.
 *
 * <pre>
 * java -cp target/latchkey.jar src/bench/Seed.java DB_FILE N [OUT_DIR]
 * </pre>
 * Env: BCRYPT_COST (10), BENCH_PASSWORD (bench-password-1), JWT_SECRET (to mint access tokens;
 * without it none are written), JWT_ISSUER (latchkey), SEED_TOKENS (1000: tokens written out).
 *
 * Writes to OUT_DIR (default: beside DB_FILE): {@code refresh-tokens.txt} (raw refresh tokens of
 * the first sessions, one a line: each can be used once, the refresh benchmark chains them),
 * {@code access-tokens.txt} (access tokens of sessions spread over the whole id range, valid 2 h).
 * User i signs in as {@code user<i>@bench.example}.
 * Users are named from a list of first and last names (username = first name + id), so that
 * prefix searches hit from a handful to about a tenth of the users.
 */
public final class Seed {
    static final String[] FIRST = {
            "Olivia", "Liam", "Emma", "Noah", "Amelia", "Oliver", "Ava", "Elijah", "Sophia", "Mateo",
            "Isabella", "Lucas", "Mia", "Levi", "Charlotte", "Asher", "Harper", "James", "Luna", "Leo",
            "Evelyn", "Grayson", "Ella", "Ezra", "Aria", "Luca", "Nora", "Ethan", "Layla", "Aiden",
            "Chloe", "Wyatt", "Zoe", "Sebastian", "Hazel", "Hudson", "Ahmed", "Fatima", "Yusuf", "Aisha",
            "Hiro", "Yuki", "Mei", "Wei", "Priya", "Arjun", "Zara", "Omar", "Ingrid", "Lars",
            "Chiara", "Marco", "Ines", "Diego", "Sofia", "Kai", "Anya", "Ivan", "Nadia", "Tomas",
            "Bea", "Quinn", "Xavier", "Ursula", "Vera", "Yann", "Greta", "Felix", "Rosa", "Pablo"};
    static final String[] LAST = {
            "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
            "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin",
            "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson",
            "Khan", "Ali", "Tanaka", "Suzuki", "Chen", "Wang", "Singh", "Patel", "Novak", "Kowalski",
            "Rossi", "Bianchi", "Muller", "Schmidt", "Dubois", "Laurent", "Silva", "Santos", "Nielsen", "Berg"};

    private static final int BATCH = 10_000;
    private static final int COMMIT_EVERY = 100_000;

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: java -cp target/latchkey.jar src/bench/Seed.java DB_FILE N [OUT_DIR]");
            System.exit(2);
        }
        Path dbFile = Path.of(args[0]).toAbsolutePath();
        int n = Integer.parseInt(args[1].replace("_", ""));
        Path out = args.length > 2 ? Path.of(args[2]) : dbFile.getParent();
        Files.createDirectories(out);
        int cost = Integer.parseInt(env("BCRYPT_COST", "10"));
        String password = env("BENCH_PASSWORD", "bench-password-1");
        int tokens = Math.min(n, Integer.parseInt(env("SEED_TOKENS", "1000")));
        String url = "jdbc:sqlite:" + dbFile;

        long t0 = System.nanoTime();
        int applied = Database.migrate(url);
        System.err.printf("migrations: %d applied to %s%n", applied, dbFile);
        // The same hashing as the server's (SHA-512 pre-hash for long passwords, version 2a).
        String hash = BCrypt.with(BCrypt.Version.VERSION_2A, LongPasswordStrategies.hashSha512(BCrypt.Version.VERSION_2A))
                .hashToString(cost, password.toCharArray());

        try (Connection c = DriverManager.getConnection(url)) {
            try (Statement s = c.createStatement()) {
                // A bulk load that can simply be redone if it fails: no fsync, a big page cache.
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = OFF");
                s.execute("PRAGMA cache_size = -262144");
                s.execute("PRAGMA temp_store = MEMORY");
                s.execute("PRAGMA foreign_keys = OFF");
            }
            long firstId;
            try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM users")) {
                firstId = rs.getLong(1);
            }
            c.setAutoCommit(false);
            long now = System.currentTimeMillis();
            seedUsers(c, firstId, n, hash, now);
            String runTag = HexFormat.of().formatHex(randomBytes(6));
            long firstSession = seedSessions(c, firstId, n, now, runTag, out, tokens);
            c.commit();
            c.setAutoCommit(true);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            String secret = System.getenv("JWT_SECRET");
            if (secret != null && !secret.isEmpty()) {
                writeAccessTokens(out.resolve("access-tokens.txt"), secret, env("JWT_ISSUER", "latchkey"), firstId, firstSession, n, tokens);
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.err.printf("done: %,d users and %,d sessions in %.1f s (%,.0f rows/s); password of every user: %s%n",
                n, n, s, 3.0 * n / s, password);
    }

    private static void seedUsers(Connection c, long firstId, int n, String hash, long now) throws SQLException {
        long t0 = System.nanoTime();
        try (PreparedStatement p = c.prepareStatement("""
                INSERT INTO users (id, email, username, username_key, name, name_key, password_hash, role, disabled,
                                   password_changed_at, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, 'user', 0, ?, ?, ?)""")) {
            Random random = new Random(42);
            for (int i = 0; i < n; i++) {
                long id = firstId + i;
                String first = FIRST[random.nextInt(FIRST.length)];
                String last = LAST[random.nextInt(LAST.length)];
                String username = first.toLowerCase(Locale.ROOT) + id;
                String name = first + " " + last;
                long created = now - 86_400_000L - (n - i) * 1_000L;
                p.setLong(1, id);
                p.setString(2, "user" + id + "@bench.example");
                p.setString(3, username);
                p.setString(4, username.toLowerCase(Locale.ROOT));
                p.setString(5, name);
                p.setString(6, name.toLowerCase(Locale.ROOT));
                p.setString(7, hash);
                p.setLong(8, created);
                p.setLong(9, created);
                p.setLong(10, created);
                p.addBatch();
                if ((i + 1) % BATCH == 0 || i + 1 == n) p.executeBatch();
                if ((i + 1) % COMMIT_EVERY == 0 || i + 1 == n) {
                    c.commit();
                    progress("users", i + 1, n, t0);
                }
            }
        }
    }

    /** One session per user, each with one live refresh token; returns the first session id. */
    private static long seedSessions(Connection c, long firstUser, int n, long now, String runTag, Path out, int keep)
            throws SQLException, IOException {
        long firstSession;
        try (Statement s = c.createStatement(); var rs = s.executeQuery("SELECT coalesce(max(id), 0) + 1 FROM sessions")) {
            firstSession = rs.getLong(1);
        }
        long expires = now + Duration.ofDays(30).toMillis();
        long t0 = System.nanoTime();
        MessageDigest sha256 = sha256();
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, user_agent, ip)
                VALUES (?, ?, ?, ?, ?, 'seed', '127.0.0.1')""");
             PreparedStatement pr = c.prepareStatement(
                     "INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES (?, ?, ?, ?)");
             PrintWriter raw = new PrintWriter(Files.newBufferedWriter(out.resolve("refresh-tokens.txt"), StandardCharsets.UTF_8))) {
            for (int i = 0; i < n; i++) {
                long sessionId = firstSession + i;
                ps.setLong(1, sessionId);
                ps.setLong(2, firstUser + i);
                ps.setLong(3, now);
                ps.setLong(4, now);
                ps.setLong(5, expires);
                ps.addBatch();
                String token = "seed-" + runTag + "-" + sessionId;
                pr.setBytes(1, sha256.digest(token.getBytes(StandardCharsets.UTF_8)));
                pr.setLong(2, sessionId);
                pr.setLong(3, now);
                pr.setLong(4, expires);
                pr.addBatch();
                if (i < keep) raw.println(token);
                if ((i + 1) % BATCH == 0 || i + 1 == n) {
                    ps.executeBatch();
                    pr.executeBatch();
                }
                if ((i + 1) % COMMIT_EVERY == 0 || i + 1 == n) {
                    c.commit();
                    progress("sessions", i + 1, n, t0);
                }
            }
        }
        return firstSession;
    }

    /** Access tokens of {@code count} sessions spread evenly over all seeded users. */
    private static void writeAccessTokens(Path file, String secret, String issuer, long firstUser, long firstSession, int n, int count)
            throws IOException {
        var key = Keys.hmacShaKeyFor(secret.getBytes(StandardCharsets.UTF_8));
        long now = System.currentTimeMillis();
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            for (int k = 0; k < count; k++) {
                long i = (long) k * n / count;
                w.println(Jwts.builder().issuer(issuer).subject(Long.toString(firstUser + i))
                        .issuedAt(new Date(now - 1_000)).expiration(new Date(now + Duration.ofHours(2).toMillis()))
                        .id(HexFormat.of().formatHex(randomBytes(8)))
                        .claim("sid", firstSession + i).claim("role", "user")
                        .signWith(key, Jwts.SIG.HS256).compact());
            }
        }
        System.err.printf("access tokens: %,d written to %s (valid 2 h)%n", count, file);
    }

    private static void progress(String what, long done, long n, long t0) {
        double s = (System.nanoTime() - t0) / 1e9;
        System.err.printf("%-8s %,11d / %,d  %5.1f%%  %,9.0f rows/s  %6.1f s%n", what, done, n, 100.0 * done / n, done / s, s);
    }

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isEmpty() ? fallback : v;
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
