package latchkey.uploads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Where the bytes of uploads live, under names the server chose (keys). An incoming file is
 * received into a local temporary file first, and only a complete one is kept: a key names
 * nothing but whole files. The local folder is the one implementation for now.
 */
public interface FileStore {
    /** A new, empty temporary file for bytes being received. */
    Path temporary() throws IOException;

    /** Makes a complete temporary file durable under a new key, and returns the key. */
    String keep(Path temporary) throws IOException;

    /**
     * The whole kept file as read-only bytes, for the caller to slice; NoSuchFileException when
     * it is gone. Kept files never change, so an implementation may hand the same bytes to
     * every reader.
     */
    ByteBuffer read(String key) throws IOException;

    /** Removes a kept file; removing one that is gone is not an error. */
    void delete(String key) throws IOException;

    /**
     * Keys of files last changed before {@code cutoff} (housekeeping removes those no upload
     * names); temporary files older than it, left half-received by a crash, are removed here.
     */
    List<String> olderThan(Instant cutoff) throws IOException;
}
