package latchkey.mail;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.Instant;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes each mail as an {@code .eml} file (mode 600, in a folder of mode 700), which any mail
 * program opens: a fresh start needs no mail server. Names sort by time:
 * {@code 20261201T213806.573Z-000001-password-reset.eml}. A file appears whole (written aside,
 * then renamed), so a reader never sees half a mail.
 */
final class OutboxMailer implements Mailer {
    private static final FileAttribute<?> OWNER_ONLY_DIR = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------"));
    private static final FileAttribute<?> OWNER_ONLY_FILE = PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final InternetAddress from;
    private final Session session = Session.getInstance(new Properties());
    private final AtomicLong written = new AtomicLong();

    OutboxMailer(Path dir, String from) {
        this.dir = dir.toAbsolutePath().normalize();
        this.from = Messages.from(from);
    }

    @Override
    public void send(Mail mail) throws MessagingException, IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, OWNER_ONLY_DIR);
        }
        Path tmp = Files.createTempFile(dir, ".mail-", ".tmp", OWNER_ONLY_FILE);
        try {
            try (OutputStream out = Files.newOutputStream(tmp)) {
                Messages.build(session, from, mail, true).writeTo(out);
            }
            String name = String.format("%s-%06d-%s.eml", STAMP.format(Instant.now()), written.incrementAndGet(), mail.kind());
            Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    @Override
    public String describe() {
        return "written to " + dir + " (no mail.smtp.host)";
    }
}
