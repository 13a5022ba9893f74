package latchkey.users;

import latchkey.db.Constraints;
import latchkey.db.Database;
import latchkey.events.EventBus;
import latchkey.http.ApiException;
import latchkey.identity.Role;
import latchkey.sessions.AccessChange;
import latchkey.sessions.SessionDao;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Accounts: creating them, reading and changing profiles, search, and what administrators may change. */
public final class UserService {
    /** A PATCH of a profile: a field that was not sent is left as it is. */
    public record ProfileChange(boolean setUsername, String username, boolean setName, String name) {
    }

    /** An administrator's PATCH: null leaves the value as it is. */
    public record AdminChange(Role role, Boolean disabled) {
    }

    /** Matches (usernames plus names) from which a prefix search walks the table instead of the indexes. */
    static final int BROAD_PREFIX = 2_000;

    private final Database db;
    private final EventBus events;
    private final List<AccountRemoval> removals;
    private final Clock clock;

    /** @param removals what other features do with an account's data when it is deleted, in this order */
    public UserService(Database db, EventBus events, List<AccountRemoval> removals, Clock clock) {
        this.db = db;
        this.events = events;
        this.removals = List.copyOf(removals);
        this.clock = clock;
    }

    /** Creates an account; the unique indexes decide between racing registrations. */
    public UserRow create(String email, String username, String name, String passwordHash) {
        UserDao.NewUser user = new UserDao.NewUser(email, username, UserFields.key(username), name, UserFields.key(name),
                passwordHash, clock.millis());
        long id = write(() -> db.writer().withExtension(UserDao.class, dao -> dao.insert(user)));
        return db.read(UserDao.class, dao -> dao.findById(id)).orElseThrow();
    }

    /** Refuses early, before any password hashing, when the email or username is already taken. */
    public void requireAvailable(String email, String username) {
        if (db.read(UserDao.class, dao -> dao.findByEmail(email)).isPresent()) throw ApiException.emailTaken();
        if (username != null && db.read(UserDao.class, dao -> dao.findByUsernameKey(UserFields.key(username))).isPresent()) {
            throw ApiException.usernameTaken();
        }
    }

    /** The account a login names: by email (case-insensitive) or by username (case-insensitive). */
    public Optional<UserRow> findForLogin(String email, String username) {
        return db.read(UserDao.class, dao -> email != null ? dao.findByEmail(email) : dao.findByUsernameKey(UserFields.key(username)));
    }

    public Optional<UserRow> findByEmail(String email) {
        return db.read(UserDao.class, dao -> dao.findByEmail(UserFields.key(email)));
    }

    /**
     * Reads and writes in one transaction on the writer: two PATCHes of different fields at once
     * must not write back each other's stale values, and the answer is the row as this write left it.
     */
    public User updateProfile(long userId, ProfileChange change) {
        UserRow updated = write(() -> db.writer().inTransaction(h -> {
            UserDao dao = h.attach(UserDao.class);
            UserRow current = dao.findById(userId).orElseThrow(() -> ApiException.invalidToken("This account no longer exists."));
            String username = change.setUsername() ? change.username() : current.username();
            String name = change.setName() ? change.name() : current.name();
            dao.updateProfile(userId, username, UserFields.key(username), name, UserFields.key(name), clock.millis());
            return dao.findById(userId).orElseThrow();
        }));
        events.publish(new AccessChange.UserChanged(userId));
        return updated.view();
    }

    /** Stores a new password hash; every session of the user ends. */
    public void changePassword(long userId, String newHash) {
        changePassword(userId, newHash, h -> { });
    }

    /**
     * The same, with {@code first} run at the start of the same transaction: a password reset
     * spends its token there, and by throwing it stops the change (both happen, or neither).
     */
    public void changePassword(long userId, String newHash, Consumer<Handle> first) {
        long now = clock.millis();
        db.writer().useTransaction(h -> {
            first.accept(h);
            h.attach(UserDao.class).changePassword(userId, newHash, now);
            h.attach(SessionDao.class).revokeAll(userId, now);
        });
        events.publish(new AccessChange.SessionsEnded(userId));
    }

    /** Replaces a hash made at a lower cost; a no-op when the password changed in between. */
    public void upgradeHash(UserRow user, String newHash) {
        db.writer().useExtension(UserDao.class, dao -> dao.upgradeHash(user.id(), user.passwordHash(), newHash));
    }

    /**
     * Deletes the account in one transaction with what the other features do with its data; its
     * sessions and refresh tokens go with it (foreign keys cascade).
     */
    public void delete(long userId) {
        int deleted = db.commit(tx -> {
            if (tx.dao(UserDao.class).findById(userId).isEmpty()) return 0;
            for (AccountRemoval removal : removals) removal.beforeDelete(tx, userId);
            return tx.dao(UserDao.class).delete(userId);
        });
        if (deleted > 0) events.publish(new AccessChange.SessionsEnded(userId));
        if (deleted == 0) throw ApiException.notFound("There is no user with this id.");
    }

    public User user(long id) {
        return db.read(UserDao.class, dao -> dao.findById(id)).map(UserRow::view).orElseThrow(() -> ApiException.notFound("There is no user with this id."));
    }

    public PublicProfile profile(long id) {
        return db.read(UserDao.class, dao -> dao.findProfile(id)).orElseThrow(() -> ApiException.notFound("There is no user with this id."));
    }

    /**
     * A prefix that few users match is looked up in the username and name indexes; one that many
     * match (a single letter among a million users) is found faster by walking users in id order,
     * since a page needs only the first matches. Either way a search reads at most a few thousand
     * index entries or rows, whatever the number of users, as long as matches are spread over the ids.
     */
    public Page.Result<PublicProfile> search(Page page) {
        List<PublicProfile> rows = db.read(UserDao.class, dao -> {
            if (page.q() == null) return dao.listProfiles(page.after(), page.fetchSize());
            if (dao.countPrefixMatches(page.q(), page.upperBound(), BROAD_PREFIX) < BROAD_PREFIX) {
                return dao.searchProfiles(page.q(), page.upperBound(), page.after(), page.fetchSize());
            }
            return dao.scanProfiles(page.q(), page.upperBound(), page.after(), page.fetchSize());
        });
        return page.result(rows, PublicProfile::id);
    }

    public Page.Result<AdminUser> searchAll(Page page) {
        List<UserRow> rows = db.read(UserDao.class, dao -> page.q() == null
                ? dao.listUsers(page.after(), page.fetchSize())
                : dao.searchUsers(page.q(), page.upperBound(), page.after(), page.fetchSize()));
        return page.result(rows.stream().map(AdminUser::of).toList(), AdminUser::id);
    }

    /** An administrator's change to a user. Disabling ends the user's sessions. */
    public AdminUser adminUpdate(long adminId, long userId, AdminChange change) {
        if (adminId == userId && (change.role() == Role.USER || Boolean.TRUE.equals(change.disabled()))) {
            throw ApiException.conflict("Administrators can not remove their own admin role or disable themselves.");
        }
        long now = clock.millis();
        boolean found = db.writer().inTransaction(h -> {
            UserDao dao = h.attach(UserDao.class);
            if (dao.findById(userId).isEmpty()) return false;
            if (change.role() != null) dao.setRole(userId, change.role().wireName(), now);
            if (change.disabled() != null) {
                dao.setDisabled(userId, change.disabled(), now);
                if (change.disabled()) h.attach(SessionDao.class).revokeAll(userId, now);
            }
            return true;
        });
        if (found) events.publish(Boolean.TRUE.equals(change.disabled()) ? new AccessChange.SessionsEnded(userId) : new AccessChange.UserChanged(userId));
        if (!found) throw ApiException.notFound("There is no user with this id.");
        return AdminUser.of(db.read(UserDao.class, dao -> dao.findById(userId)).orElseThrow());
    }

    public void adminDelete(long adminId, long userId) {
        if (adminId == userId) throw ApiException.conflict("Administrators can not delete their own account here; use DELETE /users/me.");
        delete(userId);
    }

    /** Makes the user with this email an administrator; false when there is none. */
    public boolean grantAdmin(String email) {
        Optional<UserRow> user = findByEmail(email);
        user.ifPresent(u -> db.writer().useExtension(UserDao.class, dao -> dao.setRole(u.id(), Role.ADMIN.wireName(), clock.millis())));
        user.ifPresent(u -> events.publish(new AccessChange.UserChanged(u.id())));
        return user.isPresent();
    }

    private static <T> T write(Supplier<T> write) {
        try {
            return write.get();
        } catch (RuntimeException e) {
            if (Constraints.isUniqueViolation(e, "users.email")) throw ApiException.emailTaken();
            if (Constraints.isUniqueViolation(e, "users.username_key")) throw ApiException.usernameTaken();
            throw e;
        }
    }
}
