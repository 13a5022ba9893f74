package latchkey.support;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;

/** Images made in the test, so that what the server must find in them (or remove) is known byte for byte. */
public final class TestImages {
    /** In the GPS EXIF and the comment of {@link #jpegWithGps}: the served file must contain neither. */
    public static final String SECRET = "SECRET-PLACE-51.5007N";

    /** A 1 x 1 lossy WebP (VP8), the smallest file browsers' own feature tests use. */
    public static final byte[] WEBP = Base64.getDecoder().decode("UklGRiIAAABXRUJQVlA4IBYAAAAwAQCdASoBAAEADsD+JaQAA3AAAAAA");

    private TestImages() {
    }

    public static BufferedImage picture(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(new Color(30, 120, 200));
        g.fillRect(0, 0, width, height);
        g.setColor(Color.ORANGE);
        g.fillOval(width / 4, height / 4, width / 2, height / 2);
        g.dispose();
        return image;
    }

    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) throw new IllegalStateException("no writer for " + format);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    public static byte[] png(int width, int height) {
        return encode(picture(width, height), "png");
    }

    public static byte[] jpeg(int width, int height) {
        return encode(picture(width, height), "jpeg");
    }

    public static byte[] gif(int width, int height) {
        return encode(picture(width, height), "gif");
    }

    /** A photo the way phones write it: JPEG with EXIF that holds a GPS position, and a comment. */
    public static byte[] jpegWithGps(int width, int height) {
        byte[] plain = jpeg(width, height);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(plain, 0, 2);
        segment(out, 0xE1, exifWithGps());
        segment(out, 0xFE, ("comment " + SECRET).getBytes(StandardCharsets.US_ASCII));
        out.write(plain, 2, plain.length - 2);
        return out.toByteArray();
    }

    private static void segment(ByteArrayOutputStream out, int marker, byte[] payload) {
        out.write(0xFF);
        out.write(marker);
        out.write((payload.length + 2) >> 8);
        out.write((payload.length + 2) & 0xFF);
        out.writeBytes(payload);
    }

    /** EXIF (big-endian TIFF): IFD0 with an ImageDescription and the GPS IFD pointer; the GPS IFD with a latitude. */
    private static byte[] exifWithGps() {
        byte[] description = (SECRET + "\0").getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = ByteBuffer.allocate(256);
        b.put("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        int tiff = b.position();
        b.put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        int ifd0 = 8;
        int gpsIfd = ifd0 + 2 + 2 * 12 + 4;
        int descriptionAt = gpsIfd + 2 + 2 * 12 + 4;
        int latitudeAt = descriptionAt + description.length;
        b.position(tiff + ifd0);
        b.putShort((short) 2);
        b.putShort((short) 0x010E).putShort((short) 2).putInt(description.length).putInt(descriptionAt);
        b.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(gpsIfd);
        b.putInt(0);
        b.putShort((short) 2);
        b.putShort((short) 0x0001).putShort((short) 2).putInt(2).put((byte) 'N').put((byte) 0).putShort((short) 0);
        b.putShort((short) 0x0002).putShort((short) 5).putInt(3).putInt(latitudeAt);
        b.putInt(0);
        b.put(description);
        b.putInt(51).putInt(1).putInt(30).putInt(1).putInt(26).putInt(1);
        byte[] exif = new byte[b.position()];
        b.flip().get(exif);
        return exif;
    }

    /** Pixels a compressor can not shrink: a JPEG of about {@code bytes} (within a few percent). */
    public static byte[] noisyJpeg(int bytes) {
        Random random = new Random(42);
        int side = (int) Math.sqrt(bytes / 1.2);
        BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < side; y++) for (int x = 0; x < side; x++) image.setRGB(x, y, random.nextInt());
        return encode(image, "jpeg");
    }

    public static BufferedImage decode(byte[] bytes) {
        try {
            BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
            if (image == null) throw new AssertionError("not an image ImageIO can read");
            return image;
        } catch (IOException e) {
            throw new AssertionError("not a readable image: " + e, e);
        }
    }

    public static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }
}
