package latchkey.support;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GreenMail, a real SMTP server in the test JVM, on a port of our choosing (so that it can be
 * stopped and started again on the same one). Its TLS certificate is one made for this test run
 * (for localhost and 127.0.0.1, by the JDK's keytool) rather than GreenMail's own, which names no
 * host: Latchkey checks the certificate and the host name, and trusts {@link #CA_FILE} through
 * {@code mail.smtp.ca-file}.
 */
public final class SmtpServer implements AutoCloseable {
    public static final String USER = "latchkey";
    public static final String PASSWORD = "smtp-Secret-pass";
    private static final String STORE_PASSWORD = "changeit";
    private static final Path KEYSTORE;
    public static final Path CA_FILE;

    static {
        try {
            Path dir = Files.createTempDirectory("latchkey-smtp-tls");
            KEYSTORE = dir.resolve("smtp.p12");
            CA_FILE = dir.resolve("smtp.pem");
            keytool("-genkeypair", "-alias", "smtp", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=localhost",
                    "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "7", "-storetype", "PKCS12",
                    "-keystore", KEYSTORE.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
            keytool("-exportcert", "-rfc", "-alias", "smtp", "-keystore", KEYSTORE.toString(), "-storepass", STORE_PASSWORD,
                    "-file", CA_FILE.toString());
            // Read once, by GreenMail's TLS socket factory, when the first SMTPS server starts.
            System.setProperty("greenmail.tls.keystore.file", KEYSTORE.toString());
            System.setProperty("greenmail.tls.keystore.password", STORE_PASSWORD);
            System.setProperty("greenmail.tls.key.password", STORE_PASSWORD);
        } catch (IOException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final ServerSetup setup;
    private final boolean withUser;
    private GreenMail greenMail;

    private SmtpServer(ServerSetup setup, boolean withUser) {
        this.setup = setup;
        this.withUser = withUser;
    }

    /** Plain SMTP (no TLS offered); with {@code withUser}, AUTH checks {@link #USER} and {@link #PASSWORD}. */
    public static SmtpServer plain(int port, boolean withUser) {
        return new SmtpServer(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP), withUser).start();
    }

    /** SMTP over TLS from the first byte (port 465 style), with AUTH. */
    public static SmtpServer implicitTls(int port) {
        return new SmtpServer(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTPS), true).start();
    }

    public synchronized SmtpServer start() {
        GreenMailConfiguration config = GreenMailConfiguration.aConfig();
        if (withUser) config = config.withUser(USER, PASSWORD);
        greenMail = new GreenMail(setup).withConfiguration(config);
        greenMail.start();
        return this;
    }

    public synchronized void stop() {
        greenMail.stop();
    }

    public int port() {
        return setup.getPort();
    }

    /** Waits up to 20 s for at least {@code count} messages, then returns every message received. */
    public List<MimeMessage> await(int count) {
        greenMail.waitForIncomingEmail(20_000, count);
        return received();
    }

    public List<MimeMessage> received() {
        return List.of(greenMail.getReceivedMessages());
    }

    /** The server side of TLS with the test certificate, for {@link StartTlsRelay}. */
    static SSLContext serverTls() {
        try (InputStream in = Files.newInputStream(KEYSTORE)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, STORE_PASSWORD.toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, STORE_PASSWORD.toCharArray());
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static void keytool(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException("keytool failed: " + output);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    @Override
    public synchronized void close() {
        if (greenMail != null && greenMail.isRunning()) greenMail.stop();
    }
}
