package latchkey.uploads;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Harness;
import latchkey.support.TestImages;
import latchkey.support.Ws;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static latchkey.support.Api.json;
import static latchkey.uploads.UploadsTest.uploaded;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** A photo sent in a room reaches every member's socket with links signed for that socket's session. */
class AttachmentEventsTest {
    @Test
    void eachSocketGetsLinksOfItsOwnSessionThatAnImgTagCanLoad() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            long room = ann.createRoom("Family", true, bob);
            long photo = uploaded(ann, "IMG_0042.JPG", "image/jpeg", TestImages.jpegWithGps(80, 60)).get("id").asLong();
            try (Ws annWs = Ws.open(api, ann.token()); Ws bobWs = Ws.open(api, bob.token())) {
                Api.Res sent = ann.post("/rooms/" + room + "/messages", json("attachment_ids", List.of(photo)));
                assertEquals(201, sent.status(), sent::toString);
                JsonNode toBob = bobWs.next("message.created");
                JsonNode toAnn = annWs.next("message.created");
                String bobsUrl = toBob.at("/message/attachments/0/url").asText();
                assertEquals(photo, toBob.at("/message/attachments/0/id").asLong());
                assertNotEquals(toAnn.at("/message/attachments/0/url").asText(), bobsUrl, "signed for each session");
                assertEquals(200, api.download(bobsUrl, Map.of()).status(), "no Authorization header needed");
                assertEquals(200, api.download(toBob.at("/message/attachments/0/thumbnail_url").asText(), Map.of()).status());
            }
        });
    }
}
