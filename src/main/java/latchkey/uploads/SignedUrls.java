package latchkey.uploads;

import io.javalin.http.Context;
import latchkey.http.FileLinks;
import latchkey.identity.Principal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * Links to uploads that an {@code <img>} can load without an Authorization header: the upload id,
 * the variant, the viewer's user and session and an expiry, signed with HMAC-SHA256 under a key
 * derived from the JWT secret (never the JWT key itself). A link proves who was handed it and
 * until when; whether that viewer may still read the upload, and whether their session is still
 * live, is checked again at every read.
 *
 * <p>Expiries are rounded down to a quarter of the lifetime, so a client that reads the same
 * message twice within minutes gets the same URL and its browser cache hits; a link works
 * between three quarters of {@code uploads.url-ttl} and all of it.
 */
public final class SignedUrls implements FileLinks.Signer {
    /** A verified link: who it was made for, and what it opens. */
    public record Claims(long uploadId, boolean thumbnail, long userId, long sessionId, long expiresAt) {
    }

    private final String publicUrl;
    private final SecretKeySpec key;
    private final Duration ttl;
    private final Clock clock;

    public SignedUrls(byte[] jwtSecret, String publicUrl, Duration ttl, Clock clock) {
        this.publicUrl = publicUrl;
        this.key = new SecretKeySpec(hmac(new SecretKeySpec(jwtSecret, "HmacSHA256"), "latchkey upload links v1"), "HmacSHA256");
        this.ttl = ttl;
        this.clock = clock;
    }

    /** The links a response for this session hands out. */
    @Override
    public FileLinks forViewer(long userId, long sessionId) {
        long step = Math.max(1, ttl.toSeconds() / 4);
        long expires = (clock.millis() / 1000 + ttl.toSeconds()) / step * step;
        return (uploadId, thumbnail) -> publicUrl + "/files/" + uploadId + "?variant=" + variant(thumbnail) + "&uid=" + userId
                + "&sid=" + sessionId + "&exp=" + expires + "&sig=" + sign(uploadId, thumbnail, userId, sessionId, expires);
    }

    /**
     * A before-handler of every matched route, after the access check: a signed-in caller's
     * responses get links signed for their session ({@link FileLinks}).
     */
    public void bindViewer(Context ctx) {
        Principal.find(ctx).ifPresent(p -> FileLinks.bind(forViewer(p.userId(), p.sessionId())));
    }

    /** The claims of a link whose signature is right and that has not expired; empty otherwise. */
    public Optional<Claims> verify(long uploadId, String variant, String uid, String sid, String exp, String sig) {
        if (variant == null || uid == null || sid == null || exp == null || sig == null) return Optional.empty();
        if (!variant.equals("original") && !variant.equals("thumbnail")) return Optional.empty();
        long userId;
        long sessionId;
        long expires;
        try {
            userId = Long.parseLong(uid);
            sessionId = Long.parseLong(sid);
            expires = Long.parseLong(exp);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        boolean thumbnail = variant.equals("thumbnail");
        byte[] expected = sign(uploadId, thumbnail, userId, sessionId, expires).getBytes(StandardCharsets.US_ASCII);
        if (!MessageDigest.isEqual(expected, sig.getBytes(StandardCharsets.US_ASCII))) return Optional.empty();
        if (expires * 1000 <= clock.millis()) return Optional.empty();
        return Optional.of(new Claims(uploadId, thumbnail, userId, sessionId, expires));
    }

    private static String variant(boolean thumbnail) {
        return thumbnail ? "thumbnail" : "original";
    }

    private String sign(long uploadId, boolean thumbnail, long userId, long sessionId, long expires) {
        String message = uploadId + "/" + variant(thumbnail) + "/" + userId + "/" + sessionId + "/" + expires;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(hmac(key, message));
    }

    private static byte[] hmac(SecretKeySpec key, String message) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac.doFinal(message.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
