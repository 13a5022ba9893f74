package latchkey.db;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * The SQLite database: migrated at open, then one writer connection and a few reader connections.
 * WAL lets readers run while the writer writes; the single writer serialises writes in the
 * application instead of leaving them to SQLite's busy-retry loop, which sleeps.
 *
 * <p>Each reader connection has one Jdbi handle for the life of the process, with the DAOs
 * attached to it once and its prepared statements kept ({@link CachedStatements}): attaching a
 * SqlObject DAO costs about 14 µs and preparing a statement about 12 µs, each as much as a
 * lookup by key takes to run.
 */
public final class Database implements AutoCloseable {
    private static final int READERS = 4;
    private static final int BUSY_TIMEOUT_MS = 5_000;
    /**
     * The writer's page cache, in KiB (SQLite's default is 2 MiB): a big room's indexes are written
     * at many places (a client_id lands among its sender's others), and a page missing from the
     * cache is read back from the file inside the commit.
     */
    private static final int WRITER_CACHE_KIB = 64 * 1024;
    /** Pages; {@link Checkpoints} copies the WAL long before, this is the writer's backstop. */
    private static final int WRITER_AUTOCHECKPOINT_PAGES = 20_000;

    /** A reader connection's handle and the DAOs attached to it so far. Used by one thread at a time. */
    private static final class Reader implements Daos {
        private final Handle handle;
        private final Map<Class<?>, Object> daos = new HashMap<>();

        Reader(Handle handle) {
            this.handle = handle;
        }

        @Override
        public <D> D dao(Class<D> type) {
            return type.cast(daos.computeIfAbsent(type, handle::attach));
        }
    }

    private final String url;
    private final List<Reader> allReaders;
    /** Fair: under load, threads get a reader in the order they asked, none waits behind late-comers. */
    private final BlockingQueue<Reader> idleReaders;
    private final ConnectionPool writerPool;
    private final CachedStatements writerStatements = new CachedStatements(true);
    private final Jdbi writer;
    private final Checkpoints checkpoints;
    private final GroupCommit groupCommit;

    private Database(String url, List<Reader> readers, ConnectionPool writerPool, Checkpoints checkpoints) {
        this.url = url;
        this.allReaders = List.copyOf(readers);
        this.idleReaders = new ArrayBlockingQueue<>(readers.size(), true, readers);
        this.writerPool = writerPool;
        this.writer = configure(Jdbi.create(writerPool));
        // The pool has one connection, so one cache serves every handle opened on it.
        writer.setStatementBuilderFactory(connection -> writerStatements);
        this.checkpoints = checkpoints;
        this.groupCommit = new GroupCommit(writer, checkpoints::written);
    }

    /**
     * A failed statement's message names its SQL but never the values bound to it: by default Jdbi
     * puts the arguments (password hashes, emails, token hashes) into the exception, and so the log.
     */
    private static Jdbi configure(Jdbi jdbi) {
        jdbi.installPlugin(new SqlObjectPlugin());
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(e -> {
            StatementContext ctx = e.getStatementContext();
            return ctx == null || ctx.getRawSql() == null ? "" : "statement: " + ctx.getRawSql();
        });
        return jdbi;
    }

    /** Creates the database file's folder if needed, applies pending migrations and opens the connections. */
    public static Database open(String url) {
        file(url).map(Path::getParent).ifPresent(dir -> {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IllegalStateException("can not create the database folder " + dir + ": " + e.getMessage(), e);
            }
        });
        migrate(url);
        try {
            SQLiteConfig writerConfig = connectionConfig();
            writerConfig.setCacheSize(-WRITER_CACHE_KIB);
            writerConfig.setWalAutocheckpoint(WRITER_AUTOCHECKPOINT_PAGES);
            ConnectionPool writers = new ConnectionPool(1, () -> writerConfig.createConnection(url));
            Jdbi readerJdbi = configure(Jdbi.create(() -> {
                Connection c = connectionConfig().createConnection(url);
                // A reader that tried to write would bypass the one-writer rule; SQLite refuses it instead.
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA query_only = 1");
                }
                return c;
            }));
            readerJdbi.setStatementBuilderFactory(connection -> new CachedStatements(false));
            List<Reader> readers = new ArrayList<>();
            for (int i = 0; i < READERS; i++) readers.add(new Reader(readerJdbi.open()));
            return new Database(url, readers, writers, new Checkpoints(connectionConfig().createConnection(url)));
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("can not open the database " + url + ": " + e.getMessage(), e);
        }
    }

    /** Applies pending migrations from {@code db/migration} (packaged in the jar) and returns how many ran. */
    public static int migrate(String url) {
        return Flyway.configure()
                .dataSource(url, null, null)
                .locations("classpath:db/migration")
                .load()
                .migrate()
                .migrationsExecuted;
    }

    private static SQLiteConfig connectionConfig() {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        // FULL: a commit is on disk before the client hears about it, even across a power cut.
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        cfg.setBusyTimeout(BUSY_TIMEOUT_MS);
        cfg.enforceForeignKeys(true);
        cfg.setTempStore(SQLiteConfig.TempStore.MEMORY);
        return cfg;
    }

    /** The database file named by a {@code jdbc:sqlite:} URL; empty for in-memory databases. */
    public static Optional<Path> file(String url) {
        String rest = url.substring("jdbc:sqlite:".length());
        int query = rest.indexOf('?');
        if (query >= 0) rest = rest.substring(0, query);
        if (rest.startsWith("file:")) rest = rest.substring("file:".length());
        if (rest.isEmpty() || rest.contains(":memory:") || rest.contains("mode=memory")) return Optional.empty();
        return Optional.of(Path.of(rest).toAbsolutePath().normalize());
    }

    public String url() {
        return url;
    }

    /** Runs a query through a DAO on one of the reader connections (waiting for one to be free). */
    public <D, R> R read(Class<D> dao, Function<? super D, ? extends R> query) {
        return withReader(reader -> query.apply(reader.dao(dao)));
    }

    /** Runs queries through several DAOs on one of the reader connections (waiting for one to be free). */
    public <R> R query(Function<Daos, ? extends R> query) {
        return withReader(query::apply);
    }

    /** Runs queries on one of the reader connections (waiting for one to be free). */
    public <R> R read(Function<Handle, ? extends R> query) {
        return withReader(reader -> query.apply(reader.handle));
    }

    private <R> R withReader(Function<Reader, ? extends R> work) {
        Reader reader;
        try {
            reader = idleReaders.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a database reader", e);
        }
        try {
            return work.apply(reader);
        } finally {
            idleReaders.add(reader);
        }
    }

    /** Jdbi over the one writer connection: every insert, update and delete goes here or through {@link #commit}. */
    public Jdbi writer() {
        return writer;
    }

    /**
     * Runs {@code work} in a transaction shared with other callers' work ({@link GroupCommit}) and
     * returns its result once that transaction is on disk: for writes made by many callers at once.
     */
    public <T> T commit(GroupCommit.Work<T> work) {
        return groupCommit.run(work);
    }

    /** Like {@link #commit(GroupCommit.Work)}, with {@code item} done by {@code bulk} together with the other callers' items of that bulk. */
    public <I, R> R commit(GroupCommit.Bulk<I, R> bulk, I item) {
        return groupCommit.run(bulk, item);
    }

    public boolean isReachable() {
        try {
            return read(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()) == 1;
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public void close() {
        groupCommit.close();
        RuntimeException failure = null;
        for (Reader reader : allReaders) {
            try {
                reader.handle.close();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
            }
        }
        writerStatements.closeAll();
        try {
            checkpoints.close();
            writerPool.close();
        } catch (SQLException e) {
            throw new IllegalStateException("closing the database failed: " + e.getMessage(), e);
        }
        if (failure != null) throw new IllegalStateException("closing the database failed: " + failure.getMessage(), failure);
    }
}
