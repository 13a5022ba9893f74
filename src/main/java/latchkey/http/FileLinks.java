package latchkey.http;

import java.util.function.Supplier;

/**
 * The links to stored files that a response hands to its viewer: signed for the caller's session,
 * so they differ per viewer and are made while the response is written, not when the data is read.
 * The request's thread holds its viewer's links (Javalin writes JSON on that thread); a response
 * written without a viewer (an event no one has rendered yet) has no links.
 */
public interface FileLinks {
    FileLinks NONE = (uploadId, thumbnail) -> null;

    /** The URL of an upload's file, or of its thumbnail. */
    String url(long uploadId, boolean thumbnail);

    ThreadLocal<FileLinks> CURRENT = ThreadLocal.withInitial(() -> NONE);

    static FileLinks current() {
        return CURRENT.get();
    }

    /** The links of the request this thread now handles; {@code null} for a request without a signed-in caller. */
    static void bind(FileLinks links) {
        if (links == null) CURRENT.remove();
        else CURRENT.set(links);
    }

    /** Runs {@code write} (a serialisation) with {@code links} bound on this thread, then binds back what was there. */
    static <T> T with(FileLinks links, Supplier<T> write) {
        FileLinks before = CURRENT.get();
        CURRENT.set(links);
        try {
            return write.get();
        } finally {
            CURRENT.set(before);
        }
    }

    /** Makes the links of one viewer: the user and the session a response or a frame is for. */
    interface Signer {
        FileLinks forViewer(long userId, long sessionId);
    }

    /**
     * Makes no links, but remembers being asked for one: what is written with it is the same for
     * every viewer when {@link #asked()} stays false, and can be written once for all of them.
     */
    final class Probe implements FileLinks {
        private boolean asked;

        @Override
        public String url(long uploadId, boolean thumbnail) {
            asked = true;
            return null;
        }

        public boolean asked() {
            return asked;
        }
    }
}
