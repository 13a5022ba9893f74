package latchkey.http;

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
}
