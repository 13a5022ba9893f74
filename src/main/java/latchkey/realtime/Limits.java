package latchkey.realtime;

import latchkey.config.Config;

import java.time.Duration;

/** The realtime settings of {@link Config}. */
public record Limits(Duration authTimeout, int replayLimit, int sendQueue, int maxSocketsPerUser, int maxSockets, Duration pingInterval) {
    public static Limits of(Config config) {
        return new Limits(config.realtimeAuthTimeout(), config.realtimeReplayLimit(), config.realtimeSendQueue(),
                config.realtimeMaxSocketsPerUser(), config.realtimeMaxSockets(), config.realtimePingInterval());
    }

    /** Typing and presence are dropped once this many frames wait, well before the queue is full. */
    int dropEphemeralAt() {
        return Math.max(1, sendQueue / 4);
    }
}
