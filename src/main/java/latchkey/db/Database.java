package latchkey.db;

import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.argument.ArgumentFactory;
import org.jdbi.v3.core.argument.Argument;
import org.jdbi.v3.core.config.ConfigRegistry;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementExceptions;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.sqlite.SQLiteConfig;

import java.io.IOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Function;

/**
 * The database (SQLite by default, or PostgreSQL: {@link Vendor}): migrated at open, then one
 * writer connection and a few reader connections.
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
    private final Vendor vendor;
    /** How to open one more connection to this database (PostgreSQL's notification connections). */
    private final ConnectionPool.Opener opener;
    private final Jdbi readerJdbi;
    private final List<Reader> allReaders;
    /** Fair: under load, threads get a reader in the order they asked, none waits behind late-comers. */
    private final BlockingQueue<Reader> idleReaders;
    private final ConnectionPool writerPool;
    private final CachedStatements writerStatements = new CachedStatements(true);
    private final Jdbi writer;
    /** What runs beside the connections (SQLite's WAL checkpoints), closed with them. */
    private final AutoCloseable companion;
    private final GroupCommit groupCommit;
    private volatile boolean closed;

    private Database(String url, Vendor vendor, ConnectionPool.Opener opener, Jdbi readerJdbi, List<Reader> readers,
                     ConnectionPool writerPool, Runnable afterEachCommit, AutoCloseable companion) {
        this.url = url;
        this.vendor = vendor;
        this.opener = opener;
        this.readerJdbi = readerJdbi;
        this.allReaders = new ArrayList<>(readers);
        this.idleReaders = new ArrayBlockingQueue<>(readers.size(), true, readers);
        this.writerPool = writerPool;
        this.writer = configure(Jdbi.create(writerPool), vendor);
        // The pool has one connection, so one cache serves every handle opened on it.
        writer.setStatementBuilderFactory(connection -> writerStatements);
        this.companion = companion;
        this.groupCommit = new GroupCommit(writer, afterEachCommit);
    }

    /**
     * A failed statement's message names its SQL but never the values bound to it: by default Jdbi
     * puts the arguments (password hashes, emails, token hashes) into the exception, and so the log.
     */
    private static Jdbi configure(Jdbi jdbi, Vendor vendor) {
        jdbi.installPlugin(new SqlObjectPlugin());
        vendor.fragments().forEach(jdbi::define);
        // Flags are INTEGER 0/1 columns in both databases; PostgreSQL will not store a boolean in one.
        jdbi.registerArgument(new ArgumentFactory.Preparable() {
            @Override
            public Optional<Function<Object, Argument>> prepare(Type type, ConfigRegistry config) {
                if (type != boolean.class && type != Boolean.class) return Optional.empty();
                return Optional.of(value -> (position, statement, ctx) -> {
                    if (value == null) statement.setNull(position, Types.INTEGER);
                    else statement.setInt(position, (Boolean) value ? 1 : 0);
                });
            }
        });
        jdbi.getConfig(StatementExceptions.class).setMessageRendering(e -> {
            StatementContext ctx = e.getStatementContext();
            return ctx == null || ctx.getRawSql() == null ? "" : "statement: " + ctx.getRawSql();
        });
        return jdbi;
    }

    /** Opens a SQLite database (no user name or password). */
    public static Database open(String url) {
        return open(url, "", "");
    }

    /**
     * Applies pending migrations and opens the connections; for SQLite, creates the database
     * file's folder first if needed.
     */
    public static Database open(String url, String username, String password) {
        Vendor vendor = Vendor.of(url);
        if (vendor == Vendor.SQLITE) createFolder(url);
        migrate(url, username, password);
        try {
            return vendor == Vendor.SQLITE ? openSqlite(url) : openPostgresql(url, vendor.connectionProperties(username, password));
        } catch (SQLException | RuntimeException e) {
            throw new IllegalStateException("can not open the database " + Vendor.withoutQuery(url) + ": " + e.getMessage(), e);
        }
    }

    private static void createFolder(String url) {
        file(url).map(Path::getParent).ifPresent(dir -> {
            try {
                Files.createDirectories(dir);
            } catch (IOException e) {
                throw new IllegalStateException("can not create the database folder " + dir + ": " + e.getMessage(), e);
            }
        });
    }

    private static Database openSqlite(String url) throws SQLException {
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
        }), Vendor.SQLITE);
        Checkpoints checkpoints = new Checkpoints(connectionConfig().createConnection(url));
        return new Database(url, Vendor.SQLITE, () -> connectionConfig().createConnection(url), readerJdbi, readers(readerJdbi), writers, checkpoints::written, checkpoints);
    }

    /**
     * PostgreSQL gets the same shape: one writer connection, whose commit thread batches the
     * writes of this node, and a few read-only reader connections.
     */
    private static Database openPostgresql(String url, Properties properties) throws SQLException {
        ConnectionPool.Opener opener = () -> DriverManager.getConnection(url, properties);
        ConnectionPool writers = new ConnectionPool(1, opener);
        Properties readOnly = new Properties();
        readOnly.putAll(properties);
        // "always": read-only also outside transactions (the driver's default leaves autocommit reads writable).
        readOnly.setProperty("readOnlyMode", "always");
        Jdbi readerJdbi = configure(Jdbi.create(() -> {
            Connection c = DriverManager.getConnection(url, readOnly);
            c.setReadOnly(true);
            return c;
        }), Vendor.POSTGRESQL);
        return new Database(url, Vendor.POSTGRESQL, opener, readerJdbi, readers(readerJdbi), writers, () -> { }, () -> { });
    }

    private static List<Reader> readers(Jdbi readerJdbi) {
        readerJdbi.setStatementBuilderFactory(connection -> new CachedStatements(false));
        List<Reader> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) readers.add(new Reader(readerJdbi.open()));
        return readers;
    }

    /** Applies pending migrations to a SQLite database and returns how many ran. */
    public static int migrate(String url) {
        return migrate(url, "", "");
    }

    /**
     * Applies pending migrations from {@code db/migration} (packaged in the jar): the shared ones
     * and the vendor's own, one history. Returns how many ran.
     */
    public static int migrate(String url, String username, String password) {
        Vendor vendor = Vendor.of(url);
        return Flyway.configure()
                .dataSource(url, username.isEmpty() ? null : username, password.isEmpty() ? null : password)
                .locations(vendor.migrationLocations())
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
        if (Vendor.of(url) != Vendor.SQLITE) return Optional.empty();
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

    public Vendor vendor() {
        return vendor;
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
            idleReaders.add(usable(reader));
        }
    }

    /** The reader, or a new one in its place when its connection was lost (the next try opens it if this one can not). */
    private Reader usable(Reader reader) {
        try {
            if (closed || !reader.handle.getConnection().isClosed()) return reader;
            Reader fresh = new Reader(readerJdbi.open());
            synchronized (allReaders) {
                allReaders.remove(reader);
                allReaders.add(fresh);
            }
            reader.handle.close();
            return fresh;
        } catch (SQLException | RuntimeException e) {
            return reader;
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

    /**
     * True where other Latchkey processes may use this database too (PostgreSQL): what must hold
     * across them (abuse limits) is kept in the database rather than in memory.
     */
    public boolean sharedByNodes() {
        return vendor == Vendor.POSTGRESQL;
    }

    /**
     * Runs {@code work} unless another node runs work of the same name at this moment, and says
     * whether it ran. On PostgreSQL a session advisory lock, on a connection of its own that closes
     * with the work, decides; SQLite has one process, which always runs it.
     */
    public boolean onOneNodeAtATime(String name, Runnable work) {
        if (!sharedByNodes()) {
            work.run();
            return true;
        }
        try (Connection c = opener.open(); PreparedStatement lock = c.prepareStatement("SELECT pg_try_advisory_lock(hashtext(?))")) {
            lock.setString(1, "latchkey:" + name);
            try (ResultSet held = lock.executeQuery()) {
                if (!held.next() || !held.getBoolean(1)) return false;
            }
            work.run();
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException("can not take the lock of " + name + ": " + e.getMessage(), e);
        }
    }

    /**
     * PostgreSQL's LISTEN/NOTIFY on {@code channel}, started: how the nodes sharing this database
     * tell each other what changed. Empty on SQLite, which one process has to itself.
     */
    public Optional<Notifications> notifications(String channel, Notifications.Listener listener) {
        if (vendor != Vendor.POSTGRESQL) return Optional.empty();
        Notifications notifications = new Notifications(opener, channel, listener);
        notifications.start();
        return Optional.of(notifications);
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
        closed = true;
        groupCommit.close();
        RuntimeException failure = null;
        for (Reader reader : List.copyOf(allReaders)) {
            try {
                reader.handle.close();
            } catch (RuntimeException e) {
                if (failure == null) failure = e;
            }
        }
        writerStatements.closeAll();
        try {
            companion.close();
            writerPool.close();
        } catch (Exception e) {
            throw new IllegalStateException("closing the database failed: " + e.getMessage(), e);
        }
        if (failure != null) throw new IllegalStateException("closing the database failed: " + failure.getMessage(), failure);
    }
}
