package latchkey;

import latchkey.support.Api;
import latchkey.support.Harness;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SQLite as the server runs it: WAL, durable commits, a busy timeout, foreign keys; a write never blocks a read. */
class DatabaseModeTest {
    @Test
    void everyConnectionRunsInWalWithFullSyncForeignKeysAndABusyTimeout() {
        Harness.test((api, ctx) -> {
            for (Jdbi jdbi : new Jdbi[]{ctx.db().reader(), ctx.db().writer()}) {
                jdbi.useHandle(h -> {
                    assertEquals("wal", h.createQuery("PRAGMA journal_mode").mapTo(String.class).one());
                    assertEquals(2, h.createQuery("PRAGMA synchronous").mapTo(Integer.class).one(), "FULL");
                    assertEquals(1, h.createQuery("PRAGMA foreign_keys").mapTo(Integer.class).one());
                    assertTrue(h.createQuery("PRAGMA busy_timeout").mapTo(Integer.class).one() >= 1000);
                });
            }
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
}
