package io.hadb.engine.duckdb;

import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.chain.WriteListener;
import io.hadb.engine.duckdb.internal.Cells;
import io.hadb.engine.duckdb.internal.Conn;
import io.hadb.engine.duckdb.internal.DuckErrors;
import io.hadb.engine.duckdb.internal.Instance;
import io.hadb.engine.duckdb.internal.SqlScan;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * {@link Executor} on DuckDB (DESIGN §3.3, §6.6). Reads run on a pooled connection of the current
 * DuckDB instance, which the engine swaps (a follower's staged copy, a promotion, a demotion)
 * without a reader ever losing its instance mid-query: a reader counts itself on the instance it
 * took, and a swapped-out instance closes after its last reader. Writes run on the leader's one
 * writer connection under the write lock, each call one transaction; the chain's
 * {@link WriteListener} hears of each while the lock is held.
 *
 * <p>Statements that would break that ownership are refused: transaction control (use {@link
 * #executeBatch}), ATTACH, DETACH and USE (writes elsewhere would not be replicated) and
 * CHECKPOINT (the engine checkpoints when it ships). DuckDB has no row ids for inserts:
 * {@link ExecResult#lastInsertId()} is always 0; DDL reports 0 rows.
 */
public final class DuckdbExecutor implements Executor {
  private static final System.Logger LOG = System.getLogger(DuckdbExecutor.class.getName());
  private static final Set<String> TRANSACTION = Set.of("BEGIN", "COMMIT", "ROLLBACK", "START", "END", "ABORT");
  private static final Set<String> OTHER_DATABASE = Set.of("ATTACH", "DETACH", "USE");
  private static final Set<String> OWNED = Set.of("CHECKPOINT", "FORCE");

  private final Path file;
  private final AtomicReference<Instance> current = new AtomicReference<>();
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Condition released = writeLock.newCondition();
  private final AtomicLong commits = new AtomicLong();
  // guarded by writeLock
  private Conn writer;
  private boolean held;
  private volatile WriteListener listener = WriteListener.NONE;
  private volatile HadbException refused;
  private volatile boolean closed;

  DuckdbExecutor(Path file, Instance readers) {
    this.file = file;
    this.current.set(readers);
  }

  /** The database file this executor runs on. */
  public Path file() {
    return file;
  }

  @Override
  public ExecResult execute(String sql, List<SqlValue> params) {
    HadbException.requireArg(params, "params");
    checkWritable(sql);
    return onWriter(c -> run(c, sql, params), sql);
  }

  @Override
  public List<ExecResult> executeBatch(List<SqlStatement> statements) {
    return executeBatchThen(statements, results -> List.of());
  }

  /**
   * Runs {@code statements}, then the statements {@code after} makes of their results, in one
   * transaction: the exactly-once request table records what a request did this way, since
   * DuckDB has no SQL function for the previous statement's row count.
   */
  List<ExecResult> executeBatchThen(List<SqlStatement> statements,
      Function<List<ExecResult>, List<SqlStatement>> after) {
    HadbException.requireArg(statements, "statements");
    for (SqlStatement s : statements) {
      checkWritable(s.sql());
    }
    if (statements.isEmpty()) {
      return List.of();
    }
    String[] failing = {null};
    return onWriter(c -> {
      Connection conn = c.connection();
      conn.setAutoCommit(false);
      try {
        List<ExecResult> results = new ArrayList<>(statements.size());
        for (SqlStatement s : statements) {
          failing[0] = s.sql();
          results.add(run(c, s.sql(), s.params()));
        }
        for (SqlStatement s : after.apply(results)) {
          failing[0] = s.sql();
          run(c, s.sql(), s.params());
        }
        failing[0] = "COMMIT";
        conn.commit();
        return results;
      } catch (SQLException | RuntimeException e) {
        rollback(conn);
        throw e;
      } finally {
        conn.setAutoCommit(true);
      }
    }, failing);
  }

  private static ExecResult run(Conn c, String sql, List<SqlValue> params) throws SQLException {
    PreparedStatement ps;
    try {
      ps = c.prepare(sql);
      Cells.bind(ps, params);
      if (ps.execute()) {
        try (ResultSet rs = ps.getResultSet()) {
          // a statement that returns rows changed none we can count
        }
        return new ExecResult(0, 0);
      }
      return new ExecResult(Math.max(0, ps.getUpdateCount()), 0);
    } catch (SQLException e) {
      c.forget(sql);
      throw e;
    }
  }

  private static void rollback(Connection conn) {
    try {
      conn.rollback();
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.DEBUG, "rollback of a failed batch: " + e.getMessage());
    }
  }

  @Override
  public QueryResult query(String sql, List<SqlValue> params) {
    HadbException.requireArg(sql, "sql");
    HadbException.requireArg(params, "params");
    Instance in = acquire();
    Conn c = in.borrow();
    try {
      PreparedStatement ps = c.prepare(sql);
      Cells.bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> columns = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
          columns.add(md.getColumnName(i));
        }
        List<List<SqlValue>> rows = new ArrayList<>();
        while (rs.next()) {
          SqlValue[] row = new SqlValue[n];
          for (int i = 0; i < n; i++) {
            row[i] = Cells.read(rs, i + 1);
          }
          rows.add(List.of(row));
        }
        return new QueryResult(columns, rows);
      }
    } catch (SQLException e) {
      c.forget(sql);
      throw DuckErrors.of(e, sql);
    } finally {
      in.giveBack(c);
      in.release();
    }
  }

  /** The current instance, counted as in use by the caller until {@link Instance#release}. */
  private Instance acquire() {
    for (;;) {
      checkOpen();
      Instance in = current.get();
      if (in == null) {
        throw HadbException.closed("database " + file);
      }
      if (in.retain()) {
        return in;
      }
      Thread.onSpinWait(); // swapped meanwhile: the next one is already current
    }
  }

  @Override
  public boolean isMutation(String sql) {
    HadbException.requireArg(sql, "sql");
    return SqlScan.isMutation(sql);
  }

  /** Work on the writer connection. */
  private interface WriterWork<T> {
    T run(Conn writer) throws SQLException;
  }

  private <T> T onWriter(WriterWork<T> work, String sql) {
    return onWriter(work, new String[] {sql});
  }

  /**
   * Runs {@code work} on the writer under the write lock; a successful write is counted for the
   * capture, and the listener hears of every call while the lock is held (in SYNC mode it waits
   * for the ship after the lock is released).
   */
  private <T> T onWriter(WriterWork<T> work, String[] sql) {
    WriteListener l;
    long token;
    T r;
    writeLock.lock();
    try {
      while (held) {
        released.awaitUninterruptibly();
      }
      Conn c = requireWriter();
      l = listener;
      try {
        r = work.run(c);
        commits.incrementAndGet();
      } catch (SQLException e) {
        throw DuckErrors.of(e, sql[0]);
      } finally {
        token = l.afterWrite();
      }
    } finally {
      writeLock.unlock();
    }
    l.afterUnlock(token);
    return r;
  }

  private static void checkWritable(String sql) {
    HadbException.requireArg(sql, "sql");
    String kw = SqlScan.keyword(sql);
    if (kw == null) {
      throw HadbException.invalidArgument("sql holds no statement: \"" + SqlScan.abbreviate(sql, 80) + "\"");
    }
    if (TRANSACTION.contains(kw)) {
      throw HadbException.invalidArgument(kw + " is not allowed: the write connection is shared, so use"
          + " executeBatch for an atomic group of statements: " + SqlScan.abbreviate(sql, 200));
    }
    if (OTHER_DATABASE.contains(kw)) {
      throw HadbException.unsupported(kw + " is not supported: writes to another database would not be"
          + " replicated: " + SqlScan.abbreviate(sql, 200));
    }
    if (OWNED.contains(kw)) {
      throw HadbException.unsupported("CHECKPOINT is managed by hadb (the leader checkpoints when it ships): "
          + SqlScan.abbreviate(sql, 200));
    }
  }

  private Conn requireWriter() {
    checkOpen();
    HadbException why = refused;
    if (why != null) {
      throw new HadbException(why.code(), "writes are refused on " + file + ": " + why.getMessage(), why);
    }
    if (writer == null) {
      throw HadbException.notLeader("database " + file + " is not writable on this node", null);
    }
    return writer;
  }

  private void checkOpen() {
    if (closed) {
      throw HadbException.closed("database " + file);
    }
  }

  // ---- what the engine drives ----

  Lock writeLock() {
    return writeLock;
  }

  /** Successful writes since the last call. */
  long takeCommits() {
    return commits.getAndSet(0);
  }

  long commitsNotTaken() {
    return commits.get();
  }

  void listen(WriteListener l) {
    listener = l == null ? WriteListener.NONE : l;
  }

  void refuseWrites(HadbException why) {
    refused = why;
  }

  /**
   * Makes {@code next} the instance readers take; the one it replaces closes after its last
   * reader. Returns the replaced one (to wait for it).
   */
  Instance swapReaders(Instance next) {
    Instance old = current.getAndSet(next);
    if (old != null) {
      old.retire();
    }
    return old;
  }

  Instance readers() {
    return current.get();
  }

  /** The leader's writer on {@code rw}; the caller holds the write lock. */
  void attachWriter(Instance rw) {
    writer = rw.dedicated();
    try (Statement s = writer.connection().createStatement()) {
      // Only the capture checkpoints: an automatic checkpoint would rewrite the headers while
      // the capture reads the file (see DuckdbLeader#read).
      s.execute("SET checkpoint_threshold = '1000TB'");
    } catch (SQLException e) {
      writer.close();
      writer = null;
      throw DuckErrors.of(e, "SET checkpoint_threshold");
    }
    refused = null;
    commits.set(0);
  }

  /** No more writes; the caller holds the write lock. */
  void detachWriter() {
    if (writer != null) {
      writer.close();
      writer = null;
    }
    listener = WriteListener.NONE;
  }

  /** Folds DuckDB's WAL into the file; the caller holds the write lock. */
  void checkpointLocked() {
    Conn c = requireWriterForCheckpoint();
    try (Statement s = c.connection().createStatement()) {
      s.execute("CHECKPOINT");
    } catch (SQLException e) {
      throw DuckErrors.of(e, "CHECKPOINT");
    }
  }

  private Conn requireWriterForCheckpoint() {
    if (writer == null) {
      throw HadbException.notLeader("database " + file + " is not leading", null);
    }
    return writer;
  }

  /** Writers wait until {@link #releaseWrites}; the caller holds the write lock. */
  void holdWrites() {
    held = true;
  }

  void releaseWrites() {
    writeLock.lock();
    try {
      held = false;
      released.signalAll();
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      detachWriter();
    } finally {
      writeLock.unlock();
    }
    Instance last = current.getAndSet(null);
    if (last != null) {
      last.retire();
    }
  }
}
