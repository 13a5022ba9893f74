package latchkey.uploads;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.events.EventBus;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Harness;
import latchkey.support.MutableClock;
import latchkey.support.TestImages;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static latchkey.uploads.UploadsTest.uploaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Files and rows go together: unsent attachments after a day, crash leftovers, a deleted account's uploads. */
class HousekeepingTest {
    @Test
    void unsentAttachmentsAndLeftoversAreRemovedAfterTheirTime() {
        MutableClock clock = new MutableClock();
        Harness.test(Map.of(), clock, (api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            Path dir = ctx.config().uploadsDir();
            JsonNode unsent = uploaded(ann, "a.png", "image/png", TestImages.png(20, 20));
            assertTrue(putAvatar(ann));
            Set<String> before = files(dir);
            assertEquals(4, before.size(), "each image is kept with its thumbnail: " + before);
            // What a crash leaves: a file renamed into place whose row was never committed, and a half-received one.
            Path stray = dir.resolve("0123456789abcdef0123456789abcdef");
            Files.writeString(stray, "left by a crash");
            Path half = dir.resolve("incoming").resolve("up-1.part");
            Files.writeString(half, "half");
            UploadService service = sweeper(ctx, clock);

            service.sweep();
            assertTrue(Files.exists(stray), "a file too new to be a leftover stays: its upload may be committing");
            assertEquals(200, api.download(unsent.get("url").asText(), Map.of()).status());

            clock.advance(Duration.ofHours(25));
            service.sweep();
            assertFalse(Files.exists(stray));
            assertFalse(Files.exists(half));
            Set<String> after = files(dir);
            assertEquals(before.size() - 2, after.size(), "the unsent attachment's two files are gone: " + after);
            Integer rows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM uploads WHERE purpose = 'attachment'").mapTo(Integer.class).one());
            assertEquals(0, rows);
            Integer trash = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM upload_trash").mapTo(Integer.class).one());
            assertEquals(0, trash);
            Integer avatars = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM uploads WHERE purpose = 'avatar'").mapTo(Integer.class).one());
            assertEquals(1, avatars, "an avatar is never 'unsent'");
        });
    }

    @Test
    void deletingAnAccountRemovesItsUploadsAndTheirFiles() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            String url = uploaded(ann, "a.txt", "text/plain", "hello".getBytes(StandardCharsets.US_ASCII)).get("url").asText();
            assertTrue(putAvatar(ann));
            uploaded(bob, "b.txt", "text/plain", "bob's".getBytes(StandardCharsets.US_ASCII));
            Path dir = ctx.config().uploadsDir();
            assertEquals(4, files(dir).size());
            assertEquals(204, api.send("DELETE", "/users/me", Api.json("password", Harness.PASSWORD), ann.token()).status());
            assertEquals(404, api.download(url, Map.of()).status());
            awaitFiles(dir, 1, "only Bob's file is left");
            Integer rows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM uploads").mapTo(Integer.class).one());
            assertEquals(1, rows);
        });
    }

    @Test
    void deletingAMessageOrARoomRemovesItsAttachmentsFilesAtOnce() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            long room = ann.createRoom("Photos", true);
            long other = ann.createRoom("Scans", true);
            long photo = uploaded(ann, "a.png", "image/png", TestImages.png(20, 20)).get("id").asLong();
            long scan = uploaded(ann, "b.png", "image/png", TestImages.png(20, 20)).get("id").asLong();
            long message = Chat.expect(201, ann.post("/rooms/" + room + "/messages", Api.json("attachment_ids", List.of(photo)))).get("id").asLong();
            Chat.expect(201, ann.post("/rooms/" + other + "/messages", Api.json("attachment_ids", List.of(scan))));
            Path dir = ctx.config().uploadsDir();
            assertEquals(4, files(dir).size());

            assertEquals(204, ann.delete("/rooms/" + room + "/messages/" + message).status());
            awaitFiles(dir, 2, "the deleted message's photo and thumbnail are gone, without waiting for the sweep");
            assertEquals(204, ann.delete("/rooms/" + other).status());
            awaitFiles(dir, 0, "the deleted room's attachments are gone, without waiting for the sweep");
            Integer rows = ctx.db().read(h -> h.createQuery("SELECT count(*) FROM uploads").mapTo(Integer.class).one());
            assertEquals(0, rows);
        });
    }

    private static void awaitFiles(Path dir, int count, String why) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (files(dir).size() != count && System.nanoTime() < deadline) Thread.sleep(20);
        assertEquals(count, files(dir).size(), why + ": " + files(dir));
    }

    private static boolean putAvatar(Chat user) {
        return AvatarsTest.putAvatar(user, TestImages.png(40, 40)).status() == 200;
    }

    /** A service over the test server's database and folder, to run the sweep when the test says. */
    private static UploadService sweeper(Harness.Context ctx, MutableClock clock) {
        return new UploadService(ctx.db(), new LocalFileStore(ctx.config().uploadsDir()), null, null, new EventBus(),
                new UploadService.Limits(ctx.config().uploadsMaxBytes(), ctx.config().uploadsQuotaPerUser(), ctx.config().uploadsTypes()), clock);
    }

    static Set<String> files(Path dir) throws IOException {
        try (Stream<Path> list = Files.list(dir)) {
            return list.filter(Files::isRegularFile).map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
