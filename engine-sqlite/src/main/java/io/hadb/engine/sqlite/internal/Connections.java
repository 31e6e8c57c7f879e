package io.hadb.engine.sqlite.internal;

import io.hadb.api.HadbException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

/**
 * Opens connections with the pragmas of DESIGN §6.5 applied to every one of them.
 *
 * <p>{@code wal_autocheckpoint=0} must hold on <em>every</em> connection the library opens: one
 * connection left at the default would checkpoint frames into the database file before they are
 * shipped, and a WAL restart after that loses them from the chain.
 */
public final class Connections {
  /** Page cache per connection, in KiB (negative {@code cache_size} means KiB). */
  public static final int CACHE_KIB = 64 * 1024;

  private Connections() {}

  /** The library's one write connection, in WAL mode. */
  public static Connection openWalWriter(Path file, int busyTimeoutMs) {
    Connection c = open(file, false, busyTimeoutMs);
    try (Statement s = c.createStatement()) {
      String mode = single(s, "PRAGMA journal_mode=WAL");
      if (!"wal".equals(mode.toLowerCase(Locale.ROOT))) {
        throw new HadbException(io.hadb.api.ErrorCode.UNSUPPORTED,
            "could not switch " + file + " to WAL mode (journal_mode is " + mode + ")");
      }
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw SqlErrors.of(e, "PRAGMA journal_mode=WAL");
    } catch (RuntimeException e) {
      closeQuietly(c);
      throw e;
    }
  }

  /** A plain read-write connection that leaves the journal mode as the file has it. */
  public static Connection openPlain(Path file, int busyTimeoutMs) {
    return open(file, false, busyTimeoutMs);
  }

  /**
   * A connection for the local read pool: opened read-only and with {@code query_only}, so a
   * statement that would write fails instead of changing the file behind the replicator's back.
   */
  public static Connection openReader(Path file, int busyTimeoutMs) {
    Connection c = open(file, true, busyTimeoutMs);
    try (Statement s = c.createStatement()) {
      s.execute("PRAGMA query_only=1");
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw SqlErrors.of(e, "PRAGMA query_only=1");
    }
  }

  /**
   * A connection used only for SQLite's file locks (the follower's page applier), opened without
   * a statement that reads the schema: after a crash mid-apply the schema pages may be half new
   * and half old until the staged batch is applied again, and a pragma such as
   * {@code synchronous} would fail the open with SQLITE_CORRUPT before that repair could run.
   */
  public static Connection openForLocking(Path file, int busyTimeoutMs) {
    Connection c = connect(file, false, busyTimeoutMs);
    try {
      org.sqlite.BusyHandler.setHandler(c, new FineBusyWait(busyTimeoutMs));
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw SqlErrors.of(e, "busy handler");
    }
  }

  private static Connection open(Path file, boolean readOnly, int busyTimeoutMs) {
    Connection c = connect(file, readOnly, busyTimeoutMs);
    try (Statement s = c.createStatement()) {
      org.sqlite.BusyHandler.setHandler(c, new FineBusyWait(busyTimeoutMs)); // replaces busy_timeout
      s.execute("PRAGMA wal_autocheckpoint=0");
      s.execute("PRAGMA synchronous=NORMAL");
      s.execute("PRAGMA cache_size=-" + CACHE_KIB);
      return c;
    } catch (SQLException e) {
      closeQuietly(c);
      throw SqlErrors.of(e, "connection pragmas");
    }
  }

  private static Connection connect(Path file, boolean readOnly, int busyTimeoutMs) {
    SQLiteConfig config = new SQLiteConfig();
    if (readOnly) {
      config.setReadOnly(true);
    } else {
      config.setOpenMode(SQLiteOpenMode.READWRITE);
      config.setOpenMode(SQLiteOpenMode.CREATE);
    }
    // SQLite's "multi-thread" mode: no per-connection mutex around every call into SQLite. The
    // library never lets two threads use one connection at once (the writer is used under the
    // write lock, a pool connection by the one borrower, the applier under the follower's
    // monitor), and sqlite-jdbc serializes each call on a connection as well, so the mutex only
    // cost time: a lock and an unlock on every step, bind and column read (about 15 % of a
    // batch insert's calls into the driver).
    config.setOpenMode(SQLiteOpenMode.NOMUTEX);
    config.setBusyTimeout(busyTimeoutMs);
    // The executor asks for last_insert_rowid itself. sqlite-jdbc's own generated-keys query
    // would stay open on a row after every INSERT, so a cached statement would count as "in
    // progress" (VACUUM refuses) and each insert would pay for a second query.
    config.setGetGeneratedKeys(false);
    try {
      return config.createConnection("jdbc:sqlite:" + file.toAbsolutePath());
    } catch (SQLException e) {
      throw SqlErrors.of(e, null);
    }
  }

  /** The first column of the first row of {@code sql}, as text ("" when there is no row). */
  public static String single(Statement s, String sql) throws SQLException {
    try (ResultSet rs = s.executeQuery(sql)) {
      return rs.next() ? String.valueOf(rs.getString(1)) : "";
    }
  }

  public static void closeQuietly(AutoCloseable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (Exception e) {
      System.getLogger(Connections.class.getName())
          .log(System.Logger.Level.DEBUG, "closing failed: " + e.getMessage());
    }
  }
}
