package latchkey.recovery;

import latchkey.support.Api;
import latchkey.support.Concurrent;
import latchkey.support.Harness;
import latchkey.support.Outbox;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Two nodes share one mail queue: both wake for the mails queued at once on either, each reads
 * every due mail, and still each mail goes out once.
 */
class TwoNodesMailTest {
    @Test
    void mailsQueuedOnBothNodesAtOnceGoOutOnceEach() throws Exception {
        assumeTrue(Harness.POSTGRESQL, "several nodes share a PostgreSQL database");
        int users = 30;
        Harness.twoNodes(Map.of("ratelimit.reset-per-ip-hour", "1000"), (a, b, ctx) -> {
            for (int i = 0; i < users; i++) a.signUp("user" + i + "@example.com");
            // The sign-ups' verification mails first, so that only the resets are counted below.
            Outbox.await(ctx.config().mailOutboxDir(), users);
            AtomicInteger n = new AtomicInteger();
            List<Api.Res> asked = Concurrent.atOnce(users, () -> {
                int i = n.getAndIncrement();
                return (i % 2 == 0 ? a : b).post("/auth/password-reset", json("email", "user" + i + "@example.com"));
            });
            for (Api.Res res : asked) assertEquals(202, res.status(), res.toString());
            Outbox.await(ctx.config().mailOutboxDir(), 2 * users);
            Thread.sleep(1_000); // a second sending of any of them would have landed by now
            List<Outbox.Received> mails = Outbox.await(ctx.config().mailOutboxDir(), 2 * users);
            Map<String, Integer> resets = new HashMap<>();
            for (Outbox.Received mail : mails) {
                if (mail.kind().equals("password-reset")) resets.merge(mail.to(), 1, Integer::sum);
            }
            assertEquals(users, resets.size(), "every user got a reset mail");
            resets.forEach((to, count) -> assertEquals(1, count, to + " got " + count + " reset mails"));
            assertEquals(2 * users, Outbox.files(ctx.config().mailOutboxDir()).size(), "no mail twice");
        });
    }
}
