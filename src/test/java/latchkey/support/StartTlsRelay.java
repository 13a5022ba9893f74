package latchkey.support;

import javax.net.ssl.SSLSocket;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP front that offers STARTTLS (RFC 3207), which GreenMail does not: it greets, answers EHLO
 * with STARTTLS, refuses everything else until the upgrade, makes the TLS handshake with the test
 * certificate, and from then on relays the bytes to a plain GreenMail behind it (whose own greeting
 * it swallows, as the client expects none after the upgrade). So Latchkey's STARTTLS, certificate
 * check and AUTH run against a real server.
 */
public final class StartTlsRelay implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "starttls-relay");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger handshakes = new AtomicInteger();

    private StartTlsRelay(ServerSocket server, int upstreamPort) {
        this.server = server;
        this.upstreamPort = upstreamPort;
    }

    public static StartTlsRelay start(int port, int upstreamPort) throws IOException {
        StartTlsRelay relay = new StartTlsRelay(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()), upstreamPort);
        relay.threads.submit(relay::accept);
        return relay;
    }

    /** How many clients upgraded to TLS. */
    public int handshakes() {
        return handshakes.get();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                threads.submit(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            OutputStream out = client.getOutputStream();
            InputStream in = client.getInputStream();
            send(out, "220 localhost ESMTP relay");
            while (true) {
                String line = readLine(in);
                if (line == null) return;
                String command = line.toUpperCase(Locale.ROOT);
                if (command.startsWith("EHLO")) {
                    send(out, "250-localhost\r\n250 STARTTLS");
                } else if (command.startsWith("STARTTLS")) {
                    send(out, "220 2.0.0 Ready to start TLS");
                    break;
                } else if (command.startsWith("QUIT")) {
                    send(out, "221 2.0.0 Bye");
                    return;
                } else {
                    send(out, "530 5.7.0 Must issue a STARTTLS command first");
                }
            }
            SSLSocket tls = (SSLSocket) SmtpServer.serverTls().getSocketFactory().createSocket(client, null, client.getPort(), false);
            tls.setUseClientMode(false);
            tls.startHandshake();
            handshakes.incrementAndGet();
            try (tls; Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                readLine(upstream.getInputStream());
                threads.submit(() -> pipe(tls, upstream));
                pipe(upstream, tls);
            }
        } catch (IOException ignored) {
            // the client or the server went away: so does this connection
        }
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException ignored) {
            // one side closed
        } finally {
            try {
                to.shutdownOutput();
            } catch (IOException | UnsupportedOperationException ignored) {
                // already closed
            }
        }
    }

    /** One CRLF-ended line, byte by byte: nothing past it may be read before the TLS handshake. */
    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') return line.toString(StandardCharsets.US_ASCII).stripTrailing();
            line.write(b);
        }
        return null;
    }

    private static void send(OutputStream out, String reply) throws IOException {
        out.write((reply + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    public int port() {
        return server.getLocalPort();
    }

    @Override
    public void close() throws IOException {
        server.close();
        threads.shutdownNow();
    }
}
