import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.Locale;

/**
 * The ceiling for sending chat messages one per transaction: how many one-row durable
 * transactions the disk allows, with the server's SQLite driver (sqlite-jdbc from the jar) and the
 * server's durability settings (journal_mode=WAL, synchronous=FULL): one thread, autocommit, one
 * INSERT per transaction, in a temporary database file in DIR (put it on the disk of the benchmark
 * database). src/bench/chat.sh runs it pinned to the server's CPU, in the same run as the send
 * scenario, so that send ÷ ceiling comes from one run. A server that commits once per message can
 * not pass 1.0x of it; more needs many messages per transaction (group commit).
 *
 * <pre>
 * taskset -c 0 java -cp target/latchkey.jar src/bench/CommitCeiling.java DIR [SECONDS=8] [PASSES=3]
 * </pre>
 * Prints {@code COMMIT rows_per_s=412.5 passes=405.1,412.5,420.9 cpu=0.05 dir=/path} (the median of
 * the passes; cpu is the largest share of a core the thread used in a pass: near 1.0 means the CPU,
 * not the disk, was the limit). The temporary file and its -wal and -shm files are removed.
 */
public final class CommitCeiling {
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: java -cp target/latchkey.jar src/bench/CommitCeiling.java DIR [SECONDS=8] [PASSES=3]");
            System.exit(2);
        }
        Path dir = Path.of(args[0]).toAbsolutePath();
        double seconds = args.length > 1 ? Double.parseDouble(args[1].replaceAll("s$", "")) : 8;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "commit-ceiling-", ".db");
        Files.delete(file);
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
                s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, room_id INTEGER NOT NULL, seq INTEGER NOT NULL, text TEXT, created_at INTEGER NOT NULL)");
            }
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO t (room_id, seq, text, created_at) VALUES (1, ?, ?, ?)")) {
                long[] seq = {0};
                Runnable one = () -> {
                    try {
                        insert.setLong(1, ++seq[0]);
                        insert.setString(2, "a one-row durable transaction, about the size of a chat message");
                        insert.setLong(3, System.currentTimeMillis());
                        insert.executeUpdate();
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                };
                for (int i = 0; i < 50; i++) one.run();
                report(dir, seconds, passes, one);
            }
        } finally {
            for (String suffix : new String[] {"", "-wal", "-shm", "-journal"}) Files.deleteIfExists(Path.of(file + suffix));
        }
    }

    private static void report(Path dir, double seconds, int passes, Runnable one) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] perSecond = new double[passes];
        double maxCpu = 0;
        for (int p = 0; p < passes; p++) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long n = 0;
            while (System.nanoTime() < end) {
                one.run();
                n++;
            }
            long wall = System.nanoTime() - start;
            perSecond[p] = n / (wall / 1e9);
            maxCpu = Math.max(maxCpu, (mx.getCurrentThreadCpuTime() - cpu0) / (double) wall);
        }
        StringBuilder all = new StringBuilder();
        for (double v : perSecond) all.append(all.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.1f", v));
        double[] sorted = perSecond.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "COMMIT rows_per_s=%.1f passes=%s cpu=%.2f dir=%s%n", sorted[(passes - 1) / 2], all, maxCpu, dir);
    }
}
