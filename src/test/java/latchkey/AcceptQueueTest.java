package latchkey;

import latchkey.support.Harness;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The listen backlog is set before the port opens, from server.accept-queue (Java's default is 50). */
class AcceptQueueTest {
    @Test
    void theConnectorListensWithTheConfiguredBacklog() {
        Harness.test(Map.of("server.accept-queue", "777"), (api, ctx) -> {
            Connector[] connectors = ctx.app().jettyServer().server().getConnectors();
            assertTrue(connectors.length > 0);
            for (Connector connector : connectors) assertEquals(777, ((ServerConnector) connector).getAcceptQueueSize());
        });
    }

    @Test
    void theDefaultIsLarge() {
        Harness.test((api, ctx) -> assertEquals(16384, ((ServerConnector) ctx.app().jettyServer().server().getConnectors()[0]).getAcceptQueueSize()));
    }
}
