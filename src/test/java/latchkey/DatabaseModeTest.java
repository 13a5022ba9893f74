package latchkey;

import latchkey.support.Api;
import latchkey.support.Harness;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The database as the server runs it (SQLite: WAL, durable commits, a busy timeout, foreign keys); a write never blocks a read. */
class DatabaseModeTest {
    @Test
    void everyConnectionRunsInWalWithFullSyncForeignKeysAndABusyTimeout() {
        assumeFalse(Harness.POSTGRESQL, "SQLite's settings");
        Harness.test((api, ctx) -> {
            Consumer<Handle> check = h -> {
                assertEquals("wal", h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
                assertEquals(2, h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one(), "FULL");
                assertEquals(1, h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one());
                assertTrue(h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one() >= 1000);
            };
            ctx.db().writer().useHandle(check::accept);
            ctx.db().read(h -> {
                check.accept(h);
                assertEquals(1, h.createQuery("PRAGMA query_only").mapTo(Integer.class).one(), "readers can not write");
                return null;
            });
        });
    }

    @Test
    void onPostgresqlCommitsWaitForTheServersDiskAndReadersCanNotWrite() {
        assumeTrue(Harness.POSTGRESQL, "PostgreSQL's settings");
        Harness.test((api, ctx) -> {
            assertEquals("on", ctx.db().writer().withHandle(h -> h.createQuery("SHOW synchronous_commit").mapTo(String.class).one()));
            assertEquals("off", ctx.db().writer().withHandle(h -> h.createQuery("SHOW transaction_read_only").mapTo(String.class).one()));
            assertEquals("on", ctx.db().read(h -> h.createQuery("SHOW transaction_read_only").mapTo(String.class).one()), "readers can not write");
        });
    }

    @Test
    void aLongWriteDoesNotBlockReads() throws Exception {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("reader@example.com");
            CountDownLatch writing = new CountDownLatch(1);
            CompletableFuture<Void> longWrite = CompletableFuture.runAsync(() -> ctx.db().writer().useTransaction(h -> {
                h.execute("UPDATE users SET name = 'being written' WHERE id = ?", s.userId());
                writing.countDown();
                LockSupport.parkNanos(1_500_000_000L);
            }));
            assertTrue(writing.await(10, TimeUnit.SECONDS));
            long start = System.nanoTime();
            Api.Res profile = api.get("/users/" + s.userId(), s.accessToken());
            Api.Res health = api.get("/health");
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(200, profile.status());
            assertEquals(200, health.status());
            assertEquals("null", String.valueOf(profile.text("name")), "a reader sees the last commit, not the open write");
            assertTrue(millis < 1_000, "reads took " + millis + " ms while a write was open");
            longWrite.get(10, TimeUnit.SECONDS);
            assertEquals("being written", api.get("/users/" + s.userId(), s.accessToken()).text("name"));
        });
    }

    @Test
    void readersSeeEveryCommitAndHoldNoSnapshotBetweenQueries() {
        Harness.test((api, ctx) -> {
            Api.Session s = api.signUp("fresh@example.com");
            // Enough reads that every reader connection has run (and kept) the profile query.
            for (int i = 0; i < 12; i++) assertEquals("null", String.valueOf(api.get("/users/" + s.userId(), s.accessToken()).text("name")));
            for (String name : new String[]{"first", "second"}) {
                ctx.db().writer().useHandle(h -> h.execute("UPDATE users SET name = ? WHERE id = ?", name, s.userId()));
                for (int i = 0; i < 12; i++) assertEquals(name, api.get("/users/" + s.userId(), s.accessToken()).text("name"));
            }
            if (Harness.POSTGRESQL) {
                int open = ctx.db().writer().withHandle(h -> h.createQuery("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE datname = current_database() AND state LIKE 'idle in transaction%'""").mapTo(Integer.class).one());
                assertEquals(0, open, "a connection sits in an open transaction");
            } else {
                // A reader left inside a read transaction would keep the WAL from being checkpointed whole.
                int busy = ctx.db().writer().withHandle(h -> h.createQuery("PRAGMA wal_checkpoint(TRUNCATE)").mapTo(Integer.class).first());
                assertEquals(0, busy, "a reader still holds an old snapshot");
            }
        });
    }

    @Test
    void aQueryRunInsideAnotherWithTheSameSqlGetsItsOwnStatement() {
        Harness.test((api, ctx) -> {
            for (String email : new String[]{"a@example.com", "b@example.com", "c@example.com"}) api.signUp(email);
            String sql = "SELECT email FROM users WHERE email >= :from ORDER BY email";
            List<String> pairs = ctx.db().read(h -> {
                try (var outer = h.createQuery(sql).bind("from", "").mapTo(String.class).stream()) {
                    return outer.map(email -> email + "/" + String.join(",",
                            h.createQuery(sql).bind("from", email).mapTo(String.class).list())).toList();
                }
            });
            assertEquals(List.of("a@example.com/a@example.com,b@example.com,c@example.com",
                    "b@example.com/b@example.com,c@example.com", "c@example.com/c@example.com"), pairs);
            assertEquals(List.of("b@example.com", "c@example.com"),
                    ctx.db().read(h -> h.createQuery(sql).bind("from", "b").mapTo(String.class).list()), "the kept statement runs again");
        });
    }
}
