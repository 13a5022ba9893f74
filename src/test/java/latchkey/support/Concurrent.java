package latchkey.support;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/** Requests that race: many calls released together. */
public final class Concurrent {
    private Concurrent() {
    }

    /** Runs {@code count} calls at once (released together) and returns their answers. */
    public static List<Api.Res> atOnce(int count, Supplier<Api.Res> call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(count);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<CompletableFuture<Api.Res>> calls = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                calls.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        start.await();
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                    return call.get();
                }, pool));
            }
            start.countDown();
            List<Api.Res> answers = new ArrayList<>();
            for (var c : calls) answers.add(c.get());
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }
}
