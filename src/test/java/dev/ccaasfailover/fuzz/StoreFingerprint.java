package dev.ccaasfailover.fuzz;

import dev.ccaasfailover.store.SqliteStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.Properties;

/**
 * The embedded store's whole content as one digest, read on a read-only connection of its own (the service's
 * connection is untouched): equal digests before and after a request mean the request wrote nothing.
 */
final class StoreFingerprint implements AutoCloseable {

    private final Connection connection;

    StoreFingerprint(Path dataDir) throws SQLException {
        Properties props = new Properties();
        props.setProperty("open_mode", "1"); // SQLITE_OPEN_READONLY
        connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve(SqliteStore.FILE_NAME).toAbsolutePath(), props);
    }

    String digest() throws SQLException {
        MessageDigest md = sha256();
        try (Statement s = connection.createStatement();
             // Live rows only: the retention purge deleting an expired row is no request's write. Readiness's write
             // probe (SqliteStore.isAvailable rewrites the one row _readiness/probe/probe) is by design, so not counted.
             ResultSet rs = s.executeQuery("SELECT tbl, pk, sk, version, data, expires_at, ord FROM items"
                     + " WHERE (expires_at IS NULL OR expires_at >= " + (System.currentTimeMillis() + 60_000) + ")"
                     + " AND NOT (tbl = '_readiness' AND pk = 'probe' AND sk = 'probe') ORDER BY tbl, pk, sk")) {
            while (rs.next()) {
                for (int i = 1; i <= 7; i++) {
                    String v = rs.getString(i);
                    md.update((v == null ? "\u0000null" : v).getBytes(StandardCharsets.UTF_8));
                    md.update((byte) 0x1f);
                }
                md.update((byte) 0x1e);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** SQLite's count of commits by other connections: unchanged means nothing was written, without reading a row. */
    long dataVersion() throws SQLException {
        try (Statement s = connection.createStatement(); ResultSet rs = s.executeQuery("PRAGMA data_version")) {
            return rs.next() ? rs.getLong(1) : -1;
        }
    }

    /** Rows of the run journal (runs and their steps): a new row means a run was started. */
    long runRows() throws SQLException {
        try (Statement s = connection.createStatement();
             ResultSet rs = s.executeQuery("SELECT count(*) FROM items WHERE tbl = 'runs'")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
