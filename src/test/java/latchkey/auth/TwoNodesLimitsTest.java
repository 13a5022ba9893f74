package latchkey.auth;

import latchkey.support.Api;
import latchkey.support.Harness;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Two nodes on one PostgreSQL database count the abuse limits together: N nodes do not allow N times the attempts. */
class TwoNodesLimitsTest {
    @Test
    void failedLoginsAndRegistrationsOnBothNodesCountAgainstOneLimit() {
        assumeTrue(Harness.POSTGRESQL, "several nodes share a PostgreSQL database");
        Harness.twoNodes(Map.of("ratelimit.login-per-account", "4", "ratelimit.register-per-ip-hour", "4"), (a, b, ctx) -> {
            a.signUp("ada@example.com");
            for (int i = 0; i < 4; i++) {
                Api.Res wrong = (i % 2 == 0 ? a : b).login("ada@example.com", "not the password " + i);
                assertEquals(401, wrong.status(), "attempt " + (i + 1) + ": " + wrong);
            }
            for (Api node : new Api[]{a, b}) {
                Api.Res locked = node.login("ada@example.com", Harness.PASSWORD);
                assertEquals(429, locked.status(), "the fifth attempt, on either node, even with the password: " + locked);
                assertNotNull(locked.header("Retry-After"));
            }
            // ada's sign-up was the first of the IP's four registrations of the hour.
            assertEquals(201, b.register("bob@example.com", Harness.PASSWORD).status());
            assertEquals(201, a.register("cy@example.com", Harness.PASSWORD).status());
            assertEquals(201, b.register("di@example.com", Harness.PASSWORD).status());
            assertEquals(429, a.register("ed@example.com", Harness.PASSWORD).status());
            assertEquals(429, b.register("fay@example.com", Harness.PASSWORD).status());
        });
    }
}
