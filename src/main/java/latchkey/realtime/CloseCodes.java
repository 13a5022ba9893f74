package latchkey.realtime;

/** The close codes of the realtime contract, and the two Latchkey adds for its socket caps. */
final class CloseCodes {
    static final int GOING_AWAY = 1001;
    static final int TOO_BIG = 1009;
    static final int TRY_AGAIN_LATER = 1013;
    static final int UNAUTHORIZED = 4401;
    static final int AUTH_TIMEOUT = 4408;
    static final int TOO_MANY_SOCKETS = 4409;
    static final int TOO_SLOW = 4429;

    private CloseCodes() {
    }
}
