package latchkey;

import latchkey.support.Api;
import latchkey.support.Harness;
import latchkey.support.JarProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The packaged jar as a user runs it: `java -jar target/latchkey.jar [command]`. */
class PackagedJarIT {
    @TempDir
    Path dir;

    @Test
    void registerLoginAndMeAgainstTheJarAndTokensSurviveARestart() throws Exception {
        Map<String, String> env = JarProcess.env(dir);
        String token;
        try (JarProcess server = JarProcess.start(dir, env)) {
            Api api = server.api;
            assertEquals(201, api.register("ada@example.com", Harness.PASSWORD).status());
            var login = api.login("ada@example.com", Harness.PASSWORD);
            assertEquals(200, login.status());
            token = login.text("access_token");
            var me = api.get("/users/me", token);
            assertEquals(200, me.status());
            assertEquals("ada@example.com", me.text("email"));
            assertTrue(server.output().contains("generated and saved to"), server.output());
            server.stop();
        }
        Path secret = dir.resolve("latchkey.db.secret");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(secret)));
        try (JarProcess again = JarProcess.start(dir, env)) {
            assertEquals(200, again.api.get("/users/me", token).status(), "the generated secret is reused");
            assertTrue(again.output().contains("loaded from"), again.output());
            assertFalse(again.output().contains(Files.readString(secret).trim()), "the secret itself is never logged");
        }
    }

    @Test
    void grantAdminWorksWhileTheServerRuns() throws Exception {
        Map<String, String> env = JarProcess.env(dir);
        try (JarProcess server = JarProcess.start(dir, env)) {
            assertEquals(201, server.api.register("boss@example.com", Harness.PASSWORD).status());
            var run = JarProcess.run(dir, env, "grant-admin", "BOSS@example.com");
            assertEquals(0, run.exitCode(), run.stderr());
            var login = server.api.login("boss@example.com", Harness.PASSWORD);
            assertEquals("admin", login.json().get("user").get("role").asText());
            assertEquals(200, server.api.get("/admin/users", login.text("access_token")).status());

            var unknown = JarProcess.run(dir, env, "grant-admin", "nobody@example.com");
            assertNotEquals(0, unknown.exitCode());
            assertEquals(1, unknown.stderr().strip().lines().count(), unknown.stderr());
            assertTrue(unknown.stderr().contains("nobody@example.com"));
        }
    }

    @Test
    void helpVersionAndConfigurationErrors() throws Exception {
        Map<String, String> env = JarProcess.env(dir);
        var help = JarProcess.run(dir, env, "--help");
        assertEquals(0, help.exitCode());
        for (String expected : new String[]{"serve", "grant-admin EMAIL", "migrate", "--version", "jwt.access-ttl", "JWT_ACCESS_TTL", "PT15M"}) {
            assertTrue(help.stdout().contains(expected), expected + " in\n" + help.stdout());
        }
        var version = JarProcess.run(dir, env, "--version");
        assertEquals(0, version.exitCode());
        assertTrue(version.stdout().startsWith("latchkey "), version.stdout());

        env.put("JWT_SECRET", "short");
        var bad = JarProcess.run(dir, env);
        assertEquals(2, bad.exitCode());
        assertEquals(1, bad.stderr().strip().lines().count(), bad.stderr());
        assertTrue(bad.stderr().contains("jwt.secret"), bad.stderr());

        var migrate = JarProcess.run(dir, JarProcess.env(dir), "migrate");
        assertEquals(0, migrate.exitCode(), migrate.stderr());
        long migrations = 0;
        // SQLite's history: the shared scripts and SQLite's own.
        for (String folder : new String[]{"common", "sqlite"}) {
            try (Stream<Path> files = Files.list(Path.of("db", "migration", folder))) {
                migrations += files.filter(f -> f.getFileName().toString().matches("V\\d+__.*\\.sql")).count();
            }
        }
        assertTrue(migrate.stdout().contains(migrations + " migration(s) applied"), migrations + " files: " + migrate.stdout());
    }
}
