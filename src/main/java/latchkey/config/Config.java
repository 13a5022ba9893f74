package latchkey.config;

import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;

/**
 * Every setting of the server, validated once at start. Sources, later ones winning: the built-in
 * defaults, {@code app.properties} in the working directory, environment variables.
 */
public record Config(
        int serverPort,
        boolean trustProxy,
        int acceptQueue,
        String dbUrl,
        String dbUsername,
        String dbPassword,
        Optional<String> jwtSecret,
        String jwtIssuer,
        Duration accessTtl,
        Duration refreshTtl,
        Duration refreshReuseGrace,
        int bcryptCost,
        int bcryptThreads,
        int bcryptMaxQueue,
        List<String> corsOrigins,
        boolean rateLimitEnabled,
        Duration rateLimitWindow,
        int loginPerAccount,
        int loginPerIp,
        int registerPerIpHour,
        String publicUrl,
        boolean requireVerifiedEmail,
        Duration resetTokenTtl,
        int resetPerEmailHour,
        int resetPerIpHour,
        int accountMailPerHour,
        Path mailOutboxDir,
        String smtpHost,
        int smtpPort,
        String smtpUsername,
        String smtpPassword,
        SmtpTls smtpTls,
        Optional<Path> smtpCaFile,
        String mailFrom,
        String productName,
        String resetUrl,
        String verifyUrl,
        String emailChangeUrl,
        Duration mailRetryInitial,
        Duration mailRetryMax,
        Duration mailGiveUpAfter,
        boolean docsEnabled,
        int chatMaxRoomMembers,
        int chatMaxMessageChars,
        int chatMessagesPerMinute,
        Duration realtimeAuthTimeout,
        int realtimeReplayLimit,
        int realtimeSendQueue,
        int realtimeMaxSocketsPerUser,
        int realtimeMaxSockets,
        Duration realtimePingInterval,
        Path uploadsDir,
        long uploadsMaxBytes,
        long uploadsQuotaPerUser,
        Set<String> uploadsTypes,
        Duration uploadsUrlTtl,
        Optional<Path> source) {

    /** A configuration key, its default and what it means; the order is the order of {@code --help}. */
    public record Key(String name, String defaultValue, String description) {
        public String envName() {
            return name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
        }
    }

    /** How the SMTP connection is secured: STARTTLS on the plain port (required, never skipped), TLS from the first byte, or none. */
    public enum SmtpTls { STARTTLS, TLS, NONE }

    /** Every type the server can recognise from a file's bytes; {@code uploads.types} picks among them. */
    public static final List<String> UPLOAD_TYPES = List.of("image/png", "image/jpeg", "image/gif", "image/webp", "application/pdf", "text/plain");

    public static final List<Key> KEYS = List.of(
            new Key("server.port", "8080", "HTTP port (0 picks a free one)"),
            new Key("server.trust-proxy", "false", "take the client IP from X-Forwarded-For (only behind a reverse proxy)"),
            new Key("server.accept-queue", "16384", "connections the kernel may hold before they are accepted (listen backlog; capped by net.core.somaxconn)"),
            new Key("db.url", "jdbc:sqlite:db/latchkey.db", "JDBC URL: jdbc:sqlite:FILE (the file and its folder are created on first start) or jdbc:postgresql://HOST:PORT/DB"),
            new Key("db.username", "", "PostgreSQL user name (unused by SQLite)"),
            new Key("db.password", "", "PostgreSQL password (unused by SQLite)"),
            new Key("jwt.secret", "", "HS256 secret, at least 32 bytes; empty: generated once and kept beside the SQLite file, or in the PostgreSQL database"),
            new Key("jwt.issuer", "latchkey", "iss claim written to and required in access tokens"),
            new Key("jwt.access-ttl", "PT15M", "access token lifetime (ISO-8601 duration)"),
            new Key("jwt.refresh-ttl", "P30D", "refresh token lifetime; a session ends when it is not refreshed within it"),
            new Key("jwt.refresh-reuse-grace", "PT10S", "how long a spent refresh token may be presented again (parallel tabs)"),
            new Key("bcrypt.cost", "12", "bcrypt work factor for new password hashes (4..31)"),
            new Key("bcrypt.threads", "0", "threads that hash passwords; 0: one per CPU"),
            new Key("bcrypt.max-queue", "256", "password checks allowed to wait; beyond it: 503 overloaded"),
            new Key("cors.origins", "http://localhost:8100,http://localhost:4200,capacitor://localhost,http://localhost",
                    "comma-separated origins allowed by CORS, or *"),
            new Key("ratelimit.enabled", "true", "turn the login and registration limits on or off"),
            new Key("ratelimit.window", "PT15M", "window for the failed-login limits"),
            new Key("ratelimit.login-per-account", "10", "failed logins per account per window"),
            new Key("ratelimit.login-per-ip", "50", "failed logins per client IP per window"),
            new Key("ratelimit.register-per-ip-hour", "20", "registrations per client IP per hour"),
            new Key("ratelimit.reset-per-email-hour", "3", "password reset requests per email address (as typed) per hour"),
            new Key("ratelimit.reset-per-ip-hour", "20", "password reset requests per client IP per hour"),
            new Key("ratelimit.account-mail-per-hour", "3", "verification mails, and email change requests, per account per hour"),
            new Key("app.public-url", "http://localhost:8080", "the server's address as users reach it: links in mails start here"),
            new Key("auth.require-verified-email", "false", "refuse logins (403 email_not_verified) until the email is verified"),
            new Key("recovery.token-ttl", "PT30M", "how long a password reset link works"),
            new Key("mail.outbox-dir", "db/outbox", "folder the mails are written to as .eml files when no SMTP host is set"),
            new Key("mail.smtp.host", "", "SMTP server; empty: mails go to mail.outbox-dir"),
            new Key("mail.smtp.port", "587", "SMTP port (587 submission with STARTTLS, 465 with tls)"),
            new Key("mail.smtp.username", "", "SMTP login; empty: no authentication"),
            new Key("mail.smtp.password", "", "SMTP password"),
            new Key("mail.smtp.tls", "starttls", "starttls (required), tls (from the first byte) or none"),
            new Key("mail.smtp.ca-file", "", "PEM certificates to trust for SMTP instead of the JVM's (a private CA); empty: the JVM's"),
            new Key("mail.from", "Latchkey <no-reply@localhost>", "From of every mail"),
            new Key("mail.product-name", "Latchkey", "the product name in mails and pages"),
            new Key("mail.reset-url", "{public-url}/reset-password?token={token}", "password reset link; {public-url} and {token} are filled in"),
            new Key("mail.verify-url", "{public-url}/verify-email?token={token}", "email verification link"),
            new Key("mail.email-change-url", "{public-url}/verify-email?token={token}&kind=email-change", "email change confirmation link"),
            new Key("mail.retry-initial", "PT5S", "wait after a failed send; it doubles with each failure"),
            new Key("mail.retry-max", "PT15M", "longest wait between two tries of a mail"),
            new Key("mail.give-up-after", "P3D", "a mail still not sent this long after it was queued is dropped"),
            new Key("docs.enabled", "true", "serve the API docs page at /docs"),
            new Key("chat.max-room-members", "1000", "members a room may have; beyond it: 409 room_full"),
            new Key("chat.max-message-chars", "4000", "longest message text, in characters (code points)"),
            new Key("chat.messages-per-minute", "60", "messages one user may send per minute (off with ratelimit.enabled=false)"),
            new Key("realtime.auth-timeout", "PT10S", "a WebSocket that has not authenticated by then closes with 4408"),
            new Key("realtime.replay-limit", "1000", "messages a resume replays per room; beyond it the socket gets resync for that room"),
            new Key("realtime.send-queue", "1024", "frames a socket may have waiting; typing and presence are dropped past a quarter, 4429 when full"),
            new Key("realtime.max-sockets-per-user", "16", "open WebSockets per user; one more closes with 4409"),
            new Key("realtime.max-sockets", "50000", "open WebSockets in all; one more closes with 1013"),
            new Key("realtime.ping-interval", "PT30S", "how often the server pings each socket"),
            new Key("uploads.dir", "db/uploads", "folder of uploaded files (names chosen by the server)"),
            new Key("uploads.max-bytes", "10485760", "largest upload in bytes; beyond it: 413 payload_too_large"),
            new Key("uploads.quota-per-user", "209715200", "bytes of uploads one user may keep; beyond it: 413 quota_exceeded"),
            new Key("uploads.types", String.join(",", UPLOAD_TYPES),
                    "accepted upload types, as detected from the bytes (a subset of the default)"),
            new Key("uploads.url-ttl", "PT1H", "how long a signed upload URL works"));

    public static final Path DEFAULT_FILE = Path.of("app.properties");

    /** Reads {@code app.properties} from the working directory (if present) and the environment. */
    public static Config load() {
        return load(DEFAULT_FILE, System.getenv());
    }

    public static Config load(Path file, Map<String, String> env) {
        Map<String, String> values = defaults();
        Optional<Path> source = Optional.empty();
        if (Files.isRegularFile(file)) {
            Properties props = new Properties();
            try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                props.load(in);
            } catch (IOException | IllegalArgumentException e) {
                throw new ConfigException(file.toString(), "can not be read: " + e.getMessage());
            }
            for (String name : props.stringPropertyNames()) {
                requireKnown(name, file.toString());
                values.put(name, props.getProperty(name).trim());
            }
            source = Optional.of(file.toAbsolutePath().normalize());
        }
        for (Key key : KEYS) {
            String fromEnv = env.get(key.envName());
            if (fromEnv != null) values.put(key.name(), fromEnv.trim());
        }
        return from(values, source);
    }

    /** Defaults overridden by {@code overrides}: for tests and tools that build a configuration in code. */
    public static Config of(Map<String, String> overrides) {
        Map<String, String> values = defaults();
        overrides.forEach((name, value) -> {
            requireKnown(name, "overrides");
            values.put(name, value);
        });
        return from(values, Optional.empty());
    }

    private static Map<String, String> defaults() {
        Map<String, String> values = new LinkedHashMap<>();
        for (Key key : KEYS) values.put(key.name(), key.defaultValue());
        return values;
    }

    private static void requireKnown(String name, String where) {
        if (KEYS.stream().noneMatch(k -> k.name().equals(name))) {
            throw new ConfigException(name, "unknown key in " + where);
        }
    }

    private static Config from(Map<String, String> v, Optional<Path> source) {
        Optional<String> secret = Optional.of(v.get("jwt.secret")).filter(s -> !s.isEmpty());
        secret.ifPresent(s -> {
            if (s.getBytes(StandardCharsets.UTF_8).length < 32) {
                throw new ConfigException("jwt.secret", "must be at least 32 bytes (256 bits); leave it empty to have one generated");
            }
        });
        String issuer = v.get("jwt.issuer");
        if (issuer.isEmpty()) throw new ConfigException("jwt.issuer", "must not be empty");
        String dbUrl = v.get("db.url");
        if (!dbUrl.startsWith("jdbc:sqlite:") && !dbUrl.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("db.url", "must start with jdbc:sqlite: or jdbc:postgresql:");
        }
        String publicUrl = publicUrl(v);
        List<String> origins = Arrays.stream(v.get("cors.origins").split(","))
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        return new Config(
                intIn(v, "server.port", 0, 65535),
                bool(v, "server.trust-proxy"),
                intIn(v, "server.accept-queue", 1, 1_000_000),
                dbUrl,
                v.get("db.username"),
                v.get("db.password"),
                secret,
                issuer,
                positiveDuration(v, "jwt.access-ttl"),
                positiveDuration(v, "jwt.refresh-ttl"),
                duration(v, "jwt.refresh-reuse-grace"),
                intIn(v, "bcrypt.cost", 4, 31),
                intIn(v, "bcrypt.threads", 0, 1024),
                intIn(v, "bcrypt.max-queue", 1, 1_000_000),
                origins,
                bool(v, "ratelimit.enabled"),
                positiveDuration(v, "ratelimit.window"),
                intIn(v, "ratelimit.login-per-account", 1, Integer.MAX_VALUE),
                intIn(v, "ratelimit.login-per-ip", 1, Integer.MAX_VALUE),
                intIn(v, "ratelimit.register-per-ip-hour", 1, Integer.MAX_VALUE),
                publicUrl,
                bool(v, "auth.require-verified-email"),
                positiveDuration(v, "recovery.token-ttl"),
                intIn(v, "ratelimit.reset-per-email-hour", 1, Integer.MAX_VALUE),
                intIn(v, "ratelimit.reset-per-ip-hour", 1, Integer.MAX_VALUE),
                intIn(v, "ratelimit.account-mail-per-hour", 1, Integer.MAX_VALUE),
                path(v, "mail.outbox-dir"),
                v.get("mail.smtp.host"),
                intIn(v, "mail.smtp.port", 1, 65535),
                v.get("mail.smtp.username"),
                v.get("mail.smtp.password"),
                parse(v, "mail.smtp.tls", "starttls, tls or none", s -> SmtpTls.valueOf(s.toUpperCase(Locale.ROOT))),
                Optional.of(v.get("mail.smtp.ca-file")).filter(s -> !s.isEmpty()).map(s -> existingFile(v, "mail.smtp.ca-file")),
                mailFrom(v),
                required(v, "mail.product-name"),
                linkTemplate(v, "mail.reset-url", publicUrl),
                linkTemplate(v, "mail.verify-url", publicUrl),
                linkTemplate(v, "mail.email-change-url", publicUrl),
                positiveDuration(v, "mail.retry-initial"),
                positiveDuration(v, "mail.retry-max"),
                positiveDuration(v, "mail.give-up-after"),
                bool(v, "docs.enabled"),
                intIn(v, "chat.max-room-members", 2, 1_000_000),
                intIn(v, "chat.max-message-chars", 1, 60_000),
                intIn(v, "chat.messages-per-minute", 1, Integer.MAX_VALUE),
                positiveDuration(v, "realtime.auth-timeout"),
                intIn(v, "realtime.replay-limit", 1, 1_000_000),
                intIn(v, "realtime.send-queue", 4, 1_000_000),
                intIn(v, "realtime.max-sockets-per-user", 1, 100_000),
                intIn(v, "realtime.max-sockets", 1, 10_000_000),
                positiveDuration(v, "realtime.ping-interval"),
                path(v, "uploads.dir"),
                longIn(v, "uploads.max-bytes", 1, Integer.MAX_VALUE),
                longIn(v, "uploads.quota-per-user", 1, Long.MAX_VALUE),
                uploadTypes(v),
                positiveDuration(v, "uploads.url-ttl"),
                source);
    }

    /** Threads for password hashing: the configured count, or one per CPU the JVM sees. */
    public int hashingThreads() {
        return bcryptThreads > 0 ? bcryptThreads : Runtime.getRuntime().availableProcessors();
    }

    private static <T> T parse(Map<String, String> v, String key, String expected, Function<String, T> parser) {
        String raw = v.get(key);
        try {
            return parser.apply(raw);
        } catch (RuntimeException e) {
            throw new ConfigException(key, "'" + raw + "' is not " + expected);
        }
    }

    private static int intIn(Map<String, String> v, String key, int min, int max) {
        int value = parse(v, key, "a whole number", Integer::parseInt);
        if (value < min || value > max) {
            throw new ConfigException(key, value + " is out of range " + min + ".." + max);
        }
        return value;
    }

    private static long longIn(Map<String, String> v, String key, long min, long max) {
        long value = parse(v, key, "a whole number", Long::parseLong);
        if (value < min || value > max) {
            throw new ConfigException(key, value + " is out of range " + min + ".." + max);
        }
        return value;
    }

    private static Set<String> uploadTypes(Map<String, String> v) {
        Set<String> types = new LinkedHashSet<>();
        for (String raw : v.get("uploads.types").split(",")) {
            String type = raw.trim().toLowerCase(Locale.ROOT);
            if (type.isEmpty()) continue;
            if (!UPLOAD_TYPES.contains(type)) {
                throw new ConfigException("uploads.types", "'" + raw.trim() + "' is not one of " + String.join(", ", UPLOAD_TYPES));
            }
            types.add(type);
        }
        if (types.isEmpty()) throw new ConfigException("uploads.types", "must name at least one type");
        return Set.copyOf(types);
    }

    private static boolean bool(Map<String, String> v, String key) {
        return parse(v, key, "true or false", s -> switch (s.toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException();
        });
    }

    private static Duration duration(Map<String, String> v, String key) {
        Duration d = parse(v, key, "an ISO-8601 duration such as PT15M or P30D", s -> {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(e);
            }
        });
        if (d.isNegative()) throw new ConfigException(key, "must not be negative");
        return d;
    }

    private static Duration positiveDuration(Map<String, String> v, String key) {
        Duration d = duration(v, key);
        if (d.isZero()) throw new ConfigException(key, "must be longer than zero");
        return d;
    }

    private static String required(Map<String, String> v, String key) {
        String value = v.get(key);
        if (value.isEmpty()) throw new ConfigException(key, "must not be empty");
        return value;
    }

    private static Path path(Map<String, String> v, String key) {
        required(v, key);
        return parse(v, key, "a path", Path::of);
    }

    private static Path existingFile(Map<String, String> v, String key) {
        Path file = path(v, key);
        if (!Files.isRegularFile(file)) throw new ConfigException(key, file + " is not a readable file");
        return file;
    }

    /** An absolute http(s) URL without query or fragment, kept without a trailing slash. */
    private static String publicUrl(Map<String, String> v) {
        String raw = v.get("app.public-url");
        URI uri = parse(v, "app.public-url", "an absolute URL such as https://chat.example.com", URI::create);
        boolean web = "http".equals(uri.getScheme()) || "https".equals(uri.getScheme());
        if (!web || uri.getHost() == null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException("app.public-url", "'" + raw + "' is not an absolute http or https URL without query or fragment");
        }
        return raw.endsWith("/") ? raw.substring(0, raw.length() - 1) : raw;
    }

    /** A link template with {@code {public-url}} filled in; it must hold {@code {token}} and make an absolute URL. */
    private static String linkTemplate(Map<String, String> v, String key, String publicUrl) {
        String template = v.get(key).replace("{public-url}", publicUrl);
        if (!template.contains("{token}")) throw new ConfigException(key, "must contain {token}");
        try {
            if (!new URI(template.replace("{token}", "t")).isAbsolute()) throw new URISyntaxException(template, "not absolute");
        } catch (URISyntaxException e) {
            throw new ConfigException(key, "'" + v.get(key) + "' does not make an absolute URL");
        }
        return template;
    }

    /** One address, strictly as RFC 822 has it (a display name is fine): every mail's From. */
    private static String mailFrom(Map<String, String> v) {
        String from = required(v, "mail.from");
        try {
            InternetAddress[] parsed = InternetAddress.parse(from, true);
            if (parsed.length != 1) throw new AddressException("not one address");
            parsed[0].validate();
        } catch (AddressException e) {
            throw new ConfigException("mail.from", "'" + from + "' is not one address such as Chat <no-reply@example.com>");
        }
        return from;
    }
}
