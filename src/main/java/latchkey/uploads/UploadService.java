package latchkey.uploads;

import latchkey.db.Database;
import latchkey.db.Tx;
import latchkey.http.ApiException;
import latchkey.identity.Principal;
import latchkey.messages.RoomGate;
import latchkey.events.EventBus;
import latchkey.sessions.AccessChange;
import latchkey.sessions.SessionService;
import latchkey.users.AccountRemoval;
import latchkey.users.UserRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Uploads: taking a file in (its type from its bytes, images cleaned and measured, limits and
 * quota), deciding who may read one (the one place that decides), and removing files whose
 * upload is gone. A row is written only after its files are complete and durable, so no row
 * ever names half a file; files without a row are what housekeeping removes.
 */
public final class UploadService implements AccountRemoval {
    private static final Logger LOG = LoggerFactory.getLogger(UploadService.class);
    /** Attachments not sent in a message within this long are removed. */
    static final Duration UNSENT_TTL = Duration.ofHours(24);
    /** A file in the folder that no row names is a crash's leftover once it is this old (no upload takes that long). */
    static final Duration STRAY_AGE = Duration.ofHours(1);
    private static final int BATCH = 500;
    private static final int MAX_NAME = 255;

    /** The limits of {@code uploads.*}. */
    public record Limits(long maxBytes, long quotaPerUser, Set<String> types) {
    }

    /** A file the caller may read, and what its response says about it. */
    public record Readable(String key, String contentType, String etag, String name, boolean inline) {
    }

    private final Database db;
    private final FileStore store;
    private final RoomGate rooms;
    private final SessionService sessions;
    private final EventBus events;
    private final Limits limits;
    private final Clock clock;
    private final UploadHousekeeping housekeeping;

    public UploadService(Database db, FileStore store, RoomGate rooms, SessionService sessions, EventBus events,
                         Limits limits, Clock clock) {
        this.db = db;
        this.store = store;
        this.rooms = rooms;
        this.sessions = sessions;
        this.events = events;
        this.limits = limits;
        this.clock = clock;
        this.housekeeping = new UploadHousekeeping(this::sweep, this::removeTrash);
    }

    public UploadHousekeeping housekeeping() {
        return housekeeping;
    }

    public long maxBytes() {
        return limits.maxBytes();
    }

    public FileStore store() {
        return store;
    }

    /** Stores an attachment: an upload of the caller's, in no message until one is sent with it. */
    public Upload upload(Principal caller, MultipartFile file) {
        // Stored first, read after: storing takes a reader connection of its own, and holding one
        // meanwhile would let concurrent uploads take every reader and wait on each other.
        long id = store(caller, file, UploadRow.ATTACHMENT);
        return db.read(UploadDao.class, dao -> dao.find(id)).orElseThrow().view();
    }

    /** Makes an image the caller's avatar; the one it replaces is deleted. */
    public void setAvatar(Principal caller, MultipartFile file) {
        store(caller, file, UploadRow.AVATAR);
        // The access check keeps user rows in memory; the caller's own row now names another avatar.
        events.publish(new AccessChange.UserChanged(caller.userId()));
        removeTrashSoon();
    }

    public void removeAvatar(Principal caller) {
        db.commit(tx -> {
            UploadDao dao = tx.dao(UploadDao.class);
            dao.avatarOf(caller.userId()).ifPresent(old -> {
                dao.setAvatar(caller.userId(), null, clock.millis());
                dao.delete(old);
            });
            return null;
        });
        events.publish(new AccessChange.UserChanged(caller.userId()));
        removeTrashSoon();
    }

    private long store(Principal caller, MultipartFile file, String purpose) {
        long owner = caller.userId();
        if (db.read(UploadDao.class, dao -> dao.usedBytes(owner)) + file.size() > limits.quotaPerUser()) {
            throw ApiException.quotaExceeded(limits.quotaPerUser());
        }
        FileType type = detect(file.file());
        boolean avatar = UploadRow.AVATAR.equals(purpose);
        if (avatar && !type.isImage()) throw ApiException.unsupportedMediaType("An avatar must be a PNG, JPEG, GIF or WebP image.");
        Path cleaned = null;
        Path thumb = null;
        List<String> kept = new ArrayList<>();
        try {
            Path served = file.file();
            Images.Result image = null;
            if (type.isImage()) {
                cleaned = store.temporary();
                thumb = store.temporary();
                image = process(type, file.file(), cleaned, thumb);
                served = cleaned;
            }
            long size = Files.size(served);
            long stored = size + (thumb == null ? 0 : Files.size(thumb));
            String digest = digest(served);
            String fileKey = store.keep(served);
            kept.add(fileKey);
            String thumbKey = thumb == null ? null : store.keep(thumb);
            if (thumbKey != null) kept.add(thumbKey);
            UploadDao.NewUpload row = new UploadDao.NewUpload(owner, purpose, displayName(file.name()), type.contentType(), size,
                    image == null ? null : image.width(), image == null ? null : image.height(), fileKey, thumbKey,
                    image == null ? null : image.thumbnailType().mediaType(), stored, digest, clock.millis());
            long id = db.commit(tx -> {
                UploadDao dao = tx.dao(UploadDao.class);
                // Checked again where it is decided: two uploads at once can not both take the last of the quota.
                if (dao.usedBytes(owner) + stored > limits.quotaPerUser()) throw ApiException.quotaExceeded(limits.quotaPerUser());
                long uploadId = dao.insert(row);
                if (avatar) {
                    Optional<Long> old = dao.avatarOf(owner);
                    dao.setAvatar(owner, uploadId, row.createdAt());
                    old.ifPresent(dao::delete);
                }
                return uploadId;
            });
            kept.clear();
            return id;
        } catch (IOException e) {
            throw new IllegalStateException("can not store an upload: " + e.getMessage(), e);
        } finally {
            for (String key : kept) deleteQuietly(key);
            MultipartFile.deleteQuietly(cleaned);
            MultipartFile.deleteQuietly(thumb);
        }
    }

    private FileType detect(Path file) {
        try {
            return FileType.detect(file).filter(t -> limits.types().contains(t.mediaType())).orElseThrow(() ->
                    ApiException.unsupportedMediaType("This type of file is not accepted; send one of " + String.join(", ", limits.types())
                            + " (the type is read from the file's content, not from its name)."));
        } catch (IOException e) {
            throw new IllegalStateException("can not read a received upload: " + e.getMessage(), e);
        }
    }

    private static Images.Result process(FileType type, Path original, Path cleaned, Path thumb) throws IOException {
        try {
            return Images.process(type, original, cleaned, thumb);
        } catch (Metadata.Corrupt e) {
            throw ApiException.validation(Map.of("file", "is not a valid " + type.mediaType() + " image (" + e.getMessage() + ")"));
        } catch (Images.TooLarge e) {
            throw ApiException.validation(Map.of("file", "has more than " + Images.MAX_PIXELS + " pixels"));
        }
    }

    /** The name as display text: no folders, no control or direction-changing characters, at most 255 characters. */
    static String displayName(String raw) {
        if (raw == null) return "upload";
        String name = raw.substring(Math.max(raw.lastIndexOf('/'), raw.lastIndexOf('\\')) + 1);
        StringBuilder clean = new StringBuilder();
        name.codePoints().filter(c -> !Character.isISOControl(c) && !isBidiControl(c)).limit(MAX_NAME).forEach(clean::appendCodePoint);
        String result = clean.toString().strip();
        return result.isEmpty() || result.equals(".") || result.equals("..") ? "upload" : result;
    }

    private static boolean isBidiControl(int c) {
        return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
    }

    private static String digest(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) sha.update(buffer, 0, n);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    /** An upload the caller may read, or not found: one that does not exist and one they may not see look the same. */
    public Readable readable(Principal viewer, long uploadId, boolean thumbnail) {
        UploadRow row = db.read(UploadDao.class, dao -> dao.find(uploadId)).filter(r -> mayRead(viewer, r))
                .orElseThrow(UploadService::noSuchUpload);
        if (thumbnail) {
            if (row.thumbKey() == null) throw noSuchUpload();
            return new Readable(row.thumbKey(), row.thumbType(), "\"" + row.digest() + ".t\"", row.name(), true);
        }
        return new Readable(row.fileKey(), row.contentType(), "\"" + row.digest() + "\"", row.name(),
                row.contentType().startsWith("image/"));
    }

    /** The same, for a signed link: its session must still be live and its user enabled. */
    public Readable readable(SignedUrls.Claims link) {
        UserRow user = sessions.liveAccess(link.sessionId(), link.userId()).map(access -> access.user())
                .filter(u -> !u.disabled()).orElseThrow(UploadService::noSuchUpload);
        return readable(new Principal(user.id(), link.sessionId(), user.roleValue()), link.uploadId(), link.thumbnail());
    }

    /** The uploader; anyone signed in for an avatar; whoever may read the room of the message that carries it. */
    private boolean mayRead(Principal viewer, UploadRow row) {
        if (row.ownerId() == viewer.userId() || UploadRow.AVATAR.equals(row.purpose())) return true;
        if (row.roomId() == null) return false;
        try {
            rooms.standing(row.roomId(), viewer);
            return true;
        } catch (ApiException e) {
            return false;
        }
    }

    private static ApiException noSuchUpload() {
        return ApiException.notFound("There is no upload with this id, or it is not yours to see.");
    }

    /** An account's uploads go with it; their files are removed right after the commit. */
    @Override
    public void beforeDelete(Tx tx, long userId) {
        tx.dao(UploadDao.class).deleteOwnedBy(userId);
        tx.afterCommit(this::removeTrashSoon);
    }

    /** Removes the files of uploads deleted by a commit that just happened (a message, a room, an account). */
    public void removeTrashSoon() {
        housekeeping.soon();
    }

    /** Removes unsent attachments past their day, the files of deleted uploads, and files a crash left without a row. */
    void sweep() {
        long now = clock.millis();
        int unsent = db.commit(tx -> tx.dao(UploadDao.class).deleteUnsent(now - UNSENT_TTL.toMillis()));
        if (unsent > 0) LOG.info("housekeeping: removed {} attachments never sent", unsent);
        removeTrash();
        try {
            List<String> old = store.olderThan(clock.instant().minus(STRAY_AGE));
            for (int i = 0; i < old.size(); i += BATCH) {
                List<String> batch = old.subList(i, Math.min(old.size(), i + BATCH));
                Set<String> named = new HashSet<>(db.read(UploadDao.class, dao -> dao.named(batch)));
                for (String key : batch) {
                    if (!named.contains(key)) deleteQuietly(key);
                }
            }
        } catch (IOException e) {
            LOG.warn("housekeeping could not list the uploads folder: {}", e.getMessage());
        }
    }

    /** Removes the files of deleted uploads, then forgets them. */
    void removeTrash() {
        while (true) {
            List<String> keys = db.read(UploadDao.class, dao -> dao.trash(BATCH));
            if (keys.isEmpty()) return;
            for (String key : keys) deleteQuietly(key);
            db.commit(tx -> tx.dao(UploadDao.class).forget(keys));
        }
    }

    private void deleteQuietly(String key) {
        try {
            store.delete(key);
        } catch (IOException e) {
            LOG.warn("could not remove an upload's file: {}", e.getMessage());
        }
    }
}
