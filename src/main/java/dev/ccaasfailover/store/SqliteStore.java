package dev.ccaasfailover.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code embedded} store: one SQLite file, {@code <dataDir>/ccaas-failover.db}, shared safely by every
 * instance on the host. WAL lets readers run beside the single writer, synchronous=FULL makes a commit durable
 * before the method returns, and a bounded busy timeout makes another process's write lock a short wait, then a
 * failure (503), never a queue that grows.
 *
 * <p>Each instance holds two connections, each guarded by a lock: the writer (SQLite serialises writers anyway, and
 * one connection keeps the PRAGMAs, which are per connection, in force) and a reader of its own, so reads never
 * wait behind a write stuck on another process's lock. A write waits at most the busy timeout for this instance's
 * writer, then at most as long for the file's lock. Every write is a single autocommit statement, or one
 * transaction ({@link #putGuarded}), so its conditions and its writes happen under the same write lock (no
 * read-then-write window between processes). A forward put keeps its order key in the {@code ord} column (NULL for
 * every other write).
 *
 * <p>Expiry instants are stored as epoch milliseconds; an item is live while {@code expires_at >= now}.
 * <p>Size: the whole Store contract (conditional writes, batched ingest, the reader connection, retention) for one
 * engine; split by concern it would spread one transaction's rules over several files.
 */
public final class SqliteStore implements Store {

    public static final String FILE_NAME = "ccaas-failover.db";
    public static final int DEFAULT_BUSY_TIMEOUT_MS = 2000;
    /** Readiness's probe waits at most this for the writer, then as long again for the file's lock: under a second. */
    private static final int PROBE_WAIT_MS = 400;
    private static final String PROBE = "INSERT INTO items (tbl, pk, sk, version, data, expires_at)"
            + " VALUES ('_readiness', 'probe', 'probe', 1, '{}', NULL)"
            + " ON CONFLICT (tbl, pk, sk) DO UPDATE SET version = items.version + 1";
    private static final Logger LOG = LoggerFactory.getLogger(SqliteStore.class);

    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS items (
              tbl        TEXT    NOT NULL,
              pk         TEXT    NOT NULL,
              sk         TEXT    NOT NULL,
              version    INTEGER NOT NULL,
              data       TEXT    NOT NULL,
              expires_at INTEGER NULL,
              ord        TEXT    NULL,
              PRIMARY KEY (tbl, pk, sk)
            )""";
    /** Files created before forward puts lack the order column; NULL (no order) is what their rows hold. */
    private static final String ADD_ORDER_COLUMN = "ALTER TABLE items ADD COLUMN ord TEXT NULL";
    // Partial index: purge only ever looks at rows that can expire.
    private static final String PURGE_INDEX =
            "CREATE INDEX IF NOT EXISTS items_expires_at ON items (expires_at) WHERE expires_at IS NOT NULL";

    private static final String LIVE = "(expires_at IS NULL OR expires_at >= ?)";
    private static final String SELECT_ONE = "SELECT tbl, pk, sk, version, data, expires_at FROM items"
            + " WHERE tbl = ? AND pk = ? AND sk = ? AND " + LIVE;
    private static final String SELECT_PARTITION = "SELECT tbl, pk, sk, version, data, expires_at FROM items"
            + " WHERE tbl = ? AND pk = ? AND " + LIVE + " ORDER BY sk DESC LIMIT ?";
    // An expired row still occupies the key until purged; the upsert's WHERE lets a new write take it over.
    private static final String INSERT_IF_ABSENT = "INSERT INTO items (tbl, pk, sk, version, data, expires_at)"
            + " VALUES (?, ?, ?, 1, ?, ?)"
            + " ON CONFLICT (tbl, pk, sk) DO UPDATE SET version = 1, data = excluded.data,"
            + " expires_at = excluded.expires_at, ord = NULL"
            + " WHERE items.expires_at IS NOT NULL AND items.expires_at < ?";
    private static final String UPSERT = "INSERT INTO items (tbl, pk, sk, version, data, expires_at)"
            + " VALUES (?, ?, ?, 1, ?, ?)"
            + " ON CONFLICT (tbl, pk, sk) DO UPDATE SET version = 1, data = excluded.data, expires_at = excluded.expires_at,"
            + " ord = NULL";
    // A forward put: takes the key when it is free, expired, held without an order, or held at a smaller order.
    private static final String FORWARD = "INSERT INTO items (tbl, pk, sk, version, data, expires_at, ord)"
            + " VALUES (?, ?, ?, 1, ?, ?, ?)"
            + " ON CONFLICT (tbl, pk, sk) DO UPDATE SET version = 1, data = excluded.data,"
            + " expires_at = excluded.expires_at, ord = excluded.ord"
            + " WHERE items.ord IS NULL OR items.ord < excluded.ord"
            + " OR (items.expires_at IS NOT NULL AND items.expires_at < ?)";
    private static final String UPDATE_IF_VERSION = "UPDATE items SET version = ?, data = ?, expires_at = ?, ord = NULL"
            + " WHERE tbl = ? AND pk = ? AND sk = ? AND version = ? AND " + LIVE;
    private static final String PURGE = "DELETE FROM items WHERE expires_at IS NOT NULL AND expires_at < ?";

    private final Path file;
    private final Clock clock;
    private final int busyTimeoutMs;
    /** Guards the writer connection. */
    private final ReentrantLock lock = new ReentrantLock();
    /** Guards the reader connection. */
    private final ReentrantLock readLock = new ReentrantLock();
    private final WriteHealth health = new WriteHealth();
    /** Lists of {@link #putGuarded} waiting for the next group commit. */
    private final ConcurrentLinkedQueue<PendingWrites> pending = new ConcurrentLinkedQueue<>();
    /** Transactions of {@link #putGuarded} committed so far (under the lock). */
    private long commits;
    private final Connection connection;
    private final Connection reader;

    public SqliteStore(Path dataDir, Clock clock) {
        this(dataDir, clock, DEFAULT_BUSY_TIMEOUT_MS);
    }

    /** @param busyTimeoutMs {@code failover.store.sqlite.busy-timeout-ms}: the longest a write waits for a lock */
    public SqliteStore(Path dataDir, Clock clock, int busyTimeoutMs) {
        this.file = dataDir.resolve(FILE_NAME).toAbsolutePath();
        this.clock = clock;
        this.busyTimeoutMs = busyTimeoutMs;
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new StoreUnavailableException("cannot create the directory of the store file " + file, e);
        }
        this.connection = open();
        this.reader = openReader();
        LOG.info("Store: {}", describe());
    }

    /**
     * sqlite-jdbc copies its native library out of the jar, compares the copy byte by byte and loads it on the first
     * connection: a few hundred milliseconds of a start, done here on a thread of its own while Camel reads its
     * configuration and routes. The first {@link #open()} waits for it (the loader is synchronized); if it fails,
     * that open fails the same way and says why.
     */
    public static void loadNativeLibraryInBackground() {
        Thread t = new Thread(() -> {
            try {
                org.sqlite.SQLiteJDBCLoader.initialize();
            } catch (Exception | LinkageError e) {
                LOG.debug("Store: loading the SQLite library ahead of the first connection failed", e);
            }
        }, "sqlite-library-load");
        t.setDaemon(true);
        t.start();
    }

    private Connection open() {
        Properties props = new Properties();
        // Set by the driver right after open, before any PRAGMA below that needs a lock.
        props.setProperty("busy_timeout", Integer.toString(busyTimeoutMs));
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + file, props);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = FULL");
                s.execute(SCHEMA);
                addOrderColumnIfMissing(c, s);
                s.execute(PURGE_INDEX);
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            throw unavailable("open", e);
        }
    }

    /** A connection that only reads (query_only), beside the writer; WAL lets it read while another commits. */
    private Connection openReader() {
        Properties props = new Properties();
        props.setProperty("busy_timeout", Integer.toString(busyTimeoutMs));
        Connection c = null;
        try {
            c = DriverManager.getConnection("jdbc:sqlite:" + file, props);
            try (Statement s = c.createStatement()) {
                s.execute("PRAGMA query_only = 1");
            }
            return c;
        } catch (SQLException e) {
            closeQuietly(c);
            closeQuietly(connection);
            throw unavailable("open reader", e);
        }
    }

    private static void addOrderColumnIfMissing(Connection c, Statement s) throws SQLException {
        try (ResultSet columns = s.executeQuery("PRAGMA table_info(items)")) {
            while (columns.next()) {
                if ("ord".equals(columns.getString("name"))) {
                    return;
                }
            }
        }
        try {
            s.execute(ADD_ORDER_COLUMN);
        } catch (SQLException e) {
            if (e.getMessage() == null || !e.getMessage().contains("duplicate column")) {
                throw e; // another process adding it at the same time is fine; anything else is not
            }
        }
    }

    @Override
    public Optional<StoreItem> get(String table, String pk, String sk) {
        return withReader("get", c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_ONE)) {
                ps.setString(1, table);
                ps.setString(2, pk);
                ps.setString(3, sk);
                ps.setLong(4, nowMillis());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(toItem(rs)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public boolean putIfAbsent(StoreItem item) {
        return withWriter("putIfAbsent", c -> {
            try (PreparedStatement ps = c.prepareStatement(INSERT_IF_ABSENT)) {
                ps.setString(1, item.table());
                ps.setString(2, item.pk());
                ps.setString(3, item.sk());
                ps.setString(4, item.data());
                setExpiry(ps, 5, item.expiresAt());
                ps.setLong(6, nowMillis());
                return ps.executeUpdate() == 1;
            }
        });
    }

    @Override
    public boolean putIfVersion(StoreItem item, long expectedVersion) {
        if (expectedVersion == 0) {
            return putIfAbsent(item);
        }
        return withWriter("putIfVersion", c -> {
            try (PreparedStatement ps = c.prepareStatement(UPDATE_IF_VERSION)) {
                ps.setLong(1, expectedVersion + 1);
                ps.setString(2, item.data());
                setExpiry(ps, 3, item.expiresAt());
                ps.setString(4, item.table());
                ps.setString(5, item.pk());
                ps.setString(6, item.sk());
                ps.setLong(7, expectedVersion);
                ps.setLong(8, nowMillis());
                return ps.executeUpdate() == 1;
            }
        });
    }

    /**
     * One transaction for the whole list: one fsync however many events an array carries. Group commit: callers
     * that arrive while another caller's transaction runs queue their lists, and the first of them to get the
     * connection writes every queued list, in arrival order, in one transaction (one fsync for all). Each caller
     * gets the results of its own list and returns only once the commit that holds it is durable. A duplicate
     * across two lists of a group is a duplicate as it would be one after the other: the earlier list wins.
     * If the database fails, every caller of the group gets that failure (nothing of the group was written); any
     * other failure of a group's transaction retries each of its lists in a transaction of its own, so one caller's
     * failure is not another's.
     */
    @Override
    public List<Boolean> putGuarded(List<GuardedWrite> writes) {
        if (writes.isEmpty()) {
            return List.of();
        }
        PendingWrites mine = new PendingWrites(writes);
        pending.add(mine);
        try {
            lockWriter("putGuarded");
        } catch (StoreUnavailableException busy) {
            if (pending.remove(mine)) {
                throw busy; // still queued: no leader will write it now
            }
            lock.lock(); // a leader took it and is writing it: its outcome is this caller's
        }
        try {
            // Under the lock a list is either still queued or done: a leader drains and completes under it.
            if (!mine.done) {
                List<PendingWrites> group = new ArrayList<>();
                for (PendingWrites p; (p = pending.poll()) != null; ) {
                    group.add(p);
                }
                writeGroup(group);
            }
        } finally {
            lock.unlock();
        }
        return mine.result();
    }

    /** One caller's list of {@link #putGuarded}, with its outcome once a group holding it was written. */
    private static final class PendingWrites {
        final List<GuardedWrite> writes;
        /** Set under the store lock, read under it. */
        boolean done;
        List<Boolean> written;
        RuntimeException failure;

        PendingWrites(List<GuardedWrite> writes) {
            this.writes = writes;
        }

        List<Boolean> result() {
            if (failure != null) {
                // A fresh exception for this caller's stack, the group's as its cause.
                throw failure instanceof StoreUnavailableException
                        ? new StoreUnavailableException(failure.getMessage(), failure)
                        : failure;
            }
            return written;
        }
    }

    /** Called with the lock held. */
    private void writeGroup(List<PendingWrites> group) {
        try {
            List<List<Boolean>> results = transaction(group);
            health.succeeded();
            for (int i = 0; i < group.size(); i++) {
                group.get(i).written = results.get(i);
            }
        } catch (StoreUnavailableException storeFailure) {
            health.failed(storeFailure.getMessage());
            // The database failed (busy past the timeout, I/O, closed): every list of the group shares that fate,
            // and writing them again one by one would only make each caller wait for the same failure.
            for (PendingWrites p : group) {
                p.failure = storeFailure;
            }
        } catch (RuntimeException groupFailure) {
            if (group.size() == 1) {
                group.get(0).failure = groupFailure;
            } else {
                LOG.warn("Group commit of {} lists failed ({}); writing them one by one", group.size(), groupFailure.getMessage());
                for (PendingWrites p : group) {
                    try {
                        p.written = transaction(List.of(p)).get(0);
                    } catch (RuntimeException e) {
                        p.failure = e;
                    }
                }
            }
        } finally {
            for (PendingWrites p : group) {
                if (p.written == null && p.failure == null) { // the leader is failing with an Error
                    p.failure = new StoreUnavailableException("SQLite store " + file + ": putGuarded did not complete", null);
                }
                p.done = true;
            }
        }
    }

    /** The lists of a group in one transaction; the results list by list. Called with the lock held. */
    private List<List<Boolean>> transaction(List<PendingWrites> group) {
        Connection c = connection;
        try {
            c.setAutoCommit(false);
            try (PreparedStatement guard = c.prepareStatement(INSERT_IF_ABSENT);
                 PreparedStatement upsert = c.prepareStatement(UPSERT);
                 PreparedStatement forward = c.prepareStatement(FORWARD)) {
                List<List<Boolean>> results = new ArrayList<>(group.size());
                long now = nowMillis();
                for (PendingWrites p : group) {
                    List<Boolean> written = new ArrayList<>(p.writes.size());
                    for (GuardedWrite w : p.writes) {
                        written.add(write(guard, upsert, forward, w, now));
                    }
                    results.add(written);
                }
                c.commit();
                commits++;
                return results;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw unavailable("putGuarded", e);
        }
    }

    /**
     * One guarded write inside the open transaction: true if its guard's key was free. Its forward puts follow its
     * items, so a later write of the same list sees what an earlier one moved forward.
     */
    private static boolean write(PreparedStatement guard, PreparedStatement upsert, PreparedStatement forward,
                                 GuardedWrite w, long now)
            throws SQLException {
        StoreItem g = w.guard();
        guard.setString(1, g.table());
        guard.setString(2, g.pk());
        guard.setString(3, g.sk());
        guard.setString(4, g.data());
        setExpiry(guard, 5, g.expiresAt());
        guard.setLong(6, now);
        if (guard.executeUpdate() != 1) {
            if (!w.forward().isEmpty() && sameGuardStored(guard.getConnection(), g, now)) {
                applyForward(forward, w, now); // this write sent again: its forward puts, each still only if newer
            }
            return false;
        }
        for (StoreItem item : w.with()) {
            upsert.setString(1, item.table());
            upsert.setString(2, item.pk());
            upsert.setString(3, item.sk());
            upsert.setString(4, item.data());
            setExpiry(upsert, 5, item.expiresAt());
            upsert.addBatch();
        }
        upsert.executeBatch();
        applyForward(forward, w, now);
        return true;
    }

    /** Whether the live guard holding g's key has g's data. */
    private static boolean sameGuardStored(Connection c, StoreItem g, long now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT_ONE)) {
            ps.setString(1, g.table());
            ps.setString(2, g.pk());
            ps.setString(3, g.sk());
            ps.setLong(4, now);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && g.data().equals(rs.getString("data"));
            }
        }
    }

    private static void applyForward(PreparedStatement forward, GuardedWrite w, long now) throws SQLException {
        for (ForwardPut f : w.forward()) {
            StoreItem item = f.item();
            forward.setString(1, item.table());
            forward.setString(2, item.pk());
            forward.setString(3, item.sk());
            forward.setString(4, item.data());
            setExpiry(forward, 5, item.expiresAt());
            forward.setString(6, f.order());
            forward.setLong(7, now);
            forward.executeUpdate();
        }
    }

    @Override
    public List<StoreItem> query(String table, String pk, int limit) {
        if (limit <= 0) {
            return List.of(); // SQLite reads LIMIT -1 as "no limit"
        }
        return withReader("query", c -> {
            try (PreparedStatement ps = c.prepareStatement(SELECT_PARTITION)) {
                ps.setString(1, table);
                ps.setString(2, pk);
                ps.setLong(3, nowMillis());
                ps.setInt(4, limit);
                List<StoreItem> items = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        items.add(toItem(rs));
                    }
                }
                return items;
            }
        });
    }

    @Override
    public int purgeExpired(Instant now) {
        return withWriter("purgeExpired", c -> {
            try (PreparedStatement ps = c.prepareStatement(PURGE)) {
                ps.setLong(1, now.toEpochMilli());
                return ps.executeUpdate();
            }
        });
    }

    /**
     * Whether writes succeed: the latest write's outcome when it is fresh ({@link WriteHealth#FRESH}), else a probe
     * that rewrites one row and waits for no lock longer than {@link #PROBE_WAIT_MS} (another process holding the
     * file's lock, or a full disk, shows here even when no event arrives).
     */
    @Override
    public boolean isAvailable() {
        Boolean fresh = health.fresh();
        if (fresh != null) {
            return fresh;
        }
        try {
            if (!lock.tryLock(PROBE_WAIT_MS, TimeUnit.MILLISECONDS)) {
                LOG.warn("Store not ready: the writer has been busy for over {} ms", PROBE_WAIT_MS);
                return false; // not an outcome of a write: the write that holds it will record its own
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA busy_timeout = " + PROBE_WAIT_MS);
            try {
                s.executeUpdate(PROBE);
            } finally {
                s.execute("PRAGMA busy_timeout = " + busyTimeoutMs);
            }
            health.succeeded();
            return true;
        } catch (SQLException e) {
            health.failed(e.getMessage());
            LOG.warn("Store not ready: a probe write to {} failed: {}", file, e.getMessage());
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Whether a write holds (or waits past) this instance's writer; for tests that need a write in flight. */
    boolean lockedForTest() {
        return lock.isLocked();
    }

    /**
     * Caps the file at its current size for this instance's writes, as a full disk would: a write that needs a new
     * page fails with SQLITE_FULL. For tests of what a full disk does; nothing else calls it.
     */
    void fillDiskForTest() {
        withWriter("fillDiskForTest", c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("PRAGMA page_count")) {
                rs.next();
                s.execute("PRAGMA max_page_count = " + rs.getLong(1));
                return null;
            }
        });
    }

    @Override
    public String describe() {
        return "embedded SQLite at " + file + " (WAL, synchronous=FULL)";
    }

    /** How many transactions {@link #putGuarded} has committed: fewer than its calls when callers shared them. */
    long commits() {
        lock.lock();
        try {
            return commits;
        } finally {
            lock.unlock();
        }
    }

    /** The database file, absolute. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        lock.lock();
        readLock.lock();
        try {
            reader.close();
            connection.close();
        } catch (SQLException e) {
            throw unavailable("close", e);
        } finally {
            readLock.unlock();
            lock.unlock();
        }
    }

    private interface SqlCall<T> {
        T apply(Connection c) throws SQLException;
    }

    /** A write on the writer: waits at most the busy timeout for it, records the outcome for readiness. */
    private <T> T withWriter(String operation, SqlCall<T> call) {
        lockWriter(operation);
        try {
            T result = call.apply(connection);
            health.succeeded();
            return result;
        } catch (SQLException e) {
            health.failed(e.getMessage());
            throw unavailable(operation, e);
        } finally {
            lock.unlock();
        }
    }

    private void lockWriter(String operation) {
        try {
            if (lock.tryLock(busyTimeoutMs, TimeUnit.MILLISECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String why = "SQLite store " + file + ": " + operation + ": the writer stayed busy for over " + busyTimeoutMs
                + " ms (failover.store.sqlite.busy-timeout-ms)";
        health.failed(why);
        throw new StoreUnavailableException(why, null);
    }

    /** A read on the reader connection: never behind the writer. */
    private <T> T withReader(String operation, SqlCall<T> call) {
        readLock.lock();
        try {
            return call.apply(reader);
        } catch (SQLException e) {
            throw unavailable(operation, e);
        } finally {
            readLock.unlock();
        }
    }

    private StoreUnavailableException unavailable(String operation, SQLException e) {
        return new StoreUnavailableException(
                "SQLite store " + file + ": " + operation + " failed: " + e.getMessage(), e);
    }

    private long nowMillis() {
        return clock.millis();
    }

    private static void setExpiry(PreparedStatement ps, int index, Instant expiresAt) throws SQLException {
        if (expiresAt == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setLong(index, expiresAt.toEpochMilli());
        }
    }

    private static StoreItem toItem(ResultSet rs) throws SQLException {
        long expires = rs.getLong(6);
        Instant expiresAt = rs.wasNull() ? null : Instant.ofEpochMilli(expires);
        return new StoreItem(rs.getString(1), rs.getString(2), rs.getString(3), rs.getLong(4), rs.getString(5),
                expiresAt);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // already failing; the original error is the one worth reporting
        }
    }
}
