package latchkey.uploads;

import io.javalin.http.Context;
import latchkey.http.ApiException;
import org.eclipse.jetty.http.MultiPart;
import org.eclipse.jetty.io.Content;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Map;

/**
 * The part {@code file} of a multipart/form-data body, received straight into a temporary file of
 * the store: the body is parsed as it arrives (Jetty's streaming multipart parser), so memory
 * holds one 64 KiB buffer whatever the size. Reading stops at the limit, with or without a
 * Content-Length (a chunked body is counted as it comes), and the answer is 413.
 */
record MultipartFile(Path file, long size, String name) {
    /** Room for the multipart framing and small fields around the file. */
    static final int OVERHEAD = 64 * 1024;
    private static final int BUFFER = 64 * 1024;

    /** Receives the part; the caller owns the temporary file and deletes it. */
    static MultipartFile receive(Context ctx, FileStore store, long maxBytes) {
        String boundary = boundary(ctx.contentType());
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes + OVERHEAD) throw ApiException.payloadTooLarge(maxBytes);
        Path temporary;
        try {
            temporary = store.temporary();
        } catch (IOException e) {
            throw new IllegalStateException("can not create a temporary upload file: " + e.getMessage(), e);
        }
        try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
            Listener listener = new Listener(out, maxBytes);
            MultiPart.Parser parser = new MultiPart.Parser(boundary, listener);
            parser.setMaxParts(16);
            byte[] buffer = new byte[BUFFER];
            long total = 0;
            try (InputStream in = ctx.req().getInputStream()) {
                int n;
                while (!listener.done() && (n = in.read(buffer)) >= 0) {
                    total += n;
                    if (total > maxBytes + OVERHEAD) throw ApiException.payloadTooLarge(maxBytes);
                    parser.parse(Content.Chunk.from(ByteBuffer.wrap(buffer, 0, n), false));
                    listener.check();
                }
                if (!listener.done()) parser.parse(Content.Chunk.EOF);
                listener.check();
            } catch (IOException e) {
                throw ApiException.badRequest("The upload could not be read to its end.");
            }
            if (!listener.complete) throw ApiException.badRequest("The multipart body ends before its closing boundary.");
            if (!listener.found) throw ApiException.validation(Map.of("file", "is required: send the file as the multipart part named file"));
            if (listener.size == 0) throw ApiException.validation(Map.of("file", "is empty"));
            return new MultipartFile(temporary, listener.size, listener.fileName);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temporary);
            if (e instanceof RuntimeException runtime) throw runtime;
            throw new IllegalStateException("can not write a temporary upload file: " + e.getMessage(), e);
        }
    }

    static void deleteQuietly(Path file) {
        try {
            if (file != null) Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // housekeeping removes what is left in the incoming folder
        }
    }

    private static String boundary(String contentType) {
        if (contentType == null || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
            throw ApiException.unsupportedMediaType("Send the file as Content-Type: multipart/form-data, in a part named file.");
        }
        String boundary = MultiPart.extractBoundary(contentType);
        if (boundary == null || boundary.isEmpty()) throw ApiException.badRequest("The multipart Content-Type has no boundary.");
        return boundary;
    }

    /** Writes the first part named {@code file} to the channel; other parts are read and dropped. */
    private static final class Listener implements MultiPart.Parser.Listener {
        private final FileChannel out;
        private final long maxBytes;
        private String disposition;
        private boolean writing;
        private boolean found;
        private boolean complete;
        private long size;
        private String fileName;
        private RuntimeException failure;
        private IOException writeFailure;

        Listener(FileChannel out, long maxBytes) {
            this.out = out;
            this.maxBytes = maxBytes;
        }

        boolean done() {
            return complete || failure != null || writeFailure != null;
        }

        void check() throws IOException {
            if (writeFailure != null) throw new IllegalStateException("can not write a temporary upload file: " + writeFailure.getMessage(), writeFailure);
            if (failure != null) throw failure;
        }

        @Override
        public void onPartBegin() {
            disposition = null;
        }

        @Override
        public void onPartHeader(String name, String value) {
            if ("content-disposition".equalsIgnoreCase(name)) disposition = value;
        }

        @Override
        public void onPartHeaders() {
            ContentDisposition cd = ContentDisposition.parse(disposition);
            writing = !found && "file".equals(cd.name());
            if (writing) {
                found = true;
                fileName = cd.fileName();
            }
        }

        /** The chunks are the parser's slices of our own buffer (or its own constants): not ours to release. */
        @Override
        public void onPartContent(Content.Chunk chunk) {
            try {
                if (!writing || failure != null) return;
                ByteBuffer bytes = chunk.getByteBuffer();
                size += bytes.remaining();
                if (size > maxBytes) {
                    failure = ApiException.payloadTooLarge(maxBytes);
                    return;
                }
                while (bytes.hasRemaining()) out.write(bytes);
            } catch (IOException e) {
                writeFailure = e;
            }
        }

        @Override
        public void onPartEnd() {
            writing = false;
        }

        @Override
        public void onComplete() {
            complete = true;
        }

        @Override
        public void onFailure(Throwable cause) {
            if (failure == null) failure = ApiException.badRequest("The multipart body is malformed.");
        }
    }

    /** The name and file name of a part's Content-Disposition (RFC 7578; {@code filename*} of RFC 5987 preferred). */
    record ContentDisposition(String name, String fileName) {
        static ContentDisposition parse(String header) {
            if (header == null) return new ContentDisposition(null, null);
            String name = null;
            String fileName = null;
            String extended = null;
            for (String param : split(header)) {
                int eq = param.indexOf('=');
                if (eq < 0) continue;
                String key = param.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                String value = unquote(param.substring(eq + 1).trim());
                switch (key) {
                    case "name" -> name = value;
                    case "filename" -> fileName = value;
                    case "filename*" -> extended = decodeExtended(value);
                    default -> { }
                }
            }
            return new ContentDisposition(name, extended != null ? extended : fileName);
        }

        /** Splits at semicolons outside quotes. */
        private static java.util.List<String> split(String header) {
            java.util.List<String> parts = new java.util.ArrayList<>();
            StringBuilder current = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < header.length(); i++) {
                char c = header.charAt(i);
                if (c == '"' && (i == 0 || header.charAt(i - 1) != '\\')) quoted = !quoted;
                if (c == ';' && !quoted) {
                    parts.add(current.toString());
                    current.setLength(0);
                } else {
                    current.append(c);
                }
            }
            parts.add(current.toString());
            return parts;
        }

        private static String unquote(String value) {
            if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
                return value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            return value;
        }

        /** {@code UTF-8''caf%C3%A9.png}; null when it is not UTF-8 or not valid percent-encoding. */
        private static String decodeExtended(String value) {
            int quote = value.indexOf("''");
            if (quote < 0 || !value.substring(0, quote).equalsIgnoreCase("utf-8")) return null;
            try {
                return java.net.URLDecoder.decode(value.substring(quote + 2).replace("+", "%2B"), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
    }
}
