package latchkey.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaultsMatchTheContract() {
        Config c = Config.load(dir.resolve("absent.properties"), Map.of());
        assertEquals(8080, c.serverPort());
        assertEquals("jdbc:sqlite:db/latchkey.db", c.dbUrl());
        assertTrue(c.jwtSecret().isEmpty());
        assertEquals(Duration.ofMinutes(15), c.accessTtl());
        assertEquals(Duration.ofDays(30), c.refreshTtl());
        assertEquals(Duration.ofSeconds(10), c.refreshReuseGrace());
        assertEquals(12, c.bcryptCost());
        assertEquals(4, c.corsOrigins().size());
        assertTrue(c.source().isEmpty());
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "server.port=9000\njwt.access-ttl=PT5M\n");
        Config c = Config.load(file, Map.of("SERVER_PORT", "9100", "JWT_REFRESH_REUSE_GRACE", "PT3S"));
        assertEquals(9100, c.serverPort());
        assertEquals(Duration.ofMinutes(5), c.accessTtl());
        assertEquals(Duration.ofSeconds(3), c.refreshReuseGrace());
        assertTrue(c.source().isPresent());
    }

    @Test
    void badValuesNameTheKey() {
        assertProblem("jwt.secret", Map.of("JWT_SECRET", "too-short"));
        assertProblem("server.port", Map.of("SERVER_PORT", "eighty"));
        assertProblem("server.port", Map.of("SERVER_PORT", "70000"));
        assertProblem("jwt.access-ttl", Map.of("JWT_ACCESS_TTL", "15m"));
        assertProblem("bcrypt.cost", Map.of("BCRYPT_COST", "3"));
        assertProblem("ratelimit.enabled", Map.of("RATELIMIT_ENABLED", "yes"));
        assertProblem("db.url", Map.of("DB_URL", "jdbc:mysql://x/chat"));
        assertProblem("app.public-url", Map.of("APP_PUBLIC_URL", "chat.example.com"));
        assertProblem("app.public-url", Map.of("APP_PUBLIC_URL", "https://chat.example.com/?x=1"));
        assertProblem("mail.reset-url", Map.of("MAIL_RESET_URL", "{public-url}/reset"));
        assertProblem("mail.verify-url", Map.of("MAIL_VERIFY_URL", "/verify?token={token}"));
        assertProblem("mail.smtp.tls", Map.of("MAIL_SMTP_TLS", "ssl"));
        assertProblem("mail.smtp.port", Map.of("MAIL_SMTP_PORT", "0"));
        assertProblem("mail.from", Map.of("MAIL_FROM", "two@example.com, addresses@example.com"));
        assertProblem("mail.from", Map.of("MAIL_FROM", "Chat <no-reply>"));
        assertProblem("mail.smtp.ca-file", Map.of("MAIL_SMTP_CA_FILE", dir.resolve("absent.pem").toString()));
        assertProblem("recovery.token-ttl", Map.of("RECOVERY_TOKEN_TTL", "PT0S"));
    }

    @Test
    void linkTemplatesStartAtThePublicUrl() {
        Config c = Config.load(dir.resolve("absent"), Map.of("APP_PUBLIC_URL", "https://chat.example.com/",
                "MAIL_RESET_URL", "capacitor://localhost/reset?token={token}"));
        assertEquals("https://chat.example.com", c.publicUrl());
        assertEquals("capacitor://localhost/reset?token={token}", c.resetUrl());
        assertEquals("https://chat.example.com/verify-email?token={token}", c.verifyUrl());
        assertEquals("https://chat.example.com/verify-email?token={token}&kind=email-change", c.emailChangeUrl());
        assertEquals(Duration.ofMinutes(30), c.resetTokenTtl());
        assertEquals(Path.of("db/outbox"), c.mailOutboxDir());
        assertEquals(Config.SmtpTls.STARTTLS, c.smtpTls());
    }

    @Test
    void anUnknownKeyInTheFileIsAMistake() throws Exception {
        Path file = dir.resolve("app.properties");
        Files.writeString(file, "server.prot=9000\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Config.load(file, Map.of()));
        assertTrue(e.getMessage().startsWith("server.prot:"), e.getMessage());
    }

    @Test
    void aSecretCountsUtf8Bytes() {
        Config c = Config.load(dir.resolve("absent"), Map.of("JWT_SECRET", "\u00e9".repeat(16)));
        assertEquals(32, c.jwtSecret().orElseThrow().getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }

    private void assertProblem(String key, Map<String, String> env) {
        ConfigException e = assertThrows(ConfigException.class, () -> Config.load(dir.resolve("absent"), env));
        assertTrue(e.getMessage().startsWith(key + ":"), e.getMessage());
    }
}
