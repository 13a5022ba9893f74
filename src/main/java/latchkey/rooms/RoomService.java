package latchkey.rooms;

import latchkey.db.Daos;
import latchkey.db.Database;
import latchkey.db.Tx;
import latchkey.events.EventBus;
import latchkey.http.ApiException;
import latchkey.http.Text;
import latchkey.identity.Principal;
import latchkey.messages.Attachments;
import latchkey.messages.Message;
import latchkey.messages.MessageDao;
import latchkey.messages.MessageService;
import latchkey.messages.RoomGate;
import latchkey.users.AccountRemoval;
import latchkey.users.PublicProfile;
import latchkey.users.UserFields;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Rooms, their members and who may do what in them. Site admins moderate every group room
 * (public or private) as its owner would; direct conversations stay between their two members.
 * Writes go through the shared transactions of {@link Database#commit}, like the history's, and
 * their events are published after the commit.
 */
public final class RoomService implements RoomGate, AccountRemoval {
    public record NewRoom(String name, String topic, boolean isPrivate, List<Long> memberIds) {
    }

    /** A PATCH: a field that was not sent stays as it is. */
    public record RoomChange(boolean setName, String name, boolean setTopic, String topic, Boolean isPrivate) {
    }

    public record RoomPage(List<Room> rooms, String next) {
    }

    public record MemberPage(List<Member> members, String next) {
    }

    /** {@code created} is false when the direct room of the pair already existed. */
    public record Opened(Room room, boolean created) {
    }

    /** {@code added} is true for a new member, false for a role change. */
    public record MemberChange(Member member, boolean added) {
    }

    private final Database db;
    private final EventBus events;
    private final int maxMembers;
    private final Clock clock;

    public RoomService(Database db, EventBus events, int maxMembers, Clock clock) {
        this.db = db;
        this.events = events;
        this.maxMembers = maxMembers;
        this.clock = clock;
    }

    public Room create(Principal caller, NewRoom r) {
        List<Long> others = r.memberIds().stream().filter(id -> id != caller.userId()).toList();
        if (1 + others.size() > maxMembers) throw ApiException.roomFull(maxMembers);
        return db.commit(tx -> {
            RoomDao dao = tx.dao(RoomDao.class);
            List<PublicProfile> profiles = dao.enabledProfiles(others);
            if (profiles.size() != others.size()) {
                throw ApiException.validation(Map.of("member_ids", "must name existing users"));
            }
            long now = clock.millis();
            long roomId = dao.insert(RoomRow.GROUP, r.name(), UserFields.key(r.name()), r.topic(), r.isPrivate(), null, now);
            addMember(tx, roomId, profile(dao, caller.userId()), RoomRole.OWNER, 0, now);
            for (PublicProfile member : profiles) addMember(tx, roomId, member, RoomRole.MEMBER, 0, now);
            dao.recount(roomId);
            return view(tx, load(dao, roomId, caller), caller.userId());
        });
    }

    /** The one direct room of the caller and {@code userId}, made on first use; both may open it at once. */
    public Opened openDirect(Principal caller, long userId) {
        if (userId == caller.userId()) throw ApiException.validation(Map.of("user_id", "must be someone else"));
        String pair = Math.min(userId, caller.userId()) + ":" + Math.max(userId, caller.userId());
        return db.commit(tx -> {
            RoomDao dao = tx.dao(RoomDao.class);
            List<PublicProfile> peer = dao.enabledProfiles(List.of(userId));
            if (peer.isEmpty()) throw ApiException.notFound("There is no user with this id.");
            Optional<Long> existing = dao.findDirect(pair);
            if (existing.isPresent()) return new Opened(view(tx, load(dao, existing.get(), caller), caller.userId()), false);
            long now = clock.millis();
            long roomId = dao.insert(RoomRow.DIRECT, null, null, null, true, pair, now);
            addMember(tx, roomId, profile(dao, caller.userId()), RoomRole.MEMBER, 0, now);
            addMember(tx, roomId, peer.get(0), RoomRole.MEMBER, 0, now);
            dao.recount(roomId);
            return new Opened(view(tx, load(dao, roomId, caller), caller.userId()), true);
        });
    }

    public Room get(Principal caller, long roomId) {
        return db.query(d -> view(d, load(d.dao(RoomDao.class), roomId, caller), caller.userId()));
    }

    /** The caller's rooms, latest activity first; {@code cursor} is a page's {@code next}. */
    public RoomPage joined(Principal caller, int limit, Cursors.Position after) {
        Cursors.Position from = after == null ? new Cursors.Position(Long.MAX_VALUE, Long.MAX_VALUE) : after;
        return db.query(d -> {
            List<RoomDao.CallerRoom> rows = d.dao(RoomDao.class).joined(caller.userId(), from.at(), from.id(), limit + 1);
            return page(d, rows, limit, caller, last -> new Cursors.Position(last.room().activityAt(), last.room().id()).encode());
        });
    }

    /** Public group rooms by name, optionally those whose name starts with {@code q} (case-insensitive). */
    public RoomPage directory(Principal caller, String q, int limit, Cursors.NamePosition after) {
        String lo = q == null ? "" : UserFields.key(q);
        String hi = q == null ? null : Text.prefixUpperBound(lo);
        Cursors.NamePosition from = after == null ? new Cursors.NamePosition("", 0) : after;
        return db.query(d -> {
            List<RoomDao.CallerRoom> rows = d.dao(RoomDao.class).directory(caller.userId(), lo, hi, from.key(), from.id(), limit + 1);
            return page(d, rows, limit, caller, last -> new Cursors.NamePosition(UserFields.key(last.room().name()), last.room().id()).encode());
        });
    }

    private RoomPage page(Daos d, List<RoomDao.CallerRoom> rows, int limit, Principal caller,
                          Function<RoomDao.CallerRoom, String> position) {
        List<RoomDao.CallerRoom> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
        List<Room> rooms = new ArrayList<>(shown.size());
        for (RoomDao.CallerRoom row : shown) rooms.add(view(d, row, caller.userId()));
        String next = rows.size() > limit ? position.apply(shown.get(shown.size() - 1)) : null;
        return new RoomPage(rooms, next);
    }

    /** Owners and admins change a group room's name, topic and privacy. */
    public Room update(Principal caller, long roomId, RoomChange change) {
        return db.commit(tx -> {
            RoomDao dao = tx.dao(RoomDao.class);
            RoomDao.CallerRoom current = requireGroup(load(dao, roomId, caller));
            if (!manages(current, caller)) throw ApiException.forbidden("Only the room's owner and admins can change it.");
            RoomRow room = current.room();
            String name = change.setName() ? change.name() : room.name();
            String topic = change.setTopic() ? change.topic() : room.topic();
            boolean isPrivate = change.isPrivate() != null ? change.isPrivate() : room.isPrivate();
            dao.update(roomId, name, UserFields.key(name), topic, isPrivate, clock.millis());
            Room updated = view(tx, load(dao, roomId, caller), caller.userId());
            tx.afterCommit(() -> events.publish(new RoomEvent.Updated(updated.withoutMembership())));
            return updated;
        });
    }

    /** The owner or a site admin deletes a group room, with its messages. */
    public void delete(Principal caller, long roomId) {
        db.commit(tx -> {
            RoomDao dao = tx.dao(RoomDao.class);
            RoomDao.CallerRoom current = load(dao, roomId, caller);
            if (current.room().isDirect()) throw ApiException.conflict("Direct conversations can not be deleted.");
            if (current.role() != RoomRole.OWNER && !caller.isSiteAdmin()) throw ApiException.forbidden("Only the room's owner can delete it.");
            deleteRoom(tx, roomId);
            return null;
        });
    }

    public List<Long> roomIdsOf(long userId) {
        return db.read(RoomDao.class, dao -> dao.roomIdsOf(userId));
    }

    /** Joins a public group room; joining one you are in is fine. */
    public Room join(Principal caller, long roomId) {
        return db.commit(tx -> {
            RoomDao dao = tx.dao(RoomDao.class);
            RoomDao.CallerRoom current = requireGroup(load(dao, roomId, caller));
            if (current.role() == null) {
                if (current.room().isPrivate()) throw ApiException.forbidden("Private rooms are joined by invitation: an owner or admin adds you.");
                requireSpace(current.room());
                addMember(tx, roomId, profile(dao, caller.userId()), RoomRole.MEMBER, current.room().lastSeq(), clock.millis());
                dao.recount(roomId);
            }
            return view(tx, load(dao, roomId, caller), caller.userId());
        });
    }

    /** Leaves a group room (leaving one you are not in is fine). An owner's room passes on; an empty room is deleted. */
    public void leave(Principal caller, long roomId) {
        db.commit(tx -> {
            RoomDao dao = tx.dao(RoomDao.class);
            RoomDao.CallerRoom current = requireGroup(load(dao, roomId, caller));
            dao.member(roomId, caller.userId()).ifPresent(member -> removeMember(tx, current.room(), member));
            return null;
        });
    }

    public MemberPage members(Principal caller, long roomId, int limit, Cursors.Position after) {
        Cursors.Position from = after == null ? new Cursors.Position(Long.MIN_VALUE, 0) : after;
        return db.query(d -> {
            RoomDao dao = d.dao(RoomDao.class);
            load(dao, roomId, caller);
            List<MemberRow> rows = dao.members(roomId, from.at(), from.id(), limit + 1);
            List<MemberRow> shown = rows.size() > limit ? rows.subList(0, limit) : rows;
            MemberRow last = shown.isEmpty() ? null : shown.get(shown.size() - 1);
            String next = rows.size() > limit ? new Cursors.Position(last.joinedAt(), last.userId()).encode() : null;
            return new MemberPage(shown.stream().map(Member::of).toList(), next);
        });
    }

    /**
     * Adds a member ({@code role} null: member) or changes a member's role. Owners and admins add
     * members; only the owner grants or takes admin, and only the owner passes ownership on
     * ({@code role} owner: the old owner becomes an admin).
     */
    public MemberChange putMember(Principal caller, long roomId, long userId, RoomRole role) {
        return db.commit(tx -> {
            RoomDao dao = tx.dao(RoomDao.class);
            RoomDao.CallerRoom current = requireGroup(load(dao, roomId, caller));
            if (!manages(current, caller)) throw ApiException.forbidden("Only the room's owner and admins can add members or change roles.");
            boolean owner = current.role() == RoomRole.OWNER || caller.isSiteAdmin();
            Optional<MemberRow> existing = dao.member(roomId, userId);
            if (existing.isEmpty()) {
                if (role == RoomRole.OWNER) throw ApiException.validation(Map.of("role", "a new member can be member or admin; make an existing member owner"));
                if (role == RoomRole.ADMIN && !owner) throw ApiException.forbidden("Only the room's owner can grant admin.");
                PublicProfile user = dao.enabledProfiles(List.of(userId)).stream().findFirst()
                        .orElseThrow(() -> ApiException.notFound("There is no user with this id."));
                requireSpace(current.room());
                addMember(tx, roomId, user, role == null ? RoomRole.MEMBER : role, current.room().lastSeq(), clock.millis());
                dao.recount(roomId);
                return new MemberChange(Member.of(dao.member(roomId, userId).orElseThrow()), true);
            }
            MemberRow member = existing.get();
            if (role != null && role != member.role()) {
                if (member.role() == RoomRole.OWNER) throw ApiException.conflict("Pass ownership on first: make another member owner.");
                if (!owner) throw ApiException.forbidden("Only the room's owner can grant or take admin, or pass ownership on.");
                if (role == RoomRole.OWNER) {
                    dao.owner(roomId).ifPresent(id -> setRole(tx, roomId, id, RoomRole.ADMIN));
                }
                setRole(tx, roomId, userId, role);
            }
            return new MemberChange(Member.of(dao.member(roomId, userId).orElseThrow()), false);
        });
    }

    /** Owners remove anyone, admins remove members, everyone removes themself (which is leaving). */
    public void removeMember(Principal caller, long roomId, long userId) {
        db.commit(tx -> {
            RoomDao dao = tx.dao(RoomDao.class);
            RoomDao.CallerRoom current = requireGroup(load(dao, roomId, caller));
            MemberRow member = dao.member(roomId, userId).orElseThrow(() -> ApiException.notFound("This user is not a member of this room."));
            boolean allowed = userId == caller.userId() || caller.isSiteAdmin() || current.role() == RoomRole.OWNER
                    || (current.role() == RoomRole.ADMIN && member.role() == RoomRole.MEMBER);
            if (!allowed) throw ApiException.forbidden("Admins remove members; only the owner removes admins.");
            removeMember(tx, current.room(), member);
            return null;
        });
    }

    @Override
    public Standing standing(long roomId, Principal caller) {
        return db.read(RoomAccessDao.class, dao -> standing(dao, roomId, caller));
    }

    @Override
    public Standing standing(Tx tx, long roomId, Principal caller) {
        return standing(tx.dao(RoomAccessDao.class), roomId, caller);
    }

    private static Standing standing(RoomAccessDao dao, long roomId, Principal caller) {
        RoomAccessDao.Access room = dao.access(roomId, caller.userId())
                .filter(r -> visible(r.kind(), r.isPrivate(), r.role(), caller))
                .orElseThrow(RoomGate::noSuchRoom);
        return standing(room.kind(), room.role(), room.lastSeq(), caller);
    }

    @Override
    public Map<Long, Standing> standings(Tx tx, long roomId, Collection<Principal> callers) {
        List<RoomAccessDao.MemberAccess> rows = tx.dao(RoomAccessDao.class).access(roomId, callers.stream().map(Principal::userId).toList());
        Map<Long, RoomRole> roles = new HashMap<>();
        for (RoomAccessDao.MemberAccess row : rows) {
            if (row.userId() != null) roles.put(row.userId(), row.role());
        }
        Map<Long, Standing> standings = new HashMap<>();
        if (rows.isEmpty()) return standings;
        RoomAccessDao.MemberAccess room = rows.get(0);
        for (Principal caller : callers) {
            RoomRole role = roles.get(caller.userId());
            if (visible(room.kind(), room.isPrivate(), role, caller)) {
                standings.put(caller.userId(), standing(room.kind(), role, room.lastSeq(), caller));
            }
        }
        return standings;
    }

    private static Standing standing(String kind, RoomRole role, long lastSeq, Principal caller) {
        boolean moderator = (role != null && role.manages()) || (caller.isSiteAdmin() && !RoomRow.DIRECT.equals(kind));
        return new Standing(role != null, moderator, lastSeq);
    }

    /** The account's rooms: group rooms as if it left them, direct rooms stay for the other member. */
    @Override
    public void beforeDelete(Tx tx, long userId) {
        RoomDao dao = tx.dao(RoomDao.class);
        for (RoomDao.CallerRoom row : dao.roomsOf(userId)) {
            dao.member(row.room().id(), userId).ifPresent(member -> removeMember(tx, row.room(), member));
        }
    }

    private void removeMember(Tx tx, RoomRow room, MemberRow member) {
        RoomDao dao = tx.dao(RoomDao.class);
        dao.deleteMember(room.id(), member.userId());
        dao.recount(room.id());
        PublicProfile user = new PublicProfile(member.userId(), member.username(), member.name(), member.avatarId());
        tx.afterCommit(() -> events.publish(new RoomEvent.MemberLeft(room.id(), user, member.role())));
        if (dao.memberCount(room.id()) == 0) {
            deleteRoom(tx, room.id());
        } else if (room.isDirect()) {
            dao.forgetPair(room.id());
        } else if (member.role() == RoomRole.OWNER) {
            dao.successor(room.id()).ifPresent(id -> setRole(tx, room.id(), id, RoomRole.OWNER));
        }
    }

    private void deleteRoom(Tx tx, long roomId) {
        RoomDao dao = tx.dao(RoomDao.class);
        List<Long> memberIds = dao.memberIds(roomId);
        dao.delete(roomId);
        tx.afterCommit(() -> events.publish(new RoomEvent.Deleted(roomId, memberIds)));
    }

    private void addMember(Tx tx, long roomId, PublicProfile user, RoomRole role, long lastReadSeq, long now) {
        tx.dao(RoomDao.class).insertMember(roomId, user.id(), role.wireName(), now, lastReadSeq);
        tx.afterCommit(() -> events.publish(new RoomEvent.MemberJoined(roomId, user, role)));
    }

    private void setRole(Tx tx, long roomId, long userId, RoomRole role) {
        RoomDao dao = tx.dao(RoomDao.class);
        dao.setRole(roomId, userId, role.wireName());
        MemberRow member = dao.member(roomId, userId).orElseThrow();
        PublicProfile user = new PublicProfile(member.userId(), member.username(), member.name(), member.avatarId());
        tx.afterCommit(() -> events.publish(new RoomEvent.RoleChanged(roomId, user, role)));
    }

    private void requireSpace(RoomRow room) {
        if (room.memberCount() >= maxMembers) throw ApiException.roomFull(maxMembers);
    }

    private static boolean manages(RoomDao.CallerRoom room, Principal caller) {
        return (room.role() != null && room.role().manages()) || caller.isSiteAdmin();
    }

    private static RoomDao.CallerRoom requireGroup(RoomDao.CallerRoom room) {
        if (room.room().isDirect()) throw ApiException.conflict("Direct conversations have exactly their two members and no name.");
        return room;
    }

    /** The room as the caller may see it: a private or direct room they are not in does not exist for them. */
    private static RoomDao.CallerRoom load(RoomDao dao, long roomId, Principal caller) {
        return dao.find(roomId, caller.userId())
                .filter(room -> visible(room.room().kind(), room.room().isPrivate(), room.role(), caller))
                .orElseThrow(RoomGate::noSuchRoom);
    }

    /** Members see their rooms, everyone sees public group rooms, site admins see every group room. */
    private static boolean visible(String kind, boolean isPrivate, RoomRole role, Principal caller) {
        boolean direct = RoomRow.DIRECT.equals(kind);
        return role != null || (!direct && !isPrivate) || (caller.isSiteAdmin() && !direct);
    }

    private static PublicProfile profile(RoomDao dao, long userId) {
        return dao.enabledProfiles(List.of(userId)).get(0);
    }

    private static Room view(Daos d, RoomDao.CallerRoom row, long callerId) {
        RoomRow room = row.room();
        MessageDao history = d.dao(MessageDao.class);
        Message last = room.lastMessageId() == null ? null
                : history.find(room.id(), room.lastMessageId()).map(m -> Attachments.of(d, m)).orElse(null);
        PublicProfile peer = room.isDirect() ? d.dao(RoomDao.class).peer(room.id(), callerId).orElse(null) : null;
        Room.Membership membership = row.role() == null ? null : new Room.Membership(row.role(), Instant.ofEpochMilli(row.joinedAt()),
                row.lastReadSeq(), history.countUnread(room.id(), callerId, row.lastReadSeq(), MessageService.UNREAD_CAP));
        return new Room(room.id(), room.kind(), room.name(), room.topic(), room.isPrivate(), Instant.ofEpochMilli(room.createdAt()),
                Instant.ofEpochMilli(room.updatedAt()), room.memberCount(), room.lastSeq(), last, peer, membership);
    }
}
