package latchkey.uploads;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Iterator;

/**
 * What the server does with an image: its metadata removed ({@link Metadata}), its size read from
 * its header and refused past {@link #MAX_PIXELS} before any pixel is decoded, and a thumbnail of
 * at most {@link #THUMBNAIL_SIZE} px on the long side. The thumbnail is decoded with subsampling,
 * so its pixels take about four times the thumbnail's size whatever the image's.
 */
final class Images {
    static final long MAX_PIXELS = 40_000_000;
    static final int THUMBNAIL_SIZE = 320;

    /** The image's size as it is shown (orientation applied) and the thumbnail's type. */
    record Result(int width, int height, FileType thumbnailType) {
    }

    static {
        // Decoding reads files that are already on disk; ImageIO's own temporary files are not needed.
        ImageIO.setUseCache(false);
    }

    private Images() {
    }

    /**
     * Writes {@code original} without metadata to {@code cleaned} and its thumbnail to {@code thumbnail}.
     *
     * @throws Metadata.Corrupt when it is not a well-formed image of its type
     * @throws TooLarge         when it has more than {@link #MAX_PIXELS} pixels
     */
    static Result process(FileType type, Path original, Path cleaned, Path thumbnail) throws IOException, Metadata.Corrupt, TooLarge {
        int orientation = Metadata.strip(type, original, cleaned, MAX_PIXELS);
        Decoded decoded = decodeSmall(type, cleaned);
        FileType thumbType = decoded.small().getColorModel().hasAlpha() ? FileType.PNG : FileType.JPEG;
        writeThumbnail(decoded.small(), orientation, thumbType, thumbnail);
        return orientation >= 5 ? new Result(decoded.height(), decoded.width(), thumbType) : new Result(decoded.width(), decoded.height(), thumbType);
    }

    /** More pixels than {@link #MAX_PIXELS}. */
    static final class TooLarge extends Exception {
        TooLarge() {
            super(null, null, false, false);
        }
    }

    /** The image's stored size and its pixels at a fraction of it. */
    private record Decoded(int width, int height, BufferedImage small) {
    }

    private static Decoded decodeSmall(FileType type, Path file) throws IOException, Metadata.Corrupt, TooLarge {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            ImageReader reader = reader(type, in);
            try {
                int width = reader.getWidth(0);
                int height = reader.getHeight(0);
                if (width < 1 || height < 1) throw new Metadata.Corrupt("an image without pixels");
                if ((long) width * height > MAX_PIXELS) throw new TooLarge();
                ImageReadParam param = reader.getDefaultReadParam();
                int step = Math.max(1, Math.max(width, height) / (2 * THUMBNAIL_SIZE));
                param.setSourceSubsampling(step, step, 0, 0);
                boolean[] damaged = {false};
                // A truncated JPEG decodes with a warning and grey where the data ran out: that is damage too.
                reader.addIIOReadWarningListener((source, warning) -> damaged[0] = true);
                BufferedImage image = reader.read(0, param);
                if (damaged[0]) throw new Metadata.Corrupt("the image data is damaged");
                return new Decoded(width, height, image);
            } catch (IOException | RuntimeException e) {
                throw new Metadata.Corrupt("the image can not be decoded: " + e.getClass().getSimpleName());
            } finally {
                reader.dispose();
            }
        }
    }

    private static ImageReader reader(FileType type, ImageInputStream in) throws Metadata.Corrupt {
        if (in == null) throw new Metadata.Corrupt("the file can not be read");
        Iterator<ImageReader> readers = ImageIO.getImageReadersByMIMEType(type.mediaType());
        if (!readers.hasNext()) throw new IllegalStateException("no ImageIO reader for " + type.mediaType());
        ImageReader reader = readers.next();
        reader.setInput(in, true, true);
        return reader;
    }

    private static void writeThumbnail(BufferedImage image, int orientation, FileType type, Path out) throws IOException {
        // The decoded pixels are already within twice the thumbnail's size, so one bilinear step is enough.
        double scale = Math.min(1.0, (double) THUMBNAIL_SIZE / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        boolean swapped = orientation >= 5;
        BufferedImage thumb = new BufferedImage(swapped ? h : w, swapped ? w : h,
                type == FileType.PNG ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
        Graphics2D g = thumb.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.transform(orient(orientation, w, h));
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        ImageWriter writer = ImageIO.getImageWritersByMIMEType(type.mediaType()).next();
        try (ImageOutputStream stream = ImageIO.createImageOutputStream(out.toFile())) {
            writer.setOutput(stream);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (type == FileType.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.85f);
            }
            writer.write(null, new IIOImage(thumb, null, null), param);
        } finally {
            writer.dispose();
        }
    }

    /** The transform that shows a w x h image upright, for EXIF orientations 1..8 (X = m00 x + m01 y + m02, Y = m10 x + m11 y + m12). */
    private static AffineTransform orient(int orientation, int w, int h) {
        return switch (orientation) {
            case 2 -> new AffineTransform(-1, 0, 0, 1, w, 0);
            case 3 -> new AffineTransform(-1, 0, 0, -1, w, h);
            case 4 -> new AffineTransform(1, 0, 0, -1, 0, h);
            case 5 -> new AffineTransform(0, 1, 1, 0, 0, 0);
            case 6 -> new AffineTransform(0, 1, -1, 0, h, 0);
            case 7 -> new AffineTransform(0, -1, -1, 0, h, w);
            case 8 -> new AffineTransform(0, -1, 1, 0, 0, w);
            default -> new AffineTransform();
        };
    }
}
