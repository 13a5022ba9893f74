import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ResourceHandler;
import org.eclipse.jetty.util.resource.ResourceFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Path;
import java.util.Random;

/**
 * Helpers of src/bench/uploads.sh, run with the packaged jar on the class path
 * ({@code java -cp target/latchkey.jar src/bench/UploadBench.java ...}):
 * <ul>
 *   <li>{@code static PORT DIR}: Jetty's own static file serving (ResourceHandler, as it comes: ETags,
 *       ranges, its content cache) of DIR on 127.0.0.1:PORT, the same Jetty that Latchkey runs on:
 *       the ceiling that serving an upload is compared with;</li>
 *   <li>{@code image FILE BYTES}: a JPEG of noise of about BYTES (a photo's worth of detail, that
 *       no encoder shrinks).</li>
 * </ul>
 */
public final class UploadBench {
    public static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "static" -> serveStatic(Integer.parseInt(args[1]), Path.of(args[2]));
            case "image" -> image(new File(args[1]), Long.parseLong(args[2]));
            default -> throw new IllegalArgumentException("static PORT DIR | image FILE BYTES");
        }
    }

    private static void serveStatic(int port, Path dir) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        ResourceHandler files = new ResourceHandler();
        files.setBaseResource(ResourceFactory.of(server).newResource(dir));
        files.setDirAllowed(false);
        server.setHandler(files);
        server.start();
        System.out.println("static files of " + dir + " on port " + port);
        server.join();
    }

    private static void image(File out, long bytes) throws Exception {
        // Noise at the default quality costs about 1.5 bytes a pixel; the side is tuned to land near the target.
        int side = (int) Math.sqrt(bytes / 1.5);
        for (int attempt = 0; attempt < 6; attempt++) {
            Random random = new Random(42);
            BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) image.setRGB(x, y, random.nextInt() & 0xFFFFFF);
            ImageIO.write(image, "jpeg", out);
            double ratio = (double) bytes / out.length();
            if (Math.abs(ratio - 1) < 0.03) break;
            side = (int) (side * Math.sqrt(ratio));
        }
        System.out.println(out + ": " + out.length() + " bytes, " + side + " x " + side);
    }
}
