package latchkey.uploads;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.messages.MessageEvent;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Concurrent;
import latchkey.support.Harness;
import latchkey.support.TestImages;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static latchkey.support.Api.json;
import static latchkey.support.ProblemAssert.assertProblem;
import static latchkey.uploads.UploadsTest.uploaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Messages with attachments: a photo a member sees in an img tag, a stranger can not fetch, that carries no location. */
class AttachmentsTest {
    private static Api.Res send(Chat user, long room, String body) {
        return user.post("/rooms/" + room + "/messages", body);
    }

    @Test
    void aMemberSeesThePhotoWithNothingButTheMessageJsonAndAStrangerCanNot() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            Chat eve = Chat.signUp(api, "eve@example.com");
            long room = ann.createRoom("Family", true, bob);
            List<MessageEvent> events = new CopyOnWriteArrayList<>();
            ctx.events().subscribe(MessageEvent.class, events::add);
            long photo = uploaded(ann, "IMG_0042.JPG", "image/jpeg", TestImages.jpegWithGps(80, 60)).get("id").asLong();

            Api.Res sent = send(ann, room, json("attachment_ids", List.of(photo)));
            assertEquals(201, sent.status(), sent::toString);
            assertTrue(sent.json().get("text").isNull(), "a message may be attachments only");
            assertEquals(photo, sent.json().at("/attachments/0/id").asLong());
            assertEquals(1, events.size());
            assertEquals(photo, events.get(0).message().attachments().get(0).id());

            JsonNode seen = bob.messages(room, "").get("messages").get(0);
            String url = seen.at("/attachments/0/url").asText();
            assertNotEquals(sent.json().at("/attachments/0/url").asText(), url, "Bob's link is signed for Bob's session");
            Api.Download img = api.download(url, Map.of());
            assertEquals(200, img.status(), img::toString);
            assertFalse(TestImages.contains(img.body(), TestImages.SECRET), "the photo carries no location");
            assertEquals(80, TestImages.decode(img.body()).getWidth());
            assertEquals(200, api.download(seen.at("/attachments/0/thumbnail_url").asText(), Map.of()).status());
            long messageId = seen.get("id").asLong();
            assertEquals(photo, Api.JSON.readTree(bob.get("/rooms/" + room + "/messages/" + messageId).body()).at("/attachments/0/id").asLong());
            assertEquals(photo, bob.room(room).at("/last_message/attachments/0/id").asLong());

            assertEquals(404, api.download("/uploads/" + photo, Map.of("Authorization", "Bearer " + eve.token())).status(), "a stranger gets 404");
            assertEquals(404, eve.get("/rooms/" + room + "/messages").status());
            // Bob leaves: the link he was handed stops working, though it has not expired.
            assertEquals(204, bob.post("/rooms/" + room + "/leave", null).status());
            assertEquals(404, api.download(url, Map.of()).status());
        });
    }

    @Test
    void onlyTheSendersOwnUnsentUploadsCanBeAttached() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ann.createRoom("Team", false, bob);
            long annsFile = uploaded(ann, "a.txt", "text/plain", "a".getBytes(StandardCharsets.US_ASCII)).get("id").asLong();
            long bobsFile = uploaded(bob, "b.txt", "text/plain", "b".getBytes(StandardCharsets.US_ASCII)).get("id").asLong();
            assertProblem(send(ann, room, json("attachment_ids", List.of(bobsFile))), 400, "validation_failed");
            assertProblem(send(ann, room, json("attachment_ids", List.of(999_999))), 400, "validation_failed");
            assertProblem(send(ann, room, json("attachment_ids", List.of())), 400, "validation_failed");
            assertProblem(send(ann, room, json("attachment_ids", "1")), 400, "validation_failed");
            List<Long> eleven = new ArrayList<>();
            for (int i = 0; i < 11; i++) eleven.add(uploaded(ann, i + ".txt", "text/plain", "x".getBytes(StandardCharsets.US_ASCII)).get("id").asLong());
            Api.Res tooMany = send(ann, room, json("attachment_ids", eleven));
            assertProblem(tooMany, 400, "validation_failed");
            assertTrue(tooMany.json().get("errors").has("attachment_ids"), tooMany::toString);
            JsonNode ten = Api.JSON.readTree(send(ann, room, json("text", "ten files", "attachment_ids", eleven.subList(0, 10))).body());
            assertEquals(10, ten.get("attachments").size());
            for (int i = 0; i < 10; i++) assertEquals((long) eleven.get(i), ten.get("attachments").get(i).get("id").asLong(), "in the order attached");
            assertEquals(201, send(ann, room, json("text", "with a file", "attachment_ids", List.of(annsFile))).status());
            Api.Res again = send(ann, room, json("text", "the same file again", "attachment_ids", List.of(annsFile)));
            assertProblem(again, 400, "validation_failed");
            Api.Res avatar = AvatarsTest.putAvatar(ann, TestImages.png(20, 20));
            long avatarId = Long.parseLong(avatar.json().get("avatar_url").asText().replaceAll(".*/files/(\\d+)\\?.*", "$1"));
            assertProblem(send(ann, room, json("attachment_ids", List.of(avatarId))), 400, "validation_failed");
            // A public room's messages are readable by any signed-in user, and so are their attachments.
            Chat carol = Chat.signUp(api, "carol@example.com");
            String url = carol.messages(room, "").get("messages").get(1).at("/attachments/0/url").asText();
            assertEquals(200, api.download(url, Map.of()).status());
        });
    }

    @Test
    void anUploadSentInManyMessagesAtOnceGoesIntoOneOfThem() {
        Harness.test(Map.of("ratelimit.enabled", "false"), (api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            long room = ann.createRoom("Photos", false);
            long photo = uploaded(ann, "a.png", "image/png", TestImages.png(20, 20)).get("id").asLong();
            // Twenty sends at once land in one or a few of the server's batches, where the upload still looks unsent.
            AtomicInteger n = new AtomicInteger();
            List<Api.Res> answers = Concurrent.atOnce(20, () -> {
                int i = n.getAndIncrement();
                return send(ann, room, json("text", "take " + i, "attachment_ids", List.of(photo), "client_id", "c" + i));
            });
            int sent = 0;
            for (Api.Res res : answers) {
                if (res.status() == 201) {
                    sent++;
                    assertEquals(photo, res.json().at("/attachments/0/id").asLong(), "a message that was sent carries the upload: " + res);
                } else {
                    assertProblem(res, 400, "validation_failed");
                }
            }
            assertEquals(1, sent, "one message got the upload, the others were refused");
            JsonNode page = ann.messages(room, "");
            assertEquals(1, page.get("messages").size(), page::toString);
        });
    }

    @Test
    void deletingTheMessageOrTheRoomDeletesItsUploads() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ann.createRoom("Team", true, bob);
            long first = uploaded(ann, "a.png", "image/png", TestImages.png(10, 10)).get("id").asLong();
            JsonNode message = Api.JSON.readTree(send(ann, room, json("attachment_ids", List.of(first))).body());
            String url = bob.messages(room, "").at("/messages/0/attachments/0/url").asText();
            assertEquals(204, ann.delete("/rooms/" + room + "/messages/" + message.get("id").asLong()).status());
            assertEquals(404, api.download(url, Map.of()).status());
            JsonNode tombstone = bob.messages(room, "").at("/messages/0");
            assertTrue(tombstone.get("deleted").asBoolean());
            assertEquals(0, tombstone.get("attachments").size());

            long second = uploaded(ann, "b.png", "image/png", TestImages.png(10, 10)).get("id").asLong();
            assertEquals(201, send(ann, room, json("attachment_ids", List.of(second))).status());
            String secondUrl = bob.messages(room, "").at("/messages/1/attachments/0/url").asText();
            assertEquals(204, ann.delete("/rooms/" + room).status());
            assertEquals(404, api.download(secondUrl, Map.of()).status());
            Integer rows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM uploads").mapTo(Integer.class).one());
            assertEquals(0, rows);
        });
    }
}
