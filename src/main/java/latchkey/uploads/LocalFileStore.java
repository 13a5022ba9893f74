package latchkey.uploads;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Uploads in a local folder: kept files are {@code <dir>/<32 hex digits>}, temporary ones
 * {@code <dir>/incoming/...} on the same file system. Keeping a file fsyncs it, renames it into
 * place (atomic: a key never names half a file) and fsyncs the folder, so the rename itself
 * survives a power cut. Files and folders are readable by the server's user only.
 *
 * <p>Reading maps a file into memory and keeps the mapping for the next reader (the most recently
 * read files, up to {@link #MAPPED_BYTES} in all): mapping a file again for every request costs
 * more than sending it, and a kept mapping is what lets serving keep up with Jetty's own static
 * files. A mapping holds address space and page cache, not heap.
 */
public final class LocalFileStore implements FileStore {
    private static final String INCOMING = "incoming";
    private static final SecureRandom RANDOM = new SecureRandom();

    static final long MAPPED_BYTES = 512L << 20;

    private final Path dir;
    private final Path incoming;
    private final boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    /** Guarded by itself; in least recently read order. */
    private final LinkedHashMap<String, ByteBuffer> mapped = new LinkedHashMap<>(64, 0.75f, true);
    private long mappedBytes;

    public LocalFileStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        this.incoming = this.dir.resolve(INCOMING);
        try {
            Files.createDirectories(incoming, folderMode());
        } catch (IOException e) {
            throw new IllegalStateException("can not create the uploads folder " + incoming + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Path temporary() throws IOException {
        return posix ? Files.createTempFile(incoming, "up-", ".part", PosixFilePermissions.asFileAttribute(Set.of(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE))) : Files.createTempFile(incoming, "up-", ".part");
    }

    @Override
    public String keep(Path temporary) throws IOException {
        try (FileChannel file = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            file.force(true);
        }
        byte[] random = new byte[16];
        RANDOM.nextBytes(random);
        String key = HexFormat.of().formatHex(random);
        try {
            Files.move(temporary, dir.resolve(key), StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the uploads folder must be on one file system: " + e.getMessage(), e);
        }
        try (FileChannel folder = FileChannel.open(dir, StandardOpenOption.READ)) {
            folder.force(true);
        }
        return key;
    }

    @Override
    public ByteBuffer read(String key) throws IOException {
        Path path = path(key);
        // One lock for reading and deleting: a file deleted while it is being mapped is never kept mapped.
        synchronized (mapped) {
            ByteBuffer bytes = mapped.get(key);
            if (bytes == null) {
                try (FileChannel file = FileChannel.open(path, StandardOpenOption.READ)) {
                    bytes = file.map(FileChannel.MapMode.READ_ONLY, 0, file.size()).asReadOnlyBuffer();
                }
                if (bytes.capacity() <= MAPPED_BYTES) {
                    mapped.put(key, bytes);
                    mappedBytes += bytes.capacity();
                    Iterator<Map.Entry<String, ByteBuffer>> oldest = mapped.entrySet().iterator();
                    while (mappedBytes > MAPPED_BYTES && oldest.hasNext()) {
                        mappedBytes -= oldest.next().getValue().capacity();
                        oldest.remove();
                    }
                }
            }
            return bytes.duplicate();
        }
    }

    @Override
    public void delete(String key) throws IOException {
        Path path = path(key);
        synchronized (mapped) {
            ByteBuffer bytes = mapped.remove(key);
            if (bytes != null) mappedBytes -= bytes.capacity();
            Files.deleteIfExists(path);
        }
    }

    @Override
    public List<String> olderThan(Instant cutoff) throws IOException {
        List<String> old = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (isKey(name) && Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) old.add(name);
            }
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(incoming)) {
            for (Path file : files) {
                if (Files.getLastModifiedTime(file).toInstant().isBefore(cutoff)) Files.deleteIfExists(file);
            }
        }
        return old;
    }

    /** Keys are made here, but they are read back from the database: one that is not 32 hex digits names no file of ours. */
    private Path path(String key) throws IOException {
        if (!isKey(key)) throw new IOException("not a key of this store");
        return dir.resolve(key);
    }

    private static boolean isKey(String name) {
        return name.length() == 32 && name.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
    }

    private FileAttribute<?>[] folderMode() {
        return posix ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"))}
                : new FileAttribute<?>[0];
    }
}
