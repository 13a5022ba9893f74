package latchkey.messages;

import latchkey.auth.RateLimiter;
import latchkey.db.Constraints;
import latchkey.db.Database;
import latchkey.db.GroupCommit;
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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

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
    private final GroupCommit.Bulk<Send, Sent> sends = this::sendAll;
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
        return db.commit(sends, new Send(caller, sender, roomId, m));
    }

    private record Send(Principal caller, PublicProfile sender, long roomId, NewMessage message) {
        SendDao.ClientKey key() {
            return message.clientId() == null ? null : new SendDao.ClientKey(caller.userId(), message.clientId());
        }
    }

    /** The sends of a batch, room by room, each answered on its own: one refused send costs the others nothing. */
    private List<GroupCommit.Outcome<Sent>> sendAll(Tx tx, List<Send> batch) {
        Map<Long, List<Integer>> byRoom = new LinkedHashMap<>();
        for (int i = 0; i < batch.size(); i++) byRoom.computeIfAbsent(batch.get(i).roomId(), room -> new ArrayList<>()).add(i);
        List<GroupCommit.Outcome<Sent>> outcomes = new ArrayList<>(Collections.nCopies(batch.size(), null));
        for (Map.Entry<Long, List<Integer>> room : byRoom.entrySet()) {
            List<Send> sends = room.getValue().stream().map(batch::get).toList();
            List<GroupCommit.Outcome<Sent>> sent = sendInRoom(tx, room.getKey(), sends);
            for (int i = 0; i < sends.size(); i++) outcomes.set(room.getValue().get(i), sent.get(i));
        }
        return outcomes;
    }

    /**
     * One room's sends of a batch, in the order they came: one read of the room and its senders'
     * memberships, one lookup of their client_ids, one insert of every new row and one advance of
     * the room's counter by as many numbers as there are new messages.
     */
    private List<GroupCommit.Outcome<Sent>> sendInRoom(Tx tx, long roomId, List<Send> sends) {
        SendDao dao = tx.dao(SendDao.class);
        Map<Long, RoomGate.Standing> standings = rooms.standings(tx, roomId, sends.stream().map(Send::caller).toList());
        List<SendDao.ClientKey> keys = sends.stream().filter(s -> standings.containsKey(s.caller().userId())).map(Send::key)
                .filter(Objects::nonNull).toList();
        Map<SendDao.ClientKey, Message> earlier = new HashMap<>();
        if (!keys.isEmpty()) {
            for (MessageRow row : dao.findByClientIds(roomId, keys)) earlier.put(new SendDao.ClientKey(row.senderId(), row.clientId()), Attachments.of(tx, row));
        }
        // Each send's answer: refused, a message from before, or the index of a new row (its own, or the first of its client_id).
        RuntimeException[] refused = new RuntimeException[sends.size()];
        Message[] found = new Message[sends.size()];
        int[] row = new int[sends.size()];
        boolean[] makes = new boolean[sends.size()];
        List<Send> created = new ArrayList<>();
        Map<SendDao.ClientKey, Integer> newKeys = new HashMap<>();
        // Uploads taken by an earlier new message of this batch: the database shows them unsent until the insert.
        Set<Long> claimed = new HashSet<>();
        for (int i = 0; i < sends.size(); i++) {
            Send send = sends.get(i);
            SendDao.ClientKey key = send.key();
            Message before = key == null ? null : earlier.get(key);
            Integer same = key == null ? null : newKeys.get(key);
            try {
                admit(tx, dao, standings.get(send.caller().userId()), send, before != null || same != null, claimed);
            } catch (ApiException e) {
                refused[i] = e;
                continue;
            }
            found[i] = before;
            if (before != null) continue;
            makes[i] = same == null;
            row[i] = makes[i] ? created.size() : same;
            if (makes[i]) {
                if (key != null) newKeys.put(key, created.size());
                created.add(send);
                claimed.addAll(send.message().attachmentIds());
            }
        }
        List<Message> messages = insert(tx, dao, roomId, standings, created);
        List<GroupCommit.Outcome<Sent>> outcomes = new ArrayList<>(sends.size());
        for (int i = 0; i < sends.size(); i++) {
            if (refused[i] != null) outcomes.add(GroupCommit.Outcome.failed(refused[i]));
            else if (found[i] != null) outcomes.add(GroupCommit.Outcome.of(new Sent(found[i], false)));
            else outcomes.add(GroupCommit.Outcome.of(new Sent(messages.get(row[i]), makes[i])));
        }
        return outcomes;
    }

    /**
     * Throws what the send gets instead of a message; returns when it gets one.
     *
     * @param standing null when the room is hidden from the caller
     * @param retry    the message of the send's client_id exists, or an earlier send of the batch makes it
     * @param claimed  uploads that earlier new messages of the batch attach
     */
    private void admit(Tx tx, SendDao dao, RoomGate.Standing standing, Send send, boolean retry, Set<Long> claimed) {
        if (standing == null) throw RoomGate.noSuchRoom();
        if (!standing.member()) throw notMember();
        if (retry) return;
        Long replyTo = send.message().replyTo();
        if (replyTo != null && dao.find(send.roomId(), replyTo).filter(r -> !r.deleted()).isEmpty()) {
            throw ApiException.validation(Map.of("reply_to", "must be a message of this room that is not deleted"));
        }
        List<Long> attachmentIds = send.message().attachmentIds();
        if (!attachmentIds.isEmpty() && (attachmentIds.stream().anyMatch(claimed::contains)
                || tx.dao(UploadDao.class).countAttachable(send.caller().userId(), attachmentIds) != attachmentIds.size())) {
            throw ApiException.validation(Map.of("attachment_ids", "must be ids of your own uploads that are in no message yet"));
        }
        // Counted here, where a send is known to make a new message: a retry of one already
        // made, and a send refused for its room or its fields, cost nothing of the allowance.
        if (sendLimit != null) {
            long wait = sendLimit.tryAcquire(Long.toString(send.caller().userId()));
            if (wait > 0) throw ApiException.rateLimited(wait);
        }
    }

    /** The new messages, numbered on from the room's counter in the order given, their events queued for after the commit. */
    private List<Message> insert(Tx tx, SendDao dao, long roomId, Map<Long, RoomGate.Standing> standings, List<Send> sends) {
        if (sends.isEmpty()) return List.of();
        long lastSeq = standings.values().iterator().next().lastSeq();
        long now = clock.millis();
        List<SendDao.NewRow> rows = sends.stream()
                .map(s -> new SendDao.NewRow(s.caller().userId(), s.message().text(), s.message().replyTo(), s.message().clientId())).toList();
        Map<Long, Long> ids = new HashMap<>();
        for (SendDao.Inserted inserted : dao.insertAll(roomId, lastSeq + 1, now, rows)) ids.put(inserted.seq(), inserted.id());
        List<Message> messages = new ArrayList<>(sends.size());
        for (int i = 0; i < sends.size(); i++) {
            long seq = lastSeq + 1 + i;
            PublicProfile sender = sends.get(i).sender();
            NewMessage m = sends.get(i).message();
            long id = ids.get(seq);
            List<Upload> attached = List.of();
            if (!m.attachmentIds().isEmpty()) {
                UploadDao uploads = tx.dao(UploadDao.class);
                uploads.attach(id, sender.id(), m.attachmentIds());
                attached = uploads.ofMessages(List.of(id)).stream().map(UploadRow::view).toList();
            }
            Message message = Message.of(new MessageRow(id, roomId, seq, seq, sender.id(), sender.username(), sender.name(),
                    sender.avatarId(), m.text(), m.replyTo(), m.clientId(), now, null, false), attached);
            messages.add(message);
            tx.afterCommit(() -> events.publish(new MessageEvent(MessageEvent.CREATED, roomId, seq, message)));
        }
        requireAdvanced(dao.advanceWithMessages(roomId, lastSeq, lastSeq + sends.size(), messages.get(messages.size() - 1).id(), now));
        return messages;
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
        // Another node's writer took the number first (several nodes on PostgreSQL): the work runs again.
        if (updated != 1) throw new Constraints.Conflict("a room's sequence number moved under its writer");
    }

    private static ApiException notMember() {
        return ApiException.forbidden("Only members of this room can do this; join it first.");
    }

    private static ApiException noSuchMessage() {
        return ApiException.notFound("There is no message with this id in this room.");
    }
}
