package latchkey.tokens;

import latchkey.config.Config;
import latchkey.db.Database;
import latchkey.db.Vendor;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;

/**
 * The HMAC secret of access tokens: configured, or generated once and kept beside the SQLite file
 * or, on PostgreSQL, in the database, where every node finds the same one. {@code file} is empty
 * when it is not kept in a file.
 */
public record JwtSecret(byte[] bytes, Source source, Optional<Path> file) {
    public enum Source { CONFIGURED, GENERATED, LOADED, EPHEMERAL }

    private static final String SETTING = "jwt.secret";

    public static JwtSecret resolve(Config config, Database database) {
        if (config.jwtSecret().isPresent()) {
            return new JwtSecret(config.jwtSecret().get().getBytes(StandardCharsets.UTF_8), Source.CONFIGURED, Optional.empty());
        }
        if (database.vendor() == Vendor.POSTGRESQL) return inDatabase(database);
        Optional<Path> db = Database.file(config.dbUrl());
        if (db.isEmpty()) return new JwtSecret(generate().getBytes(StandardCharsets.UTF_8), Source.EPHEMERAL, Optional.empty());
        return inFile(db.get().resolveSibling(db.get().getFileName() + ".secret"));
    }

    private static JwtSecret inDatabase(Database database) {
        String generated = generate();
        String stored = database.writer().withExtension(SettingDao.class, dao -> {
            dao.insertIfAbsent(SETTING, generated);
            return dao.find(SETTING).orElseThrow();
        });
        return new JwtSecret(stored.getBytes(StandardCharsets.UTF_8), stored.equals(generated) ? Source.GENERATED : Source.LOADED, Optional.empty());
    }

    private static JwtSecret inFile(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                String stored = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (stored.getBytes(StandardCharsets.UTF_8).length < 32) {
                    throw new IllegalStateException("the secret file " + file + " holds fewer than 32 bytes; delete it to have a new one generated");
                }
                return new JwtSecret(stored.getBytes(StandardCharsets.UTF_8), Source.LOADED, Optional.of(file));
            }
            String secret = generate();
            Files.createDirectories(file.getParent());
            Path tmp = Files.createTempFile(file.getParent(), ".secret", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
                // A hard link appears whole and fails when the file exists: two processes starting at once agree on one secret.
                Files.createLink(file, tmp);
                return new JwtSecret(secret.getBytes(StandardCharsets.UTF_8), Source.GENERATED, Optional.of(file));
            } catch (FileAlreadyExistsException e) {
                return inFile(file);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new IllegalStateException("can not keep the generated JWT secret at " + file + ": " + e.getMessage(), e);
        }
    }

    /** 256 random bits, base64url: usable as a configured {@code jwt.secret} as it is. */
    private static String generate() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }

    @Override
    public String toString() {
        return "JwtSecret[" + source + "]";
    }
}
