package latchkey.support;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static latchkey.support.Api.json;

/** The chat calls tests make most, as one signed-in user; each fails the test unless it gets the status it expects. */
public record Chat(Api api, Api.Session session) {
    public static Chat signUp(Api api, String email) {
        return new Chat(api, api.signUp(email));
    }

    /** Signs up a user, makes it a site administrator and signs in again, so that its token carries the role. */
    public static Chat signUpSiteAdmin(Api api, Harness.Context ctx, String email) {
        api.signUp(email);
        ctx.db().writer().useHandle(h -> h.execute("UPDATE users SET role = 'admin' WHERE email = ?", email));
        return new Chat(api, Api.Session.of(api.login(email, Harness.PASSWORD)));
    }

    public long userId() {
        return session.userId();
    }

    public String token() {
        return session.accessToken();
    }

    public Api.Res get(String path) {
        return api.get(path, token());
    }

    public Api.Res post(String path, String json) {
        return api.post(path, json, token());
    }

    public Api.Res patch(String path, String json) {
        return api.patch(path, json, token());
    }

    public Api.Res put(String path, String json) {
        return api.send("PUT", path, json, token());
    }

    public Api.Res delete(String path) {
        return api.send("DELETE", path, null, token());
    }

    /** Creates a group room with these members and returns its id. */
    public long createRoom(String name, boolean isPrivate, Chat... members) {
        List<Long> ids = new ArrayList<>();
        for (Chat member : members) ids.add(member.userId());
        return expect(201, post("/rooms", json("name", name, "private", isPrivate, "member_ids", ids))).get("id").asLong();
    }

    /** Sends a message and returns it. */
    public JsonNode send(long roomId, String text) {
        return expect(201, post("/rooms/" + roomId + "/messages", json("text", text)));
    }

    public JsonNode room(long roomId) {
        return expect(200, get("/rooms/" + roomId));
    }

    public JsonNode messages(long roomId, String query) {
        return expect(200, get("/rooms/" + roomId + "/messages" + query));
    }

    /**
     * Every page of a list with an opaque {@code next} cursor, from the first to the one whose
     * {@code next} is null: each page's entries of {@code field}.
     */
    public List<List<JsonNode>> pages(String path, String field) {
        List<List<JsonNode>> pages = new ArrayList<>();
        String next = null;
        do {
            JsonNode page = expect(200, get(path + (next == null ? "" : "&after=" + next)));
            List<JsonNode> entries = new ArrayList<>();
            page.get(field).forEach(entries::add);
            pages.add(entries);
            next = page.get("next").isNull() ? null : page.get("next").asText();
        } while (next != null);
        return pages;
    }

    /** The seqs of a page of messages, in the order given. */
    public static List<Long> seqs(JsonNode page) {
        List<Long> seqs = new ArrayList<>();
        page.get("messages").forEach(m -> seqs.add(m.get("seq").asLong()));
        return seqs;
    }

    public static JsonNode expect(int status, Api.Res res) {
        if (res.status() != status) throw new AssertionError("expected " + status + ", got " + res);
        return res.body().isEmpty() ? null : res.json();
    }
}
