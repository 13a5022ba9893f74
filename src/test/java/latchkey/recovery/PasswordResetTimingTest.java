package latchkey.recovery;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.Medians;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static latchkey.support.Api.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reset asked for an email with an account takes as long to answer as one for an email without:
 * the time of the 202 does not tell who is registered. Samples alternate between the two, each on
 * a quiet server (the previous sample's mail already sent), and the medians are compared, as
 * {@code LoginTimingTest} does for logins.
 */
class PasswordResetTimingTest {
    private static final int SAMPLES = 41;

    @Test
    void anEmailWithAnAccountAndOneWithoutTakeTheSameTime() {
        Map<String, String> config = Map.of("ratelimit.reset-per-email-hour", "100000", "ratelimit.reset-per-ip-hour", "100000");
        String[] report = new String[1];
        Harness.test(config, (api, ctx) -> {
            api.signUp("timed@example.com");
            for (int i = 0; i < 10; i++) {
                timeRequest(api, ctx, "warm" + i + "@example.com");
                timeRequest(api, ctx, "timed@example.com");
            }
            List<Long> unknown = new ArrayList<>();
            List<Long> known = new ArrayList<>();
            for (int i = 0; i < SAMPLES; i++) {
                unknown.add(timeRequest(api, ctx, "nobody" + i + "@example.com"));
                known.add(timeRequest(api, ctx, "timed@example.com"));
            }
            double a = Medians.of(unknown);
            double b = Medians.of(known);
            double difference = Math.abs(a - b) / Math.max(a, b);
            report[0] = String.format("median without an account %.2f ms, with one %.2f ms, difference %.1f%%", a / 1e6, b / 1e6, difference * 100);
            assertTrue(difference < 0.20, report[0]);
        });
        System.out.println("PasswordResetTimingTest: " + report[0]);
    }

    private static long timeRequest(Api api, Harness.Context ctx, String email) throws InterruptedException {
        PasswordResetTest.awaitEmptyQueue(ctx);
        long start = System.nanoTime();
        Api.Res res = api.post("/auth/password-reset", json("email", email));
        long elapsed = System.nanoTime() - start;
        assertEquals(202, res.status(), res.body());
        return elapsed;
    }
}
