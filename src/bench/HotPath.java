import latchkey.auth.ClientInfo;
import latchkey.db.Database;
import latchkey.events.EventBus;
import latchkey.http.Json;
import latchkey.http.RequestLog;
import latchkey.identity.Role;
import latchkey.sessions.AccessCache;
import latchkey.sessions.SessionDao;
import latchkey.sessions.SessionService;
import latchkey.tokens.AccessTokens;
import latchkey.tokens.TokenResponse;
import latchkey.users.UserRow;
import latchkey.users.UserService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A Maven-free micro-benchmark of the steps of GET /users/me, one thread, in nanoseconds per
 * operation (median of the measured rounds). Run it pinned to one CPU, like the server:
 *
 * <pre>
 * taskset -c 0 java -cp target/latchkey.jar src/bench/HotPath.java [ROUND_MILLIS=1000] [ROUNDS=5]
 * </pre>
 *
 * What it cannot show is Jetty, Javalin and the kernel's share of a request (reading, routing,
 * writing the socket): compare its sum with the server's CPU time per request in src/bench/run.sh.
 */
public final class HotPath {
    private static final String SECRET = "bench-hs256-secret-0123456789abcdef0123456789abcdef";
    private static volatile long sink;

    public static void main(String[] args) throws Exception {
        long roundMillis = args.length > 0 ? Long.parseLong(args[0]) : 1_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path dir = Files.createTempDirectory("latchkey-hotpath");
        // Both logs go to a file, as the server's stderr does under the bench scripts.
        PrintStream file = new PrintStream(new FileOutputStream(dir.resolve("log.txt").toFile()), true, StandardCharsets.UTF_8);
        System.setErr(file);
        Logger slf4j = LoggerFactory.getLogger("latchkey.requests");

        Clock clock = Clock.systemUTC();
        String url = "jdbc:sqlite:" + dir.resolve("hotpath.db");
        try (Database db = Database.open(url)) {
            AccessCache cache = new AccessCache();
            AccessTokens tokens = new AccessTokens(SECRET.getBytes(StandardCharsets.UTF_8), "latchkey", Duration.ofMinutes(15), clock);
            SessionService sessions = new SessionService(db, tokens, cache, new EventBus(), Duration.ofDays(30), Duration.ofSeconds(10), clock);
            UserService users = new UserService(db, new EventBus(), List.of(), clock);
            UserRow user = users.create("hot@example.com", "hotpath", "Hot Path", "$2a$10$notarealhashnotarealhashnotarealhashnotarealhashnotar");
            TokenResponse session = sessions.open(user, new ClientInfo("127.0.0.1", "bench"));
            String jwt = session.accessToken();
            AccessTokens.Claims claims = tokens.verify(jwt);
            

            // Distinct valid tokens, so that every verify below is a full parse and HMAC check.
            List<String> fresh = new ArrayList<>();
            for (int i = 0; i < 200_000; i++) fresh.add(tokens.issue(user.id(), claims.sessionId(), Role.USER));
            int[] next = {0};
            AtomicLong counter = new AtomicLong();
            long processBits = 0x5eed5eed5eed5eedL;
            RequestLog buffered = new RequestLog(file);

            Map<String, LongSupplier> steps = new java.util.LinkedHashMap<>();
            steps.put("JWT parse + HS256 verify (a token not seen before)", () -> tokens.verify(fresh.get(next[0]++ % fresh.size())).userId());
            steps.put("JWT, token verified before (exact-string cache)", () -> tokens.verify(jwt).userId());
            steps.put("session + user check, cached (AccessCache hit)", () -> sessions.liveAccess(claims.sessionId(), claims.userId()).get().user().id());
            steps.put("session + user check from SQLite (a cache miss)", () -> db.read(SessionDao.class, dao -> dao.findAccess(claims.sessionId(), claims.userId())).get().user().id());
            steps.put("JSON of the user (Jackson, as ctx.json)", () -> json(user).length());
            steps.put("request id: UUID.randomUUID()", () -> UUID.randomUUID().toString().length());
            steps.put("request id: process bits + counter", () -> new UUID(processBits, counter.incrementAndGet()).toString().length());
            steps.put("request log: slf4j-simple line + String.format", () -> {
                slf4j.info("{} {} {} {}ms id={}", "GET", "/users/me", 200, String.format("%.1f", 0.25f), "0e1f5e2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
                return 1;
            });
            steps.put("request log: buffered RequestLog", () -> {
                buffered.log("GET", "/users/me", 200, 0.25f, "0e1f5e2a-3c4d-4e5f-8a9b-0c1d2e3f4a5b");
                return 1;
            });

            System.out.printf("latchkey hot path, %d rounds of %d ms after a warm-up, java %s%n%n", rounds, roundMillis, System.getProperty("java.version"));
            System.out.printf("| step | ns/op (median) | min | max |%n|---|---:|---:|---:|%n");
            for (var step : steps.entrySet()) {
                long[] ns = measure(step.getValue(), roundMillis, rounds);
                System.out.printf("| %s | %,d | %,d | %,d |%n", step.getKey(), ns[rounds / 2], ns[0], ns[rounds - 1]);
            }
            buffered.close();
        }
    }

    private static String json(UserRow user) {
        try {
            return Json.MAPPER.writeValueAsString(user.view());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Sorted ns/op of each round, after a warm-up of as many rounds. */
    private static long[] measure(LongSupplier op, long roundMillis, int rounds) {
        for (int r = 0; r < rounds; r++) round(op, roundMillis);
        long[] ns = new long[rounds];
        for (int r = 0; r < rounds; r++) ns[r] = round(op, roundMillis);
        Arrays.sort(ns);
        return ns;
    }

    private static long round(LongSupplier op, long roundMillis) {
        long end = System.nanoTime() + roundMillis * 1_000_000;
        long n = 0;
        long acc = 0;
        long start = System.nanoTime();
        long now;
        do {
            for (int i = 0; i < 256; i++) acc += op.getAsLong();
            n += 256;
        } while ((now = System.nanoTime()) < end);
        sink = acc;
        return (now - start) / n;
    }
}
