package latchkey.messages;

import latchkey.auth.RateLimiter;
import latchkey.db.Database;
import latchkey.db.Tx;
import latchkey.events.EventBus;
import latchkey.http.ApiException;
import latchkey.identity.Principal;
import latchkey.uploads.Upload;
import latchkey.uploads.UploadDao;
import latchkey.uploads.UploadRow;
import latchkey.users.AccountRemoval;
import latchkey.users.PublicProfile;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A room's history: sending, paging, editing, deleting, read cursors, typing. Every change takes
 * the room's next sequence number inside a shared transaction ({@link Database#commit}), and its
 * event is published only after that transaction is on disk.
 */
public final class MessageService implements AccountRemoval {
    /** Unread counts are exact up to here; beyond, clients show "999+". */
    public static final int UNREAD_CAP = 1_000;

    /** {@code attachmentIds}: uploads of the sender's, in no message yet; empty for a text-only message. */
    public record NewMessage(String text, List<Long> attachmentIds, Long replyTo, String clientId) {
    }

    /** {@code created} is false when a retry (same client_id) found the message of the first attempt. */
    public record Sent(Message message, boolean created) {
    }

    public record MessagePage(List<Message> messages, boolean hasMore) {
    }

    public record ReadState(long lastReadSeq, int unreadCount) {
    }

    private final Database db;
    private final RoomGate rooms;
    private final EventBus events;
    private final RateLimiter sendLimit;
    private final TypingThrottle typing;
    private final Clock clock;

    /** @param sendLimit null when rate limits are off */
    public MessageService(Database db, RoomGate rooms, EventBus events, RateLimiter sendLimit, Clock clock) {
        this.db = db;
        this.rooms = rooms;
        this.events = events;
        this.sendLimit = sendLimit;
        this.typing = new TypingThrottle(clock);
        this.clock = clock;
    }

    /** A limiter of {@code perMinute} sends per user. */
    public static RateLimiter sendLimit(int perMinute, Clock clock) {
        return new RateLimiter(perMinute, Duration.ofMinutes(1), clock);
    }

    /**
     * Sends a message and returns once it is on disk; many sends wait together for one commit.
     *
     * @param sender the caller's own profile, as the message shows it
     */
    public Sent send(Principal caller, PublicProfile sender, long roomId, NewMessage m) {
        return db.commit(tx -> {
            RoomGate.Standing standing = requireMember(tx, roomId, caller);
            MessageDao dao = tx.dao(MessageDao.class);
            if (m.clientId() != null) {
                Optional<MessageRow> first = dao.findByClientId(roomId, caller.userId(), m.clientId());
                if (first.isPresent()) return new Sent(Attachments.of(tx, first.get()), false);
            }
            if (m.replyTo() != null && dao.find(roomId, m.replyTo()).filter(row -> !row.deleted()).isEmpty()) {
                throw ApiException.validation(Map.of("reply_to", "must be a message of this room that is not deleted"));
            }
            UploadDao uploads = tx.dao(UploadDao.class);
            if (!m.attachmentIds().isEmpty() && uploads.countAttachable(caller.userId(), m.attachmentIds()) != m.attachmentIds().size()) {
                throw ApiException.validation(Map.of("attachment_ids", "must be ids of your own uploads that are in no message yet"));
            }
            // Counted here, where a send is known to make a new message: a retry of one already
            // made, and a send refused for its room or its fields, cost nothing of the allowance.
            if (sendLimit != null) {
                long wait = sendLimit.tryAcquire(Long.toString(caller.userId()));
                if (wait > 0) throw ApiException.rateLimited(wait);
            }
            long seq = standing.lastSeq() + 1;
            long now = clock.millis();
            long id = dao.insert(roomId, seq, caller.userId(), m.text(), m.replyTo(), m.clientId(), now);
            requireAdvanced(dao.advanceWithMessage(roomId, seq, id, now));
            List<Upload> attached = List.of();
            if (!m.attachmentIds().isEmpty()) {
                uploads.attach(id, caller.userId(), m.attachmentIds());
                attached = uploads.ofMessages(List.of(id)).stream().map(UploadRow::view).toList();
            }
            Message message = Message.of(new MessageRow(id, roomId, seq, seq, sender.id(), sender.username(), sender.name(),
                    sender.avatarId(), m.text(), m.replyTo(), m.clientId(), now, null, false), attached);
            tx.afterCommit(() -> events.publish(new MessageEvent(MessageEvent.CREATED, roomId, seq, message)));
            return new Sent(message, true);
        });
    }

    public Message get(Principal caller, long roomId, long messageId) {
        rooms.standing(roomId, caller);
        return db.query(d -> d.dao(MessageDao.class).find(roomId, messageId).map(row -> Attachments.of(d, row)))
                .orElseThrow(MessageService::noSuchMessage);
    }

    /** The newest page, or the page just before or just after a sequence number; always in ascending order. */
    public MessagePage page(Principal caller, long roomId, Long before, Long after, int limit) {
        rooms.standing(roomId, caller);
        return db.query(d -> {
            MessageDao dao = d.dao(MessageDao.class);
            List<MessageRow> rows = after != null ? dao.after(roomId, after, limit + 1)
                    : before != null ? dao.before(roomId, before, limit + 1)
                    : dao.newest(roomId, limit + 1);
            boolean hasMore = rows.size() > limit;
            List<MessageRow> page = new ArrayList<>(hasMore ? rows.subList(0, limit) : rows);
            if (after == null) Collections.reverse(page);
            return new MessagePage(Attachments.of(d, page), hasMore);
        });
    }

    /**
     * What a client that saw the room up to {@code since} missed: one event per message changed
     * after it, with the message as it is now, in the order of those changes; empty when more than
     * {@code limit} messages changed (the client reloads the room instead).
     */
    public Optional<List<MessageEvent>> changesSince(long roomId, long since, int limit) {
        return db.query(d -> {
            List<MessageRow> rows = d.dao(MessageDao.class).changedSince(roomId, since, limit + 1);
            if (rows.size() > limit) return Optional.<List<MessageEvent>>empty();
            List<Message> messages = Attachments.of(d, rows);
            List<MessageEvent> changes = new ArrayList<>(rows.size());
            for (int i = 0; i < rows.size(); i++) {
                MessageRow row = rows.get(i);
                String type = row.deleted() ? MessageEvent.DELETED : row.seq() > since ? MessageEvent.CREATED : MessageEvent.UPDATED;
                changes.add(new MessageEvent(type, roomId, row.changeSeq(), messages.get(i)));
            }
            return Optional.of(changes);
        });
    }

    /** Only the sender edits, and only a message that is not deleted. */
    public Message edit(Principal caller, long roomId, long messageId, String text) {
        return db.commit(tx -> {
            RoomGate.Standing standing = requireMember(tx, roomId, caller);
            MessageDao dao = tx.dao(MessageDao.class);
            MessageRow row = dao.find(roomId, messageId).orElseThrow(MessageService::noSuchMessage);
            if (row.senderId() == null || row.senderId() != caller.userId()) throw ApiException.forbidden("Only the sender can edit a message.");
            if (row.deleted()) throw ApiException.conflict("This message is deleted.");
            long seq = standing.lastSeq() + 1;
            dao.edit(messageId, text, seq, clock.millis());
            requireAdvanced(dao.advance(roomId, seq));
            Message message = Attachments.of(tx, dao.find(roomId, messageId).orElseThrow());
            tx.afterCommit(() -> events.publish(new MessageEvent(MessageEvent.UPDATED, roomId, seq, message)));
            return message;
        });
    }

    /** The sender, the room's owner and admins, and site admins delete; a deleted message stays as a tombstone. */
    public void delete(Principal caller, long roomId, long messageId) {
        db.commit(tx -> {
            RoomGate.Standing standing = rooms.standing(tx, roomId, caller);
            MessageDao dao = tx.dao(MessageDao.class);
            MessageRow row = dao.find(roomId, messageId).orElseThrow(MessageService::noSuchMessage);
            boolean own = standing.member() && row.senderId() != null && row.senderId() == caller.userId();
            if (!own && !standing.moderator()) throw ApiException.forbidden("Only the sender or a moderator of the room can delete this message.");
            if (!row.deleted()) tombstone(tx, row, standing.lastSeq() + 1);
            return null;
        });
    }

    private void tombstone(Tx tx, MessageRow row, long seq) {
        MessageDao dao = tx.dao(MessageDao.class);
        dao.tombstone(row.id(), seq);
        requireAdvanced(dao.advance(row.roomId(), seq));
        // The tombstone's update takes its uploads with it (a trigger of V5): the message now has none.
        Message message = Message.of(dao.find(row.roomId(), row.id()).orElseThrow(), List.of());
        tx.afterCommit(() -> events.publish(new MessageEvent(MessageEvent.DELETED, row.roomId(), seq, message)));
    }

    /** Moves the caller's read cursor forward, to at most the room's latest number. */
    public ReadState markRead(Principal caller, long roomId, long seq) {
        return db.commit(tx -> {
            RoomGate.Standing standing = requireMember(tx, roomId, caller);
            MessageDao dao = tx.dao(MessageDao.class);
            boolean moved = dao.markRead(roomId, caller.userId(), Math.min(seq, standing.lastSeq())) == 1;
            long cursor = dao.readCursor(roomId, caller.userId()).orElseThrow();
            if (moved) tx.afterCommit(() -> events.publish(new ReadEvent(roomId, caller.userId(), cursor)));
            return new ReadState(cursor, dao.countUnread(roomId, caller.userId(), cursor, UNREAD_CAP));
        });
    }

    public void typing(Principal caller, long roomId) {
        if (!rooms.standing(roomId, caller).member()) throw notMember();
        if (typing.allow(roomId, caller.userId())) events.publish(new TypingEvent(roomId, caller.userId()));
    }

    /** An account's messages become tombstones without a sender, each taking its room's next number. */
    @Override
    public void beforeDelete(Tx tx, long userId) {
        MessageDao dao = tx.dao(MessageDao.class);
        List<MessageRow> sent = dao.bySender(userId);
        dao.forgetSender(userId);
        Map<Long, Long> lastSeqs = new HashMap<>();
        for (MessageRow row : sent) {
            if (row.deleted()) continue;
            long seq = lastSeqs.computeIfAbsent(row.roomId(), dao::lastSeq) + 1;
            lastSeqs.put(row.roomId(), seq);
            tombstone(tx, row, seq);
        }
    }

    private RoomGate.Standing requireMember(Tx tx, long roomId, Principal caller) {
        RoomGate.Standing standing = rooms.standing(tx, roomId, caller);
        if (!standing.member()) throw notMember();
        return standing;
    }

    private static void requireAdvanced(int updated) {
        if (updated != 1) throw new IllegalStateException("a room's sequence number moved under its writer");
    }

    private static ApiException notMember() {
        return ApiException.forbidden("Only members of this room can do this; join it first.");
    }

    private static ApiException noSuchMessage() {
        return ApiException.notFound("There is no message with this id in this room.");
    }
}
