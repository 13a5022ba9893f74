package latchkey.sessions;

/**
 * A change to who may use which session, published after its commit. The access cache forgets
 * what it names and nothing else; realtime closes the sockets of ended sessions.
 */
public sealed interface AccessChange {
    long userId();

    /** One session ended: logout, ended from another device, a replayed refresh token. */
    record SessionEnded(long userId, long sessionId) implements AccessChange {
    }

    /** Every session of the user ended: logout-all, a password change or reset, the account disabled or deleted. */
    record SessionsEnded(long userId) implements AccessChange {
    }

    /** The user's row changed (profile, role, email, enabled again); the sessions live on. */
    record UserChanged(long userId) implements AccessChange {
    }
}
