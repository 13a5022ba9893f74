package latchkey.support;

import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Mails as a test reads them: from the outbox folder, or as GreenMail received them. */
public final class Outbox {
    private static final Pattern TOKEN = Pattern.compile("[?&]token=([A-Za-z0-9_-]+)");
    private static final Pattern LINK = Pattern.compile("https?://\\S+");

    /** One mail: its recipient, subject, both parts, and the first link of its text. */
    public record Received(String to, String subject, String text, String html, String kind) {
        public String link() {
            Matcher m = LINK.matcher(text);
            if (!m.find()) throw new AssertionError("no link in: " + text);
            return m.group();
        }

        public String token() {
            Matcher m = TOKEN.matcher(link());
            if (!m.find()) throw new AssertionError("no token in " + link());
            return m.group(1);
        }
    }

    private Outbox() {
    }

    /** Waits until {@code dir} holds at least {@code count} mails and returns them all, oldest first. */
    public static List<Received> await(Path dir, int count) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        List<Path> files = files(dir);
        while (files.size() < count && System.nanoTime() < deadline) {
            pause();
            files = files(dir);
        }
        if (files.size() < count) throw new AssertionError("expected " + count + " mails in " + dir + ", found " + files.size());
        List<Received> mails = new ArrayList<>();
        for (Path f : files) mails.add(read(f));
        return mails;
    }

    /** The newest mail to {@code to} of this kind, once there are at least {@code count} of them. */
    public static Received latest(Path dir, String to, String kind, int count) {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            List<Received> matching = files(dir).stream().map(Outbox::read).filter(m -> m.to().equals(to) && m.kind().equals(kind)).toList();
            if (matching.size() >= count) return matching.get(matching.size() - 1);
            if (System.nanoTime() > deadline) throw new AssertionError("no " + count + " " + kind + " mails to " + to + " in " + dir);
            pause();
        }
    }

    public static List<Path> files(Path dir) {
        if (!Files.isDirectory(dir)) return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".eml")).sorted().toList();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    public static Received read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            String name = file.getFileName().toString();
            // 20261201T213806.573Z-000001-password-reset.eml
            String kind = name.substring(name.indexOf('-', name.indexOf('-') + 1) + 1, name.length() - ".eml".length());
            return parse(new MimeMessage(Session.getInstance(new Properties()), in), kind);
        } catch (IOException | MessagingException e) {
            throw new AssertionError(file + ": " + e, e);
        }
    }

    /** A received message; {@code kind} is what the test knows it to be (an SMTP server does not say). */
    public static Received parse(MimeMessage message, String kind) {
        try {
            Address[] to = message.getRecipients(MimeMessage.RecipientType.TO);
            if (to == null || to.length != 1) throw new AssertionError("not one recipient: " + Arrays.toString(to));
            Multipart parts = (Multipart) message.getContent();
            if (parts.getCount() != 2 || !message.getContentType().startsWith("multipart/alternative")) {
                throw new AssertionError("not text and HTML: " + message.getContentType());
            }
            BodyPart text = parts.getBodyPart(0);
            BodyPart html = parts.getBodyPart(1);
            if (!text.isMimeType("text/plain") || !html.isMimeType("text/html")) throw new AssertionError("parts out of order");
            return new Received(to[0].toString(), message.getSubject(), (String) text.getContent(), (String) html.getContent(), kind);
        } catch (IOException | MessagingException e) {
            throw new AssertionError(e);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(10);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
