package latchkey.support;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The timing tests compare medians: one slow sample (a collection, a busy neighbour) does not move them. */
public final class Medians {
    private Medians() {
    }

    public static double of(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2.0;
    }
}
