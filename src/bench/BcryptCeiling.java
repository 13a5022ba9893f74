import at.favre.lib.crypto.bcrypt.BCrypt;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The ceiling for login and register on one core: how many bcrypt verifies and hashes one thread
 * does per second at a cost, with the server's library (at.favre bcrypt), measured the way the
 * shared harness measures it (median of passes). src/bench/run.sh runs it on the server's CPU in
 * the same run as the login and register scenarios, so their ratios come from one run.
 *
 * <pre>
 * taskset -c 0 java -cp target/latchkey.jar src/bench/BcryptCeiling.java COST [SECONDS=8] [PASSES=3]
 * </pre>
 * Prints one line per operation: {@code BCRYPT op=verify cost=10 per_s=19.09 passes=19.01,19.09,19.12 cpu=0.99},
 * where cpu is the smallest share of a core the thread got in a pass (below 0.93: disturbed).
 */
public final class BcryptCeiling {
    private static final char[] PASSWORD = "bench-password-1234567890".toCharArray();

    public static void main(String[] args) {
        int cost = Integer.parseInt(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 8;
        int passes = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        for (int i = 0; i < 200; i++) BCrypt.verifyer().verify(PASSWORD, BCrypt.withDefaults().hashToString(6, PASSWORD));
        String stored = BCrypt.withDefaults().hashToString(cost, PASSWORD);
        report("verify", cost, seconds, passes, () -> BCrypt.verifyer().verify(PASSWORD, stored).verified);
        report("hash", cost, seconds, passes, () -> BCrypt.withDefaults().hashToString(cost, PASSWORD) != null);
    }

    private static void report(String op, int cost, double seconds, int passes, BooleanSupplier work) {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        double[] perSecond = new double[passes];
        double minCpu = Double.MAX_VALUE;
        for (int p = 0; p < passes; p++) {
            long cpu0 = mx.getCurrentThreadCpuTime();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            long n = 0;
            while (System.nanoTime() < end) {
                if (!work.getAsBoolean()) throw new IllegalStateException("bcrypt " + op + " failed");
                n++;
            }
            long wall = System.nanoTime() - start;
            perSecond[p] = n / (wall / 1e9);
            minCpu = Math.min(minCpu, (mx.getCurrentThreadCpuTime() - cpu0) / (double) wall);
        }
        StringBuilder all = new StringBuilder();
        for (double v : perSecond) all.append(all.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.2f", v));
        double[] sorted = perSecond.clone();
        Arrays.sort(sorted);
        System.out.printf(Locale.ROOT, "BCRYPT op=%s cost=%d per_s=%.2f passes=%s cpu=%.2f%n", op, cost, sorted[(passes - 1) / 2], all, minCpu);
    }
}
