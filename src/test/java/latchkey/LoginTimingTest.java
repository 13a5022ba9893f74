package latchkey;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.Medians;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * With the real bcrypt cost, a login for an account that does not exist takes as long as a wrong
 * password for one that does: the time of an answer does not tell which emails are registered.
 */
class LoginTimingTest {
    private static final int SAMPLES = 15;

    @Test
    void unknownAccountAndWrongPasswordTakeTheSameTime() {
        Map<String, String> realCost = Map.of("bcrypt.cost", "12", "ratelimit.login-per-account", "1000", "ratelimit.login-per-ip", "1000");
        String[] report = new String[1];
        Harness.test(realCost, (api, ctx) -> {
            assertEquals(201, api.register("timed@example.com", Harness.PASSWORD).status());
            // Warm up both paths (the JIT, and the dummy hash made on the first miss).
            for (int i = 0; i < 3; i++) {
                api.login("nobody@example.com", "a wrong password");
                api.login("timed@example.com", "a wrong password");
            }
            List<Long> unknown = new ArrayList<>();
            List<Long> wrong = new ArrayList<>();
            for (int i = 0; i < SAMPLES; i++) {
                unknown.add(timeFailedLogin(api, "nobody" + i + "@example.com"));
                wrong.add(timeFailedLogin(api, "timed@example.com"));
            }
            double a = Medians.of(unknown);
            double b = Medians.of(wrong);
            double difference = Math.abs(a - b) / Math.max(a, b);
            report[0] = String.format("median unknown account %.1f ms, wrong password %.1f ms, difference %.1f%%",
                    a / 1e6, b / 1e6, difference * 100);
            assertTrue(b > 20e6, "a cost-12 check takes well over 20 ms; was bcrypt skipped? " + report[0]);
            assertTrue(difference < 0.20, report[0]);
        });
        System.out.println("LoginTimingTest: " + report[0]);
    }

    private static long timeFailedLogin(Api api, String email) {
        long start = System.nanoTime();
        Api.Res res = api.login(email, "a wrong password");
        long elapsed = System.nanoTime() - start;
        assertProblem(res, 401, "invalid_credentials");
        return elapsed;
    }
}
