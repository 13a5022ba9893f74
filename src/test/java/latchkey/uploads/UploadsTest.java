package latchkey.uploads;

import com.fasterxml.jackson.databind.JsonNode;
import latchkey.support.Api;
import latchkey.support.Chat;
import latchkey.support.Harness;
import latchkey.support.Multipart;
import latchkey.support.RawHttp;
import latchkey.support.TestImages;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static latchkey.support.ProblemAssert.assertProblem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST /uploads: the type from the bytes, images cleaned and measured, the limits. */
class UploadsTest {
    static Api.Res upload(Chat user, String name, String declaredType, byte[] bytes) {
        return user.api().raw("POST", "/uploads", Multipart.headers(user.token()), Multipart.of(name, declaredType, bytes));
    }

    static JsonNode uploaded(Chat user, String name, String declaredType, byte[] bytes) {
        Api.Res res = upload(user, name, declaredType, bytes);
        assertEquals(201, res.status(), res::toString);
        return res.json();
    }

    @Test
    void eachAllowedTypeIsRecognisedFromItsBytes() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            Map<String, byte[]> files = new LinkedHashMap<>();
            files.put("image/png", TestImages.png(40, 30));
            files.put("image/jpeg", TestImages.jpeg(40, 30));
            files.put("image/gif", TestImages.gif(40, 30));
            files.put("image/webp", TestImages.WEBP);
            files.put("application/pdf", "%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
            files.put("text/plain; charset=utf-8", "Grüße aus Köln\nline two\n".getBytes(StandardCharsets.UTF_8));
            for (var file : files.entrySet()) {
                // Declared as something else, named without an extension: only the bytes count.
                JsonNode upload = uploaded(ann, "file", "application/octet-stream", file.getValue());
                assertEquals(file.getKey(), upload.get("content_type").asText());
                assertEquals("file", upload.get("name").asText());
                assertTrue(upload.get("url").asText().contains("/files/" + upload.get("id").asLong() + "?"), upload::toString);
                boolean image = file.getKey().startsWith("image/");
                assertEquals(image, !upload.get("thumbnail_url").isNull(), upload::toString);
                assertEquals(image, upload.get("width").isInt(), upload::toString);
                if (image && !file.getKey().equals("image/webp")) {
                    assertEquals(40, upload.get("width").asInt());
                    assertEquals(30, upload.get("height").asInt());
                }
                assertNotNull(upload.get("created_at").asText());
            }
            JsonNode webp = uploaded(ann, "tiny.webp", "image/webp", TestImages.WEBP);
            assertEquals(1, webp.get("width").asInt());
            assertEquals(1, webp.get("height").asInt());
        });
    }

    @Test
    void theNameAndTheDeclaredTypeNeverDecide() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            assertEquals("image/png", uploaded(ann, "x.pdf", "application/pdf", TestImages.png(8, 8)).get("content_type").asText());
            byte[] html = "<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>".getBytes(StandardCharsets.UTF_8);
            assertProblem(upload(ann, "x.png", "image/png", html), 415, "unsupported_media_type");
            assertProblem(upload(ann, "x.txt", "text/plain", "  <script>alert(1)</script>".getBytes(StandardCharsets.UTF_8)), 415, "unsupported_media_type");
            byte[] svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"><rect width=\"10\" height=\"10\"/></svg>".getBytes(StandardCharsets.UTF_8);
            assertProblem(upload(ann, "x.png", "image/png", svg), 415, "unsupported_media_type");
            byte[] xmlSvg = ("<?xml version=\"1.0\"?>\n" + new String(svg, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
            assertProblem(upload(ann, "x.svg", "image/svg+xml", xmlSvg), 415, "unsupported_media_type");
            assertProblem(upload(ann, "x.exe", "application/octet-stream", new byte[]{0x4D, 0x5A, (byte) 0x90, 0, 3, 0, 0, 0}), 415, "unsupported_media_type");
            Api.Res empty = upload(ann, "x.png", "image/png", new byte[0]);
            assertProblem(empty, 400, "validation_failed");
            assertTrue(empty.json().get("errors").has("file"), empty::toString);
        });
    }

    @Test
    void aPolyglotIsStoredAsTheImageItIsWithoutTheOtherFile() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            byte[] png = TestImages.png(16, 16);
            String html = "<html><script>alert(document.domain)</script></html>";
            // A text chunk with the script after IHDR, and a whole HTML page after IEND.
            ByteArrayOutputStream polyglot = new ByteArrayOutputStream();
            polyglot.write(png, 0, 33);
            polyglot.writeBytes(pngChunk("tEXt", ("Comment\0" + html).getBytes(StandardCharsets.ISO_8859_1)));
            polyglot.write(png, 33, png.length - 33);
            polyglot.writeBytes(html.getBytes(StandardCharsets.ISO_8859_1));
            JsonNode upload = uploaded(ann, "page.html", "text/html", polyglot.toByteArray());
            assertEquals("image/png", upload.get("content_type").asText());
            Api.Download served = api.download(upload.get("url").asText(), Map.of());
            assertEquals(200, served.status());
            assertFalse(TestImages.contains(served.body(), "<script"), "the served file still holds the script");
            assertEquals(16, TestImages.decode(served.body()).getWidth());
            assertEquals("sandbox", served.header("Content-Security-Policy"));
        });
    }

    static byte[] pngChunk(String type, byte[] data) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(type.getBytes(StandardCharsets.US_ASCII));
        crc.update(data);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + data.length);
        b.putInt(data.length).put(type.getBytes(StandardCharsets.US_ASCII)).put(data).putInt((int) crc.getValue());
        return b.array();
    }

    @Test
    void aPhotoComesBackWithoutItsLocationOrComments() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            byte[] photo = TestImages.jpegWithGps(64, 48);
            assertTrue(TestImages.contains(photo, TestImages.SECRET), "the test photo must carry the secret to begin with");
            JsonNode upload = uploaded(ann, "IMG_0001.JPG", "image/jpeg", photo);
            assertEquals(64, upload.get("width").asInt());
            for (String url : new String[]{upload.get("url").asText(), upload.get("thumbnail_url").asText()}) {
                Api.Download served = api.download(url, Map.of());
                assertEquals(200, served.status(), served::toString);
                assertFalse(TestImages.contains(served.body(), TestImages.SECRET), "location or comment left in " + url);
                assertFalse(TestImages.contains(served.body(), "Exif"), "EXIF left in " + url);
                TestImages.decode(served.body());
            }
            BufferedImage original = TestImages.decode(api.download(upload.get("url").asText(), Map.of()).body());
            assertEquals(64, original.getWidth());
            assertEquals(48, original.getHeight());
        });
    }

    @Test
    void thumbnailsAreAtMost320PixelsOnTheLongSide() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            JsonNode upload = uploaded(ann, "wide.png", "image/png", TestImages.png(1600, 400));
            BufferedImage thumb = TestImages.decode(api.download(upload.get("thumbnail_url").asText(), Map.of()).body());
            assertEquals(320, thumb.getWidth());
            assertEquals(80, thumb.getHeight());
        });
    }

    @Test
    void hugeTruncatedAndCorruptImagesAre400() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            BufferedImage bomb = new BufferedImage(8000, 5001, BufferedImage.TYPE_BYTE_BINARY);
            Api.Res tooMany = upload(ann, "bomb.png", "image/png", TestImages.encode(bomb, "png"));
            assertProblem(tooMany, 400, "validation_failed");
            assertTrue(tooMany.json().get("errors").get("file").asText().contains("pixels"), tooMany::toString);
            byte[] png = TestImages.png(200, 200);
            assertProblem(upload(ann, "cut.png", "image/png", Arrays.copyOf(png, png.length / 2)), 400, "validation_failed");
            byte[] jpeg = TestImages.jpeg(200, 200);
            assertProblem(upload(ann, "cut.jpg", "image/jpeg", Arrays.copyOf(jpeg, jpeg.length / 2)), 400, "validation_failed");
            byte[] gif = TestImages.gif(200, 200);
            assertProblem(upload(ann, "cut.gif", "image/gif", Arrays.copyOf(gif, gif.length / 2)), 400, "validation_failed");
            byte[] garbled = png.clone();
            for (int i = 60; i < garbled.length - 20; i++) garbled[i] ^= 0x5A;
            assertProblem(upload(ann, "garbled.png", "image/png", garbled), 400, "validation_failed");
            assertProblem(upload(ann, "cut.webp", "image/webp", Arrays.copyOf(TestImages.WEBP, 20)), 400, "validation_failed");
        });
    }

    @Test
    void aFileOverTheLimitIs413WithOrWithoutContentLength() {
        Harness.test(Map.of("uploads.max-bytes", "100000"), (api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            byte[] big = new byte[100_001];
            Arrays.fill(big, (byte) 'a');
            assertProblem(upload(ann, "big.txt", "text/plain", big), 413, "payload_too_large");
            byte[] justRight = Arrays.copyOf(big, 100_000);
            assertEquals(201, upload(ann, "ok.txt", "text/plain", justRight).status());
            // Chunked, no Content-Length: counted as it arrives.
            byte[] huge = new byte[3_000_000];
            Arrays.fill(huge, (byte) 'a');
            RawHttp.Res chunked = RawHttp.of(api).chunked("POST", "/uploads", Multipart.headers(ann.token()), Multipart.of("big.txt", "text/plain", huge), 8192);
            assertEquals(413, chunked.status(), chunked::toString);
            assertEquals("payload_too_large", chunked.json().get("code").asText());
            // The JSON routes keep their own 64 KiB limit.
            String longText = "x".repeat(70_000);
            assertProblem(ann.post("/rooms", Api.json("name", longText)), 413, "payload_too_large");
        });
    }

    @Test
    void aBinaryFileArrivingInManySmallPiecesIsReceivedWhole() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            // Noise holds every byte value, CR and LF included, wherever the pieces happen to end.
            byte[] photo = TestImages.noisyJpeg(300_000);
            RawHttp.Res res = RawHttp.of(api).chunked("POST", "/uploads", Multipart.headers(ann.token()), Multipart.of("n.jpg", "image/jpeg", photo), 997);
            assertEquals(201, res.status(), res::toString);
            assertEquals(photo.length, res.json().get("size").asLong(), "a JPEG without metadata keeps every byte");
            assertArrayEquals(photo, api.download(res.json().get("url").asText(), Map.of()).body());
        });
    }

    @Test
    void theQuotaCountsEveryFileTheUserKeeps() {
        Harness.test(Map.of("uploads.quota-per-user", "5000"), (api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            Chat bob = Chat.signUp(api, "bob@example.com");
            byte[] text = new byte[2000];
            Arrays.fill(text, (byte) 'a');
            assertEquals(201, upload(ann, "1.txt", "text/plain", text).status());
            assertEquals(201, upload(ann, "2.txt", "text/plain", text).status());
            assertProblem(upload(ann, "3.txt", "text/plain", text), 413, "quota_exceeded");
            RawHttp.Res chunked = RawHttp.of(api).chunked("POST", "/uploads", Multipart.headers(ann.token()), Multipart.of("3.txt", "text/plain", text), 1000);
            assertEquals(413, chunked.status(), chunked::toString);
            assertEquals("quota_exceeded", chunked.json().get("code").asText());
            assertEquals(201, upload(bob, "1.txt", "text/plain", text).status(), "each user has a quota of their own");
        });
    }

    @Test
    void badMultipartIsAClearError() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            assertProblem(ann.post("/uploads", Api.json("file", "x")), 415, "unsupported_media_type");
            Api.Res noFile = ann.api().raw("POST", "/uploads", Multipart.headers(ann.token()), new Multipart().field("other", "x").bytes());
            assertProblem(noFile, 400, "validation_failed");
            byte[] cut = Arrays.copyOf(Multipart.of("a.txt", "text/plain", "hello".getBytes(StandardCharsets.US_ASCII)), 60);
            assertEquals(400, ann.api().raw("POST", "/uploads", Multipart.headers(ann.token()), cut).status());
            assertProblem(api.raw("POST", "/uploads", Map.of("Content-Type", Multipart.CONTENT_TYPE),
                    Multipart.of("a.txt", "text/plain", "hello".getBytes(StandardCharsets.US_ASCII))), 401, "invalid_token");
        });
    }

    @Test
    void theOriginalNameIsDisplayTextOnly() {
        Harness.test((api, ctx) -> {
            Chat ann = Chat.signUp(api, "ann@example.com");
            JsonNode upload = uploaded(ann, "..\\..\\etc/passwd\u202Etxt.pdf", "text/plain", "hello\n".getBytes(StandardCharsets.US_ASCII));
            assertEquals("passwdtxt.pdf", upload.get("name").asText());
            Api.Download served = api.download(upload.get("url").asText(), Map.of());
            assertEquals("attachment; filename=\"passwdtxt.pdf\"; filename*=UTF-8''passwdtxt.pdf", served.header("Content-Disposition"));
            assertArrayEquals("hello\n".getBytes(StandardCharsets.US_ASCII), served.body());
            assertNull(upload.get("width").textValue());
        });
    }
}
