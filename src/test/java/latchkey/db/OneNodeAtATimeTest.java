package latchkey.db;

import latchkey.support.Harness;
import latchkey.support.Postgres;
import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Work that one node at a time must do (housekeeping): while node A runs it, node B skips; after, B runs it. */
class OneNodeAtATimeTest {
    @Test
    void whileOneNodeRunsTheWorkTheOtherSkipsIt() throws Exception {
        assumeTrue(Harness.POSTGRESQL, "several nodes share a PostgreSQL database");
        String url = Postgres.server().freshDatabase();
        try (Database a = Database.open(url, Postgres.USER, ""); Database b = Database.open(url, Postgres.USER, "")) {
            CountDownLatch inside = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            CompletableFuture<Boolean> onA = CompletableFuture.supplyAsync(() -> a.onOneNodeAtATime("housekeeping", () -> {
                inside.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
            assertTrue(inside.await(10, TimeUnit.SECONDS));
            AtomicBoolean ranOnB = new AtomicBoolean();
            assertFalse(b.onOneNodeAtATime("housekeeping", () -> ranOnB.set(true)), "B skips while A is at it");
            assertFalse(ranOnB.get());
            assertTrue(b.onOneNodeAtATime("something else", () -> { }), "another name is another lock");
            release.countDown();
            assertTrue(onA.get(10, TimeUnit.SECONDS));
            assertTrue(b.onOneNodeAtATime("housekeeping", () -> ranOnB.set(true)), "once A is done, B runs it");
            assertTrue(ranOnB.get());
        } finally {
            Postgres.server().drop(url);
        }
    }
}
