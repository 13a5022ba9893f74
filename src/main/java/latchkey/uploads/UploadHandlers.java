package latchkey.uploads;

import io.javalin.http.Context;
import latchkey.http.ApiException;
import latchkey.http.PathIds;
import latchkey.identity.Principal;
import latchkey.users.UserService;
import org.eclipse.jetty.ee10.servlet.HttpOutput;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.Locale;

/**
 * The upload routes: receiving a file, and serving one, by access token or by signed link. The
 * service decides who may read; this class only streams: straight from the file (mapped, so
 * the bytes go from the page cache to the socket and memory does not grow with the file), with
 * ETag, conditional requests and single byte ranges.
 */
public final class UploadHandlers {
    private final UploadService uploads;
    private final UserService users;
    private final SignedUrls urls;
    private final Clock clock;

    public UploadHandlers(UploadService uploads, UserService users, SignedUrls urls, Clock clock) {
        this.uploads = uploads;
        this.users = users;
        this.urls = urls;
        this.clock = clock;
    }

    public void upload(Context ctx) {
        Principal caller = Principal.of(ctx);
        MultipartFile file = MultipartFile.receive(ctx, uploads.store(), uploads.maxBytes());
        try {
            Upload upload = uploads.upload(caller, file);
            ctx.status(201).header("Location", "/uploads/" + upload.id()).json(upload);
        } finally {
            MultipartFile.deleteQuietly(file.file());
        }
    }

    /** {@code PUT /users/me/avatar}: answered with the caller's user, new avatar_url and all. */
    public void setAvatar(Context ctx) {
        Principal caller = Principal.of(ctx);
        MultipartFile file = MultipartFile.receive(ctx, uploads.store(), uploads.maxBytes());
        try {
            uploads.setAvatar(caller, file);
        } finally {
            MultipartFile.deleteQuietly(file.file());
        }
        ctx.json(users.user(caller.userId()));
    }

    public void removeAvatar(Context ctx) {
        uploads.removeAvatar(Principal.of(ctx));
        ctx.status(204);
    }

    /** {@code GET /uploads/{id}?variant=}: with an access token. */
    public void get(Context ctx) throws IOException {
        String variant = ctx.queryParam("variant");
        if (variant != null && !variant.equals("original") && !variant.equals("thumbnail")) {
            throw ApiException.validation(java.util.Map.of("variant", "must be original or thumbnail"));
        }
        UploadService.Readable file = uploads.readable(Principal.of(ctx), uploadId(ctx), "thumbnail".equals(variant));
        ctx.header("Cache-Control", "private, no-cache");
        serve(ctx, file);
    }

    /** {@code GET /files/{id}?variant=&uid=&sid=&exp=&sig=}: public, the signature is the credential. */
    public void signed(Context ctx) throws IOException {
        SignedUrls.Claims link = urls.verify(uploadId(ctx), ctx.queryParam("variant"), ctx.queryParam("uid"), ctx.queryParam("sid"),
                ctx.queryParam("exp"), ctx.queryParam("sig")).orElseThrow(UploadHandlers::notFound);
        UploadService.Readable file = uploads.readable(link);
        long maxAge = Math.max(0, link.expiresAt() - clock.millis() / 1000);
        ctx.header("Cache-Control", "private, max-age=" + maxAge);
        serve(ctx, file);
    }

    private void serve(Context ctx, UploadService.Readable file) throws IOException {
        ByteBuffer bytes;
        try {
            bytes = uploads.store().read(file.key());
        } catch (NoSuchFileException e) {
            throw notFound();
        }
        int size = bytes.remaining();
        ctx.header("ETag", file.etag());
        ctx.header("Accept-Ranges", "bytes");
        ctx.header("Content-Security-Policy", "sandbox");
        ctx.header("Content-Disposition", Disposition.of(file.inline(), file.name()));
        ctx.contentType(file.contentType());
        String ifNoneMatch = ctx.header("If-None-Match");
        if (ifNoneMatch != null && matches(ifNoneMatch, file.etag())) {
            ctx.status(304);
            return;
        }
        int start = 0;
        int length = size;
        String range = ctx.header("Range");
        String ifRange = ctx.header("If-Range");
        if (range != null && (ifRange == null || ifRange.trim().equals(file.etag()))) {
            long[] span = Ranges.single(range, size);
            if (span == Ranges.UNSATISFIABLE) {
                ctx.header("Content-Range", "bytes */" + size);
                throw ApiException.rangeNotSatisfiable(size);
            }
            if (span != null) {
                start = (int) span[0];
                length = (int) (span[1] - span[0] + 1);
                ctx.status(206).header("Content-Range", "bytes " + span[0] + "-" + span[1] + "/" + size);
            }
        }
        ctx.res().setContentLengthLong(length);
        if (length == 0) return;
        ((HttpOutput) ctx.res().getOutputStream()).sendContent(bytes.slice(start, length));
    }

    /** An If-None-Match list (or {@code *}) naming this ETag; weak comparison, as RFC 9110 asks for it. */
    private static boolean matches(String header, String etag) {
        for (String candidate : header.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) return true;
            if (tag.startsWith("W/")) tag = tag.substring(2);
            if (tag.equals(etag)) return true;
        }
        return false;
    }

    private static long uploadId(Context ctx) {
        return PathIds.of(ctx, "There is no upload with this id, or it is not yours to see.");
    }

    private static ApiException notFound() {
        return ApiException.notFound("There is no upload with this id, or it is not yours to see.");
    }

    /** The Content-Disposition of RFC 6266: an ASCII fallback name and the UTF-8 one. */
    static final class Disposition {
        private Disposition() {
        }

        static String of(boolean inline, String name) {
            StringBuilder ascii = new StringBuilder();
            for (char c : name.toCharArray()) ascii.append(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' && c != '%' ? c : '_');
            return (inline ? "inline" : "attachment") + "; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncode(name);
        }

        private static String percentEncode(String value) {
            StringBuilder out = new StringBuilder();
            for (byte b : value.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                int c = b & 0xFF;
                boolean attrChar = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "!#$&+-.^_`|~".indexOf(c) >= 0;
                if (attrChar) out.append((char) c);
                else out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
            return out.toString();
        }
    }

    /** A single byte range of RFC 9110 ({@code bytes=a-b}, {@code a-}, {@code -n}); several ranges are served whole. */
    static final class Ranges {
        static final long[] UNSATISFIABLE = new long[0];

        private Ranges() {
        }

        /** [first, last] inclusive; null to serve the whole file; {@link #UNSATISFIABLE} for 416. */
        static long[] single(String header, long size) {
            String value = header.trim();
            if (!value.regionMatches(true, 0, "bytes=", 0, 6)) return null;
            String spec = value.substring(6).trim();
            if (spec.contains(",")) return null;
            int dash = spec.indexOf('-');
            if (dash < 0) return null;
            try {
                String from = spec.substring(0, dash).trim();
                String to = spec.substring(dash + 1).trim();
                if (from.isEmpty()) {
                    if (to.isEmpty()) return null;
                    long suffix = Long.parseLong(to);
                    if (suffix <= 0 || size == 0) return UNSATISFIABLE;
                    return new long[]{Math.max(0, size - suffix), size - 1};
                }
                long first = Long.parseLong(from);
                long last = to.isEmpty() ? size - 1 : Math.min(Long.parseLong(to), size - 1);
                if (first < 0 || (!to.isEmpty() && Long.parseLong(to) < first)) return null;
                if (first >= size) return UNSATISFIABLE;
                return new long[]{first, last};
            } catch (NumberFormatException e) {
                return null;
            }
        }
    }
}
