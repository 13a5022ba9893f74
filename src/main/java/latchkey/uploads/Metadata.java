package latchkey.uploads;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * Removes metadata from an image without touching its pixels: the file is walked by its own
 * structure (JPEG segments, PNG chunks, GIF blocks, WebP RIFF chunks) and only what draws the
 * picture is copied. EXIF (with GPS), XMP, IPTC, comments and text chunks go, and so do bytes
 * after the end of the image (where polyglots hide a second file). A structure that does not
 * add up (truncated, a length past the end, a bad PNG checksum) is {@link Corrupt}.
 *
 * <p>Lossless, and in bounded memory: re-encoding would cost a full decode of up to 40
 * megapixels per upload and a generation of JPEG loss. A JPEG's orientation is the one piece of
 * EXIF a photo needs to show upright, so it is written back alone.
 */
final class Metadata {
    /** The file is not a well-formed image of its type. */
    static final class Corrupt extends Exception {
        Corrupt(String message) {
            super(message, null, false, false);
        }
    }

    /** The size a JPEG's segments before its image data may take; real files need a few KiB. */
    private static final int MAX_JPEG_HEADER = 1 << 20;
    private static final Set<String> PNG_KEPT = Set.of("IHDR", "PLTE", "IDAT", "IEND", "tRNS", "cHRM", "gAMA", "iCCP", "sBIT",
            "sRGB", "bKGD", "pHYs", "hIST", "acTL", "fcTL", "fdAT");

    private Metadata() {
    }

    /**
     * Copies {@code in} to {@code out} without metadata; returns the JPEG's EXIF orientation
     * (1..8; 1 for every other type and for a JPEG without one).
     */
    static int strip(FileType type, Path in, Path out, long maxPixels) throws IOException, Corrupt {
        if (type == FileType.WEBP) {
            stripWebp(in, out);
            return 1;
        }
        try (InputStream src = new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(in), 64 * 1024);
             OutputStream dst = new java.io.BufferedOutputStream(java.nio.file.Files.newOutputStream(out), 64 * 1024)) {
            Reader r = new Reader(src);
            return switch (type) {
                case JPEG -> stripJpeg(r, dst);
                case PNG -> {
                    stripPng(r, dst);
                    yield 1;
                }
                case GIF -> {
                    stripGif(r, dst, maxPixels);
                    yield 1;
                }
                default -> throw new IllegalArgumentException(type + " is not an image");
            };
        } catch (EOFException e) {
            throw new Corrupt("the file ends before the image does");
        }
    }

    /** Reads exactly what is asked or throws EOFException. */
    private record Reader(InputStream in) {
        int u8() throws IOException {
            int b = in.read();
            if (b < 0) throw new EOFException();
            return b;
        }

        int u16be() throws IOException {
            return (u8() << 8) | u8();
        }

        int u16le() throws IOException {
            return u8() | (u8() << 8);
        }

        long u32be() throws IOException {
            return ((long) u16be() << 16) | u16be();
        }

        byte[] bytes(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length < n) throw new EOFException();
            return b;
        }

        /** Copies {@code n} bytes to {@code out} (null: skips them), feeding {@code crc} when given. */
        void copy(long n, OutputStream out, CRC32 crc) throws IOException {
            byte[] buffer = new byte[8192];
            while (n > 0) {
                int read = in.read(buffer, 0, (int) Math.min(buffer.length, n));
                if (read < 0) throw new EOFException();
                if (crc != null) crc.update(buffer, 0, read);
                if (out != null) out.write(buffer, 0, read);
                n -= read;
            }
        }
    }

    // JPEG: SOI, segments (marker, 2-byte length, payload), entropy-coded data after each SOS, EOI.

    private static int stripJpeg(Reader r, OutputStream out) throws IOException, Corrupt {
        if (r.u16be() != 0xFFD8) throw new Corrupt("not a JPEG");
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        byte[] app0 = null;
        int orientation = 1;
        int marker = nextMarker(r);
        // Everything up to the first scan is buffered, so that the orientation (found in the EXIF
        // segment, wherever it is) can be written back before the image data.
        while (marker != 0xDA) {
            if (marker == 0xD9) throw new Corrupt("a JPEG without image data");
            byte[] payload = segment(r);
            if (marker == 0xE1 && startsWith(payload, "Exif\0\0")) {
                orientation = exifOrientation(payload);
            } else if (keepJpegSegment(marker, payload)) {
                if (marker == 0xE0 && app0 == null && header.size() == 0) app0 = payload;
                else writeSegment(header, marker, payload);
            }
            if (header.size() > MAX_JPEG_HEADER) throw new Corrupt("JPEG tables larger than any image needs");
            marker = nextMarker(r);
        }
        out.write(0xFF);
        out.write(0xD8);
        if (app0 != null) writeSegment(out, 0xE0, app0);
        if (orientation != 1) writeSegment(out, 0xE1, orientationExif(orientation));
        header.writeTo(out);
        while (true) {
            if (marker == 0xD9) {
                out.write(0xFF);
                out.write(0xD9);
                return orientation;
            }
            if (marker == 0xDA) {
                writeSegment(out, marker, segment(r));
                marker = copyScan(r, out);
                continue;
            }
            byte[] payload = segment(r);
            if (keepJpegSegment(marker, payload) && marker != 0xE0) writeSegment(out, marker, payload);
            marker = nextMarker(r);
        }
    }

    /** Tables and frame headers are kept; of the application segments only JFIF, the ICC colour profile and Adobe's colour transform. */
    private static boolean keepJpegSegment(int marker, byte[] payload) {
        if (marker == 0xFE) return false;
        if (marker >= 0xE0 && marker <= 0xEF) {
            return (marker == 0xE0 && startsWith(payload, "JFIF\0"))
                    || (marker == 0xE2 && startsWith(payload, "ICC_PROFILE\0"))
                    || (marker == 0xEE && startsWith(payload, "Adobe"));
        }
        return true;
    }

    private static int nextMarker(Reader r) throws IOException, Corrupt {
        if (r.u8() != 0xFF) throw new Corrupt("JPEG segments do not follow each other");
        int marker = r.u8();
        while (marker == 0xFF) marker = r.u8();
        if (marker == 0x00) throw new Corrupt("a bad JPEG marker");
        return marker;
    }

    private static byte[] segment(Reader r) throws IOException, Corrupt {
        int length = r.u16be();
        if (length < 2) throw new Corrupt("a JPEG segment with a bad length");
        return r.bytes(length - 2);
    }

    private static void writeSegment(OutputStream out, int marker, byte[] payload) throws IOException {
        out.write(0xFF);
        out.write(marker);
        out.write((payload.length + 2) >> 8);
        out.write((payload.length + 2) & 0xFF);
        out.write(payload);
    }

    /** Copies entropy-coded data (stuffed bytes and restart markers included) and returns the marker that ends it. */
    private static int copyScan(Reader r, OutputStream out) throws IOException {
        while (true) {
            int b = r.u8();
            if (b != 0xFF) {
                out.write(b);
                continue;
            }
            int next = r.u8();
            while (next == 0xFF) next = r.u8();
            if (next == 0x00 || (next >= 0xD0 && next <= 0xD7)) {
                out.write(0xFF);
                out.write(next);
            } else {
                return next;
            }
        }
    }

    /** The Orientation tag (0x0112) of IFD0 in an EXIF segment; 1 when it is missing or makes no sense. */
    private static int exifOrientation(byte[] app1) {
        ByteBuffer tiff = ByteBuffer.wrap(app1, 6, app1.length - 6).slice();
        try {
            if (tiff.get(0) == 'I' && tiff.get(1) == 'I') tiff.order(ByteOrder.LITTLE_ENDIAN);
            else if (tiff.get(0) != 'M' || tiff.get(1) != 'M') return 1;
            int ifd = tiff.getInt(4);
            int entries = tiff.getShort(ifd) & 0xFFFF;
            for (int i = 0; i < entries; i++) {
                int entry = ifd + 2 + 12 * i;
                if ((tiff.getShort(entry) & 0xFFFF) == 0x0112 && (tiff.getShort(entry + 2) & 0xFFFF) == 3) {
                    int value = tiff.getShort(entry + 8) & 0xFFFF;
                    return value >= 1 && value <= 8 ? value : 1;
                }
            }
        } catch (IndexOutOfBoundsException e) {
            return 1;
        }
        return 1;
    }

    /** An EXIF segment holding nothing but the orientation. */
    private static byte[] orientationExif(int orientation) {
        ByteBuffer b = ByteBuffer.allocate(32).order(ByteOrder.BIG_ENDIAN);
        b.put("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1)).put((byte) 'M').put((byte) 'M').putShort((short) 42).putInt(8);
        b.putShort((short) 1).putShort((short) 0x0112).putShort((short) 3).putInt(1).putShort((short) orientation).putShort((short) 0);
        b.putInt(0);
        return b.array();
    }

    // PNG: signature, then chunks (length, type, data, CRC) from IHDR to IEND.

    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};

    private static void stripPng(Reader r, OutputStream out) throws IOException, Corrupt {
        if (!java.util.Arrays.equals(r.bytes(8), PNG_SIGNATURE)) throw new Corrupt("not a PNG");
        out.write(PNG_SIGNATURE);
        boolean first = true;
        while (true) {
            long length = r.u32be();
            byte[] typeBytes = r.bytes(4);
            String type = new String(typeBytes, StandardCharsets.ISO_8859_1);
            if (length > Integer.MAX_VALUE || !type.chars().allMatch(Character::isLetter)) throw new Corrupt("a broken PNG chunk");
            if (first != type.equals("IHDR")) throw new Corrupt("a PNG must start with IHDR");
            first = false;
            boolean keep = PNG_KEPT.contains(type);
            if (!keep && Character.isUpperCase(type.charAt(0))) throw new Corrupt("an unknown critical PNG chunk " + type);
            CRC32 crc = new CRC32();
            crc.update(typeBytes);
            if (keep) {
                out.write(u32(length));
                out.write(typeBytes);
            }
            r.copy(length, keep ? out : null, crc);
            long stored = r.u32be();
            if (stored != crc.getValue()) throw new Corrupt("a PNG chunk with a bad checksum");
            if (keep) out.write(u32(stored));
            if (type.equals("IEND")) return;
        }
    }

    private static byte[] u32(long v) {
        return new byte[]{(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
    }

    // GIF: header, logical screen, colour table, then images and extensions, each in sub-blocks, to the trailer.

    private static void stripGif(Reader r, OutputStream out, long maxPixels) throws IOException, Corrupt {
        out.write(r.bytes(6));
        byte[] screen = r.bytes(7);
        out.write(screen);
        if ((screen[4] & 0x80) != 0) out.write(r.bytes(3 << ((screen[4] & 0x07) + 1)));
        boolean image = false;
        while (true) {
            int block = r.u8();
            if (block == 0x3B) {
                if (!image) throw new Corrupt("a GIF without an image");
                out.write(block);
                return;
            } else if (block == 0x2C) {
                byte[] descriptor = r.bytes(9);
                long w = (descriptor[4] & 0xFF) | ((descriptor[5] & 0xFF) << 8);
                long h = (descriptor[6] & 0xFF) | ((descriptor[7] & 0xFF) << 8);
                if (w * h > maxPixels) throw new Corrupt("a GIF frame larger than the limit");
                out.write(block);
                out.write(descriptor);
                if ((descriptor[8] & 0x80) != 0) out.write(r.bytes(3 << ((descriptor[8] & 0x07) + 1)));
                out.write(r.u8());
                copySubBlocks(r, out);
                image = true;
            } else if (block == 0x21) {
                int label = r.u8();
                byte[] first = subBlock(r);
                boolean keep = label == 0xF9 || (label == 0xFF && (startsWith(first, "NETSCAPE2.0") || startsWith(first, "ANIMEXTS1.0")));
                OutputStream to = keep ? out : OutputStream.nullOutputStream();
                to.write(block);
                to.write(label);
                to.write(first.length);
                to.write(first);
                if (first.length > 0) copySubBlocks(r, to);
            } else {
                throw new Corrupt("an unknown GIF block");
            }
        }
    }

    private static byte[] subBlock(Reader r) throws IOException {
        return r.bytes(r.u8());
    }

    private static void copySubBlocks(Reader r, OutputStream out) throws IOException {
        while (true) {
            int size = r.u8();
            out.write(size);
            if (size == 0) return;
            r.copy(size, out, null);
        }
    }

    // WebP: "RIFF", size, "WEBP", then chunks (FourCC, size, payload padded to even).

    private record Chunk(String fourCc, long offset, long size) {
        long padded() {
            return 8 + size + (size & 1);
        }
    }

    private static void stripWebp(Path in, Path out) throws IOException, Corrupt {
        try (FileChannel src = FileChannel.open(in, StandardOpenOption.READ);
             FileChannel dst = FileChannel.open(out, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer head = read(src, 0, 12);
            long riffEnd = 8 + Integer.toUnsignedLong(head.getInt(4));
            if (riffEnd > src.size() || riffEnd < 12) throw new Corrupt("a WebP file shorter than it says");
            List<Chunk> kept = new ArrayList<>();
            long at = 12;
            while (at < riffEnd) {
                ByteBuffer h = read(src, at, 8);
                String fourCc = new String(new byte[]{h.get(0), h.get(1), h.get(2), h.get(3)}, StandardCharsets.ISO_8859_1);
                Chunk chunk = new Chunk(fourCc, at, Integer.toUnsignedLong(h.getInt(4)));
                if (at + chunk.padded() > riffEnd + (chunk.size & 1)) throw new Corrupt("a WebP chunk past the end of the file");
                if (!fourCc.equals("EXIF") && !fourCc.equals("XMP ")) kept.add(chunk);
                at += chunk.padded();
            }
            if (kept.isEmpty()) throw new Corrupt("a WebP file without an image");
            long body = 4;
            for (Chunk c : kept) body += c.padded();
            ByteBuffer riff = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
            riff.put("RIFF".getBytes(StandardCharsets.ISO_8859_1)).putInt((int) body).put("WEBP".getBytes(StandardCharsets.ISO_8859_1)).flip();
            dst.write(riff);
            for (Chunk c : kept) {
                if (c.fourCc().equals("VP8X")) {
                    ByteBuffer vp8x = read(src, c.offset(), (int) Math.min(c.padded(), 64));
                    // The flags say which chunks follow; those removed must not be announced.
                    vp8x.put(8, (byte) (vp8x.get(8) & ~0x0C));
                    vp8x.position(0);
                    dst.write(vp8x);
                    if (c.padded() > 64) transfer(src, c.offset() + 64, c.padded() - 64, dst);
                } else {
                    transfer(src, c.offset(), Math.min(c.padded(), src.size() - c.offset()), dst);
                    if (c.offset() + c.padded() > src.size()) dst.write(ByteBuffer.allocate(1));
                }
            }
        }
    }

    private static ByteBuffer read(FileChannel channel, long position, int n) throws IOException, Corrupt {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (channel.read(b, position + b.position()) < 0) throw new Corrupt("the file ends before the image does");
        }
        return b.flip();
    }

    private static void transfer(FileChannel src, long position, long count, FileChannel dst) throws IOException {
        long done = 0;
        while (done < count) done += src.transferTo(position + done, count - done, dst);
    }

    private static boolean startsWith(byte[] bytes, String prefix) {
        if (bytes.length < prefix.length()) return false;
        for (int i = 0; i < prefix.length(); i++) {
            if (bytes[i] != (byte) prefix.charAt(i)) return false;
        }
        return true;
    }
}
