package latchkey.uploads;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The folder store: whole files under new keys, read through mappings it shares, and gone once deleted. */
class LocalFileStoreTest {
    @Test
    void readersShareTheBytesButNotTheirPositionAndADeletedFileIsNotReadAgain(@TempDir Path dir) throws Exception {
        LocalFileStore store = new LocalFileStore(dir);
        Path incoming = store.temporary();
        Files.writeString(incoming, "hello, world");
        String key = store.keep(incoming);
        assertFalse(Files.exists(incoming));

        ByteBuffer first = store.read(key);
        ByteBuffer second = store.read(key);
        assertTrue(first.isReadOnly());
        first.position(7);
        assertEquals("world", StandardCharsets.US_ASCII.decode(first).toString());
        assertEquals("hello, world", StandardCharsets.US_ASCII.decode(second).toString(), "one reader's position is not another's");

        store.delete(key);
        assertFalse(Files.exists(dir.resolve(key)));
        assertThrows(NoSuchFileException.class, () -> store.read(key), "the kept mapping went with the file");
        assertThrows(java.io.IOException.class, () -> store.read("../etc/passwd"));
    }
}
