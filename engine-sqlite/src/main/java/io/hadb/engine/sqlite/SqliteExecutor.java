package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.RowCursor;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.api.engine.Transaction;
import io.hadb.chain.WriteListener;
import io.hadb.engine.sqlite.internal.Connections;
import io.hadb.engine.sqlite.internal.ReadPool;
import io.hadb.engine.sqlite.internal.Rows;
import io.hadb.engine.sqlite.internal.SqlErrors;
import io.hadb.engine.sqlite.internal.SqlText;
import io.hadb.engine.sqlite.internal.StatementCache;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteConnection;

/**
 * The SQLite {@link Executor}: one write connection owned by the library, serialized by a lock,
 * and a pool of read-only connections for local reads.
 *
 * <p>Because the library owns the only writer it knows every commit; the replicator hooks in
 * through {@link WriteListener}, which runs while the write lock is held. Statements that would
 * break that ownership are refused: explicit transaction control (use {@link #executeBatch}; a
 * transaction left open on a shared connection would swallow other callers' statements),
 * {@code ATTACH}/{@code DETACH} (writes to another file are not replicated), and the pragmas the
 * replicator depends on ({@code journal_mode}, {@code wal_autocheckpoint}, {@code wal_checkpoint},
 * {@code locking_mode}).
 *
 * <p>Thread-safe.
 */
public final class SqliteExecutor implements Executor {
  private static final System.Logger LOG = System.getLogger(SqliteExecutor.class.getName());
  private static final int PARSED_MAX = 1024;
  /** Statements that leave last_insert_rowid as it was (see {@link #run}). */
  private static final Set<String> NO_INSERT_KEYWORDS = Set.of("UPDATE", "DELETE", "CREATE", "DROP",
      "ALTER", "VACUUM", "ANALYZE", "REINDEX", "PRAGMA", "SELECT");
  /** Statements whose changes() count is theirs: DML, with or without a leading WITH. */
  private static final Set<String> DML_KEYWORDS = Set.of("INSERT", "REPLACE", "UPDATE", "DELETE", "WITH");
  /** Parsing is pure, so results are shared by SQL text across executors. */
  private static final Map<String, Parsed> PARSED = new ConcurrentHashMap<>();

  /**
   * A statement with what the executor asks of it on every call, worked out once per SQL text
   * (a batch of a thousand inserts asked the same set lookups a thousand times).
   */
  private record Parsed(SqlText.Statement st, boolean mutation, boolean allowed, boolean mayInsert, boolean dml) {
    static Parsed of(SqlText.Statement st) {
      boolean allowed = true;
      try {
        checkAllowed(st);
      } catch (HadbException refused) {
        allowed = false;
      }
      String kw = st.keyword();
      return new Parsed(st, st.isMutation(), allowed, !NO_INSERT_KEYWORDS.contains(kw), DML_KEYWORDS.contains(kw));
    }
  }
  private static final QueryResult NO_ROWS = new QueryResult(List.of(), List.of());
  private static final Set<String> OWNED_PRAGMAS =
      Set.of("JOURNAL_MODE", "WAL_AUTOCHECKPOINT", "WAL_CHECKPOINT", "LOCKING_MODE");

  private final Path file;
  private final ReadPool readers;
  private final ReentrantLock writeLock = new ReentrantLock(true);
  private final int busyTimeoutMs;
  private StatementCache writer; // guarded by writeLock; null when this node may not write
  private long lastInsertId; // guarded by writeLock
  private volatile WriteListener listener = WriteListener.NONE;
  private volatile boolean closed;
  private volatile HadbException writesRefused;
  /**
   * Whether queries may stream ({@link #cursor}): only while this node writes. A follower's file
   * is in rollback-journal mode, where a reader's lock would hold the applier of changesets up.
   */
  private volatile boolean streams;

  /** Opens {@code file} (created if absent) in WAL mode with a writer and a read pool. */
  public static SqliteExecutor open(Path file, SqliteOptions options) {
    HadbException.requireArg(file, "file");
    HadbException.requireArg(options, "options");
    SqliteExecutor ex = new SqliteExecutor(file, options);
    ex.attachWriter(Connections.openWalWriter(file, ex.busyTimeoutMs));
    return ex;
  }

  SqliteExecutor(Path file, SqliteOptions options) {
    this.file = file;
    this.busyTimeoutMs = options.busyTimeoutMillis();
    this.readers = new ReadPool(file, options.readConnections(), busyTimeoutMs);
    if (options.readIdleMs() > 0 && options.chain().threads().isPresent()) {
      readers.closeWhenIdle(options.chain().threads().get().timer(), options.readIdleMs() * 1_000_000L);
    }
  }

  @Override
  public ExecResult execute(String sql, List<SqlValue> params) {
    Parsed st = checkWritable(sql);
    HadbException.requireArg(params, "params");
    return onWriter(c -> run(c, st, params), e -> SqlErrors.of(e, sql));
  }

  @Override
  public QueryResult query(String sql, List<SqlValue> params) {
    Parsed parsed = single(sql);
    SqlText.Statement st = parsed.st();
    HadbException.requireArg(params, "params");
    if (parsed.mutation()) {
      // INSERT ... RETURNING, PRAGMA x=y: they write, so they run on the writer.
      requireAllowed(parsed);
      return onWriter(c -> runQuery(c, st.text(), params), e -> SqlErrors.of(e, sql));
    }
    checkOpen();
    StatementCache c = readers.borrow();
    boolean healthy = false;
    try {
      QueryResult r = runQuery(c, st.text(), params);
      healthy = true;
      return r;
    } catch (SQLException e) {
      healthy = true; // an SQL error leaves the connection usable
      throw SqlErrors.of(e, sql);
    } finally {
      readers.giveBack(c, healthy);
    }
  }

  /**
   * Streams the rows from a cached statement on a read connection ({@link SqliteCursor}) while
   * this node writes and the pool can spare a connection (cursors get all but one); reads them
   * whole otherwise, and for statements that write ({@code INSERT ... RETURNING}).
   */
  @Override
  public RowCursor cursor(String sql, List<SqlValue> params) {
    Parsed parsed = single(sql);
    if (parsed.mutation() || !streams) {
      return RowCursor.of(query(sql, params));
    }
    HadbException.requireArg(params, "params");
    checkOpen();
    StatementCache c = readers.borrowForCursor();
    if (c == null) {
      return RowCursor.of(query(sql, params));
    }
    String text = parsed.st().text();
    boolean lent = true; // until the cursor or the pool has the connection
    try {
      StatementCache.Prepared prepared = c.prepare(text);
      PreparedStatement ps = prepared.statement();
      StatementCache.Shape shape = prepared.shape();
      Rows.bind(ps, shape.parameterCount(), params, sql);
      if (!shape.returnsRows()) {
        ps.execute(); // a statement without result columns still runs
        lent = false;
        readers.giveBackFromCursor(c, true);
        return RowCursor.of(NO_ROWS);
      }
      SqliteCursor cursor = new SqliteCursor(readers, c, text, ps, ps.executeQuery());
      lent = false;
      return cursor;
    } catch (SQLException e) {
      c.evict(text);
      lent = false;
      readers.giveBackFromCursor(c, true); // an SQL error leaves the connection usable
      throw SqlErrors.of(e, sql);
    } catch (HadbException e) {
      c.evict(text); // the wrong number of parameters: the connection is fine
      lent = false;
      readers.giveBackFromCursor(c, true);
      throw e;
    } finally {
      if (lent) {
        c.evict(text);
        readers.giveBackFromCursor(c, false);
      }
    }
  }

  @Override
  public List<ExecResult> executeBatch(List<SqlStatement> statements) {
    HadbException.requireArg(statements, "statements");
    List<Parsed> parsed = new ArrayList<>(statements.size());
    for (int i = 0; i < statements.size(); i++) {
      SqlStatement s = HadbException.requireArg(statements.get(i), "statement " + i);
      parsed.add(checkWritable(s.sql()));
    }
    int[] at = {-1}; // the statement running, for the error: -1 BEGIN, size() COMMIT
    return onWriter(c -> {
      List<ExecResult> results = new ArrayList<>(statements.size());
      try {
        // The driver's own transaction (autocommit off), not a BEGIN statement: with autocommit
        // on, sqlite-jdbc follows every statement with a probing "begin;" that fails inside our
        // transaction, three extra calls into SQLite per statement (a third of a batch insert).
        beginImmediate(c.connection());
        for (at[0] = 0; at[0] < parsed.size(); at[0]++) {
          results.add(run(c, parsed.get(at[0]), statements.get(at[0]).params()));
        }
        c.connection().setAutoCommit(true); // commits
        return results;
      } finally {
        endTransaction(c.connection());
      }
    }, e -> SqlErrors.of(e, at[0] < 0 ? "BEGIN IMMEDIATE"
        : at[0] < statements.size() ? statements.get(at[0]).sql() : "COMMIT"));
  }

  /**
   * Takes the write lock and opens {@code BEGIN IMMEDIATE} on the writer; {@link SqliteTransaction}
   * releases both. The lock is released here only if the transaction could not begin.
   */
  @Override
  public Transaction begin() {
    WriteListener l = listener;
    writeLock.lock();
    try {
      StatementCache c = requireWriter();
      try {
        beginImmediate(c.connection());
      } catch (SQLException e) {
        endTransaction(c.connection());
        throw SqlErrors.of(e, "BEGIN IMMEDIATE");
      }
      return new SqliteTransaction(this, c, l);
    } catch (RuntimeException e) {
      writeLock.unlock();
      throw e;
    }
  }

  /** A statement of an open {@link SqliteTransaction}; the caller holds the write lock. */
  ExecResult runInTransaction(StatementCache c, String sql, List<SqlValue> params) {
    Parsed st = checkWritable(sql);
    HadbException.requireArg(params, "params");
    requireWriter(); // writes refused since the transaction began (a fence) stop it here
    try {
      return run(c, st, params);
    } catch (SQLException e) {
      throw SqlErrors.of(e, sql);
    }
  }

  /** A query of an open {@link SqliteTransaction}, on the writer so it sees the transaction's writes. */
  QueryResult queryInTransaction(StatementCache c, String sql, List<SqlValue> params) {
    Parsed parsed = single(sql);
    if (parsed.mutation()) {
      requireAllowed(parsed);
    }
    HadbException.requireArg(params, "params");
    try {
      return runQuery(c, parsed.st().text(), params);
    } catch (SQLException e) {
      throw SqlErrors.of(e, sql);
    }
  }

  /** Work on the writer connection. */
  private interface WriterWork<T> {
    T run(StatementCache writer) throws SQLException;
  }

  /**
   * Runs {@code work} on the writer under the write lock. The listener counts the write while the
   * lock is held, a failed one too (the shipper then finds no new commit, which costs nothing),
   * and in SYNC mode waits for durability after the lock is released.
   */
  private <T> T onWriter(WriterWork<T> work, Function<SQLException, RuntimeException> onError) {
    WriteListener l = listener;
    long token;
    T r;
    writeLock.lock();
    try {
      StatementCache c = requireWriter();
      try {
        r = work.run(c);
      } catch (SQLException e) {
        throw onError.apply(e);
      } finally {
        token = l.afterWrite();
      }
    } finally {
      writeLock.unlock();
    }
    l.afterUnlock(token);
    return r;
  }

  @Override
  public boolean isMutation(String sql) {
    HadbException.requireArg(sql, "sql");
    return SqlText.isMutation(sql);
  }

  /** The database file this executor runs on. */
  public Path file() {
    return file;
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    readers.close();
    writeLock.lock();
    try {
      detachWriterLocked();
    } finally {
      writeLock.unlock();
    }
  }

  // ---- engine-internal hooks (same package) ----

  void setWriteListener(WriteListener l) {
    this.listener = l == null ? WriteListener.NONE : l;
  }

  /** After a fence or a fatal publishing error: every later write fails with {@code why}. */
  void refuseWrites(HadbException why) {
    writesRefused = why;
  }

  void allowWrites() {
    writesRefused = null;
  }

  ReentrantLock writeLock() {
    return writeLock;
  }

  /** The writer, for the replicator's checkpoints; the caller holds {@link #writeLock()}. */
  Connection writerLocked() {
    return requireWriter().connection();
  }

  /** The writer or null; the caller holds {@link #writeLock()}. */
  Connection writerOrNullLocked() {
    return writer == null ? null : writer.connection();
  }

  boolean hasWriter() {
    writeLock.lock();
    try {
      return writer != null;
    } finally {
      writeLock.unlock();
    }
  }

  void attachWriter(Connection c) {
    writeLock.lock();
    try {
      if (writer != null) {
        throw new HadbException(io.hadb.api.ErrorCode.INTERNAL, "a writer is already attached");
      }
      writer = new StatementCache(c);
      lastInsertId = 0; // a new connection's last_insert_rowid
      streams = true;
    } finally {
      writeLock.unlock();
    }
  }

  /** Closes the writer (demotion, close); the caller holds {@link #writeLock()}. */
  void detachWriterLocked() {
    streams = false;
    if (writer != null) {
      writer.clear();
      Connections.closeQuietly(writer.connection());
    }
    writer = null;
  }

  ReadPool readers() {
    return readers;
  }

  /**
   * Before the hand-off leaves WAL mode: no query streams from now on, and the cursors open now
   * are cut off (their next call fails {@code UNAVAILABLE}), so their snapshots do not hold the
   * switch up for the busy timeout. The caller holds {@link #writeLock()}.
   */
  void endCursorsLocked() {
    streams = false;
    readers.closeCursors();
  }

  // ---- internals ----

  /**
   * Runs one statement on the writer. SQLite's last insert rowid changes only through a
   * top-level INSERT or REPLACE (a trigger's inserts are undone when the trigger ends), so the
   * extra query for it is skipped after UPDATE, DELETE and DDL: in a batch of inserts it would
   * otherwise double the calls into SQLite. Rows affected is SQLite's changes() only for DML;
   * after DDL or a pragma changes() still holds the previous statement's count, so it is 0.
   */
  private ExecResult run(StatementCache c, Parsed st, List<SqlValue> params) throws SQLException {
    String sql = st.st().text();
    StatementCache.Prepared prepared = c.prepare(sql);
    PreparedStatement ps = prepared.statement();
    try {
      StatementCache.Shape shape = prepared.shape();
      Rows.bind(ps, shape.parameterCount(), params, sql);
      long rows;
      if (!shape.returnsRows()) {
        rows = ps.executeLargeUpdate(); // the driver's lean path: step, reset, changes()
      } else {
        // A statement that returns rows (RETURNING, PRAGMA x=y answering its new value) still
        // ran once it is stepped to the end.
        ps.execute();
        try (ResultSet rs = ps.getResultSet()) {
          while (rs != null && rs.next()) {
            // drain so every row-producing step runs
          }
        }
        rows = Rows.changes(ps); // the driver reports -1 once a statement gave rows
      }
      if (!st.dml()) {
        rows = 0;
      }
      if (st.mayInsert()) {
        lastInsertId = Rows.lastInsertRowid(c.lastInsertRowidStatement());
      }
      return new ExecResult(Math.max(0, rows), lastInsertId);
    } catch (SQLException | RuntimeException e) {
      c.evict(sql);
      throw e;
    }
  }

  /**
   * A statement that returns rows runs through the driver's {@code executeQuery}: its general
   * {@code execute} also locks the connection object, asks SQLite for changes() and looks for
   * generated keys, three steps a read does not need, about a tenth of a point lookup's time.
   */
  private static QueryResult runQuery(StatementCache c, String sql, List<SqlValue> params) throws SQLException {
    StatementCache.Prepared prepared = c.prepare(sql);
    PreparedStatement ps = prepared.statement();
    try {
      StatementCache.Shape shape = prepared.shape();
      Rows.bind(ps, shape.parameterCount(), params, sql);
      if (!shape.returnsRows()) {
        ps.execute(); // a statement without result columns still runs
        return NO_ROWS;
      }
      try (ResultSet rs = ps.executeQuery()) {
        return Rows.read(rs);
      }
    } catch (SQLException | RuntimeException e) {
      c.evict(sql);
      throw e;
    }
  }

  /** Opens the driver's transaction as BEGIN IMMEDIATE (the write lock taken at once). */
  private static void beginImmediate(Connection c) throws SQLException {
    ((SQLiteConnection) c).setCurrentTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
    c.setAutoCommit(false);
  }

  /**
   * After a batch: if the driver still counts a transaction as open (a statement or the COMMIT
   * failed), rolls back and returns the connection to autocommit. SQLite may have rolled back
   * already (SQLITE_FULL, IOERR), so the ROLLBACK may find nothing to undo; the driver's flag is
   * then reset through an empty BEGIN that leaving autocommit commits. A connection left with
   * the flag off would run the next batch without BEGIN, so failing that is logged as an error.
   */
  static void endTransaction(Connection c) {
    try {
      if (c.getAutoCommit()) {
        return;
      }
      try (java.sql.Statement s = c.createStatement()) {
        try {
          s.execute("ROLLBACK");
        } catch (SQLException alreadyRolledBack) {
          LOG.log(System.Logger.Level.DEBUG, "rollback: " + alreadyRolledBack.getMessage());
        }
        s.execute("BEGIN");
      }
      c.setAutoCommit(true);
    } catch (SQLException e) {
      LOG.log(System.Logger.Level.ERROR, "could not leave a failed batch's transaction: " + e.getMessage());
    }
  }

  private StatementCache requireWriter() {
    checkOpen();
    HadbException refused = writesRefused;
    if (refused != null) {
      throw new HadbException(refused.code(), "writes are refused on " + file + ": " + refused.getMessage(), refused);
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

  private static Parsed single(String sql) {
    HadbException.requireArg(sql, "sql");
    Parsed cached = PARSED.get(sql);
    if (cached != null) {
      return cached;
    }
    List<SqlText.Statement> all = SqlText.split(sql);
    if (all.isEmpty()) {
      throw HadbException.invalidArgument("sql holds no statement: \"" + SqlText.abbreviate(sql, 80) + "\"");
    }
    if (all.size() > 1) {
      throw HadbException.invalidArgument("sql holds " + all.size()
          + " statements; pass one per call (or use executeBatch): " + SqlText.abbreviate(sql, 200));
    }
    if (PARSED.size() >= PARSED_MAX) {
      PARSED.clear(); // crude bound: applications run a small set of distinct statements
    }
    Parsed parsed = Parsed.of(all.get(0));
    PARSED.put(sql, parsed);
    return parsed;
  }

  private static Parsed checkWritable(String sql) {
    return requireAllowed(single(sql));
  }

  /** {@code p}, or the reason it may not run on the writer (worked out once, thrown anew). */
  private static Parsed requireAllowed(Parsed p) {
    if (!p.allowed()) {
      checkAllowed(p.st()); // throws the reason
    }
    return p;
  }

  private static void checkAllowed(SqlText.Statement st) {
    if (st.isTransactionControl()) {
      throw HadbException.invalidArgument(st.keyword()
          + " is not allowed: the write connection is shared, so use executeBatch for an atomic"
          + " group of statements: " + SqlText.abbreviate(st.text(), 200));
    }
    String kw = st.keyword();
    if (kw.equals("ATTACH") || kw.equals("DETACH")) {
      throw HadbException.unsupported(kw + " is not supported: writes to another database file"
          + " would not be replicated: " + SqlText.abbreviate(st.text(), 200));
    }
    if (OWNED_PRAGMAS.contains(st.pragmaName())) {
      throw HadbException.unsupported("PRAGMA " + st.pragmaName().toLowerCase(java.util.Locale.ROOT)
          + " is managed by hadb (replication depends on it): " + SqlText.abbreviate(st.text(), 200));
    }
  }
}
