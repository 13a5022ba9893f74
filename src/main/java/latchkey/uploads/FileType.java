package latchkey.uploads;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The types an upload can have, each recognised from the file's own bytes: the name and the
 * Content-Type the client sent are never asked. Text is UTF-8 without control characters that
 * does not open like markup (HTML, SVG, XML), so no browser can take it for a page.
 */
public enum FileType {
    PNG("image/png", true),
    JPEG("image/jpeg", true),
    GIF("image/gif", true),
    WEBP("image/webp", true),
    PDF("application/pdf", false),
    TEXT("text/plain", false);

    /** Enough of a file's start to tell every type apart. */
    static final int HEAD_BYTES = 512;

    /**
     * Openings a browser sniffs as HTML or XML (the WHATWG MIME sniffing patterns), compared
     * case-insensitively after leading white space; each must be followed by a space or {@code >}
     * except the comment and XML openings.
     */
    private static final List<String> MARKUP_TAGS = List.of("<!doctype html", "<html", "<head", "<script", "<iframe", "<h1", "<div",
            "<font", "<table", "<a", "<style", "<title", "<b", "<body", "<br", "<p", "<svg", "<xml", "<meta", "<link", "<img",
            "<object", "<embed", "<form");
    private static final List<String> MARKUP_OPENINGS = List.of("<!--", "<?xml", "<!doctype", "<!entity", "<![cdata[");

    private final String mediaType;
    private final boolean image;

    FileType(String mediaType, boolean image) {
        this.mediaType = mediaType;
        this.image = image;
    }

    public String mediaType() {
        return mediaType;
    }

    /** What the file is served as. */
    public String contentType() {
        return this == TEXT ? "text/plain; charset=utf-8" : mediaType;
    }

    public boolean isImage() {
        return image;
    }

    /** The type of the file's bytes, or empty when it is none of these (or is markup posing as text). */
    public static Optional<FileType> detect(Path file) throws IOException {
        byte[] head;
        try (InputStream in = Files.newInputStream(file)) {
            head = in.readNBytes(HEAD_BYTES);
        }
        if (startsWith(head, 0, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) return Optional.of(PNG);
        if (startsWith(head, 0, 0xFF, 0xD8, 0xFF)) return Optional.of(JPEG);
        if (startsWith(head, 0, 'G', 'I', 'F', '8', '7', 'a') || startsWith(head, 0, 'G', 'I', 'F', '8', '9', 'a')) return Optional.of(GIF);
        if (startsWith(head, 0, 'R', 'I', 'F', 'F') && startsWith(head, 8, 'W', 'E', 'B', 'P')) return Optional.of(WEBP);
        if (startsWith(head, 0, '%', 'P', 'D', 'F', '-')) return Optional.of(PDF);
        return isPlainText(file, head) ? Optional.of(TEXT) : Optional.empty();
    }

    private static boolean startsWith(byte[] bytes, int offset, int... expected) {
        if (bytes.length < offset + expected.length) return false;
        for (int i = 0; i < expected.length; i++) {
            if ((bytes[offset + i] & 0xFF) != expected[i]) return false;
        }
        return true;
    }

    private static boolean isPlainText(Path file, byte[] head) throws IOException {
        if (looksLikeMarkup(head)) return false;
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.allocate(64 * 1024);
        CharBuffer out = CharBuffer.allocate(64 * 1024);
        try (InputStream stream = Files.newInputStream(file)) {
            boolean end = false;
            while (!end) {
                int n = stream.read(in.array(), in.position(), in.remaining());
                if (n < 0) end = true;
                else in.position(in.position() + n);
                in.flip();
                CoderResult result = utf8.decode(in, out, end);
                if (result.isError()) return false;
                if (end && utf8.flush(out).isError()) return false;
                out.flip();
                while (out.hasRemaining()) {
                    if (!isTextChar(out.get())) return false;
                }
                out.clear();
                in.compact();
            }
            return in.position() == 0;
        }
    }

    /** Tabs, line breaks and form feeds are text; NUL and the other C0 and C1 controls (and DEL) are not. */
    private static boolean isTextChar(char c) {
        if (c == '\t' || c == '\n' || c == '\r' || c == '\f') return true;
        return c >= 0x20 && c != 0x7F && !(c >= 0x80 && c <= 0x9F);
    }

    private static boolean looksLikeMarkup(byte[] head) {
        String start = new String(head, StandardCharsets.ISO_8859_1);
        if (start.startsWith("\u00EF\u00BB\u00BF")) start = start.substring(3);
        start = start.stripLeading().toLowerCase(Locale.ROOT);
        for (String opening : MARKUP_OPENINGS) {
            if (start.startsWith(opening)) return true;
        }
        for (String tag : MARKUP_TAGS) {
            if (start.startsWith(tag) && start.length() > tag.length()) {
                char next = start.charAt(tag.length());
                if (next == ' ' || next == '>' || next == '/' || next == '\t' || next == '\n' || next == '\r' || next == '\f') return true;
            }
        }
        return false;
    }
}
