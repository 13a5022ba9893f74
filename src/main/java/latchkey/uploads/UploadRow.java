package latchkey.uploads;

/**
 * A row of {@code uploads}, with the room of the message that carries it (null while it is in
 * none). Keys name files in the {@link FileStore}; they never leave the server.
 */
public record UploadRow(long id, long ownerId, String purpose, Long messageId, Long roomId, String name, String contentType,
                        long size, Integer width, Integer height, String fileKey, String thumbKey, String thumbType,
                        long storedBytes, String digest, long createdAt) {
    public static final String ATTACHMENT = "attachment";
    public static final String AVATAR = "avatar";

    public Upload view() {
        return Upload.of(this);
    }
}
