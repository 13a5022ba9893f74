package latchkey.db;

import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One piece of work inside a {@link GroupCommit} transaction: its DAOs, attached once per batch,
 * and the actions to run once the transaction is on disk (publishing events). A piece that fails
 * is rolled back to its savepoint, and its after-commit actions are dropped with it.
 */
public final class Tx implements Daos {
    private final Handle handle;
    private final Map<Class<?>, Object> daos = new HashMap<>();
    private final List<Runnable> afterCommit = new ArrayList<>();

    Tx(Handle handle) {
        this.handle = handle;
    }

    @Override
    public <D> D dao(Class<D> type) {
        return type.cast(daos.computeIfAbsent(type, handle::attach));
    }

    /** Runs {@code action} after the commit, in the order the work of the batch registered them. */
    public void afterCommit(Runnable action) {
        afterCommit.add(action);
    }

    List<Runnable> takeAfterCommit() {
        List<Runnable> taken = List.copyOf(afterCommit);
        afterCommit.clear();
        return taken;
    }

    void dropAfterCommit() {
        afterCommit.clear();
    }
}
