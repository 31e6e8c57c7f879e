package io.hadb.jdbc;

import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.RowCursor;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.api.engine.Transaction;
import io.hadb.coordinator.HaDatabase;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One JDBC connection to an {@link HaDatabase} (DESIGN §12). It holds nothing open on the database
 * until a transaction begins.
 *
 * <ul>
 *   <li>Auto-commit: a query runs at the data source's read level (local on a follower); a write
 *       runs on the leader, locally when this node leads, forwarded exactly once otherwise; a
 *       batch is one atomic write.
 *   <li>{@code setAutoCommit(false)}: the first statement begins a transaction with
 *       {@link HaDatabase#begin}, on the leader whichever node this is; queries inside it see its
 *       writes. If leadership moves before the commit, the statement or commit fails with
 *       SQLState {@code 40001} and nothing of it applied: retry the transaction.
 *   <li>Read-only with auto-commit off: queries run at the read level, without a transaction;
 *       writes are refused (SQLState 25006).
 * </ul>
 *
 * Serializable is the only isolation (every transaction holds the leader's write lock). Not
 * thread-safe; a transaction on the leader must end on the thread that began it.
 */
final class HaConnection extends UnsupportedConnection {
  private final HaDataSource source;
  private final HaDatabase db;
  private boolean autoCommit = true;
  private boolean readOnly;
  private boolean closed;
  private Transaction tx;
  /** Result sets not closed yet (few: a statement closes its previous one when it runs again). */
  private final List<HaResultSet> openResults = new java.util.ArrayList<>();

  HaConnection(HaDataSource source) {
    this.source = source;
    this.db = source.database();
  }

  // ------------------------------------------------------------------ running SQL

  ExecResult execute(String sql, List<SqlValue> params) throws SQLException {
    checkOpen();
    refuseIfReadOnly();
    try {
      if (autoCommit) {
        return db.executeBatch(List.of(new SqlStatement(sql, params))).get(0);
      }
      return transaction().execute(sql, params);
    } catch (HadbException e) {
      throw failed(e);
    }
  }

  /** A batch: one atomic write in auto-commit, else statement by statement in the transaction. */
  List<ExecResult> executeBatch(List<SqlStatement> statements, java.util.function.IntConsumer done) throws SQLException {
    checkOpen();
    refuseIfReadOnly();
    try {
      if (autoCommit) {
        return db.executeBatch(statements);
      }
      Transaction t = transaction();
      List<ExecResult> out = new java.util.ArrayList<>(statements.size());
      for (SqlStatement s : statements) {
        out.add(t.execute(s.sql(), s.params()));
        done.accept(out.size());
      }
      return out;
    } catch (HadbException e) {
      throw failed(e);
    }
  }

  /**
   * A query's rows: streamed from the engine when this node leads and the query runs outside a
   * transaction (the engine decides, DESIGN §12), read whole otherwise (a follower, a
   * transaction, whose queries run on the leader's write connection or through the link).
   */
  RowCursor query(String sql, List<SqlValue> params) throws SQLException {
    checkOpen();
    try {
      if (autoCommit || readOnly) {
        return source.readLevel().isPresent()
            ? db.cursor(source.readLevel().get(), sql, params)
            : db.cursor(sql, params);
      }
      return RowCursor.of(transaction().query(sql, params));
    } catch (HadbException e) {
      throw failed(e);
    }
  }

  /**
   * A result set over {@code rows}, closed with this connection if the application leaves it
   * open: a streamed one holds one of the engine's read connections.
   */
  HaResultSet open(java.sql.Statement statement, RowCursor rows, int maxRows) {
    HaResultSet rs = new HaResultSet(statement, rows, maxRows, openResults::remove);
    openResults.add(rs);
    return rs;
  }

  private Transaction transaction() {
    if (tx == null || tx.isEnded()) {
      tx = db.begin(source.transactionLifetime());
    }
    return tx;
  }

  /** The SQLException for {@code e}; a transaction that ended with it is forgotten. */
  private SQLException failed(HadbException e) {
    boolean inTx = tx != null;
    if (tx != null && tx.isEnded()) {
      tx = null;
    }
    return SqlStates.of(e, inTx || !autoCommit);
  }

  private void refuseIfReadOnly() throws SQLException {
    if (readOnly && !autoCommit) {
      throw new SQLException("this connection is read-only (setReadOnly(true)): writes are refused", "25006");
    }
  }

  // ------------------------------------------------------------------ transactions

  @Override
  public void setAutoCommit(boolean on) throws SQLException {
    checkOpen();
    if (on && !autoCommit) {
      commit(); // JDBC: switching auto-commit on commits the transaction in progress
    }
    autoCommit = on;
  }

  @Override
  public boolean getAutoCommit() throws SQLException {
    checkOpen();
    return autoCommit;
  }

  /** Commits the transaction in progress; nothing to do when none began (or in auto-commit). */
  @Override
  public void commit() throws SQLException {
    checkOpen();
    Transaction t = tx;
    tx = null;
    if (t == null || t.isEnded()) {
      return;
    }
    try {
      t.commit();
    } catch (HadbException e) {
      throw SqlStates.of(e, true);
    }
  }

  @Override
  public void rollback() throws SQLException {
    checkOpen();
    Transaction t = tx;
    tx = null;
    if (t != null && !t.isEnded()) {
      try {
        t.rollback();
      } catch (HadbException e) {
        throw SqlStates.of(e, true);
      }
    }
  }

  @Override
  public void rollback(Savepoint savepoint) throws SQLException {
    throw unsupported("Connection.rollback(Savepoint)");
  }

  @Override
  public int getTransactionIsolation() throws SQLException {
    checkOpen();
    return Connection.TRANSACTION_SERIALIZABLE;
  }

  /** Any level is accepted: every transaction is serializable, which is at least as strict. */
  @Override
  public void setTransactionIsolation(int level) throws SQLException {
    checkOpen();
  }

  @Override
  public void setReadOnly(boolean readOnly) throws SQLException {
    checkOpen();
    this.readOnly = readOnly;
  }

  @Override
  public boolean isReadOnly() throws SQLException {
    checkOpen();
    return readOnly;
  }

  // ------------------------------------------------------------------ statements

  @Override
  public Statement createStatement() throws SQLException {
    checkOpen();
    return new HaPreparedStatement(this, null, null);
  }

  @Override
  public Statement createStatement(int type, int concurrency) throws SQLException {
    checkCursor(type, concurrency);
    return createStatement();
  }

  @Override
  public Statement createStatement(int type, int concurrency, int holdability) throws SQLException {
    checkCursor(type, concurrency);
    return createStatement();
  }

  @Override
  public PreparedStatement prepareStatement(String sql) throws SQLException {
    checkOpen();
    return new HaPreparedStatement(this, requireSql(sql), null);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency) throws SQLException {
    checkCursor(type, concurrency);
    return prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int type, int concurrency, int holdability)
      throws SQLException {
    checkCursor(type, concurrency);
    return prepareStatement(sql);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
    checkOpen();
    return new HaPreparedStatement(this, requireSql(sql),
        autoGeneratedKeys == Statement.RETURN_GENERATED_KEYS ? HaPreparedStatement.KEY_COLUMN : null);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
    checkOpen();
    return new HaPreparedStatement(this, requireSql(sql), HaPreparedStatement.KEY_COLUMN);
  }

  @Override
  public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
    checkOpen();
    return new HaPreparedStatement(this, requireSql(sql),
        columnNames != null && columnNames.length > 0 ? columnNames[0] : HaPreparedStatement.KEY_COLUMN);
  }

  @Override
  public String nativeSQL(String sql) throws SQLException {
    checkOpen();
    return sql;
  }

  private static String requireSql(String sql) throws SQLException {
    if (sql == null || sql.isBlank()) {
      throw new SQLException("the SQL text is empty", "42000");
    }
    return sql;
  }

  private static void checkCursor(int type, int concurrency) throws SQLException {
    if (type != ResultSet.TYPE_FORWARD_ONLY || concurrency != ResultSet.CONCUR_READ_ONLY) {
      throw unsupported("result sets other than TYPE_FORWARD_ONLY, CONCUR_READ_ONLY");
    }
  }

  // ------------------------------------------------------------------ the rest

  /** Open, and this node can answer a query on its copy. */
  @Override
  public boolean isValid(int timeoutSeconds) throws SQLException {
    if (timeoutSeconds < 0) {
      throw new SQLException("isValid timeout must not be negative, was " + timeoutSeconds, "22023");
    }
    if (closed) {
      return false;
    }
    try {
      db.query(io.hadb.coordinator.ReadConsistency.LOCAL, "SELECT 1");
      return true;
    } catch (HadbException e) {
      return false;
    }
  }

  @Override
  public DatabaseMetaData getMetaData() throws SQLException {
    checkOpen();
    return new HaDatabaseMetaData(this, source);
  }

  @Override
  public void close() throws SQLException {
    if (closed) {
      return;
    }
    for (HaResultSet rs : List.copyOf(openResults)) {
      rs.close(); // gives their read connections back to the engine
    }
    openResults.clear();
    try {
      if (tx != null && !tx.isEnded()) {
        tx.rollback(); // JDBC leaves this to the implementation: an unfinished transaction never commits
      }
    } catch (HadbException e) {
      // the transaction is over either way
    } finally {
      tx = null;
      closed = true;
    }
  }

  @Override
  public void abort(java.util.concurrent.Executor executor) throws SQLException {
    close();
  }

  @Override
  public boolean isClosed() {
    return closed;
  }

  @Override
  public SQLWarning getWarnings() throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public void clearWarnings() throws SQLException {
    checkOpen();
  }

  @Override
  public String getCatalog() throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public void setCatalog(String catalog) throws SQLException {
    checkOpen(); // one database per connection: ignored, as the JDBC contract allows
  }

  @Override
  public String getSchema() throws SQLException {
    checkOpen();
    return null;
  }

  @Override
  public void setSchema(String schema) throws SQLException {
    checkOpen();
  }

  @Override
  public int getHoldability() throws SQLException {
    checkOpen();
    // A commit ends no result set: a transaction's queries are read whole, and streamed ones run
    // outside any transaction.
    return ResultSet.HOLD_CURSORS_OVER_COMMIT;
  }

  @Override
  public void setHoldability(int holdability) throws SQLException {
    checkOpen();
  }

  @Override
  public Map<String, Class<?>> getTypeMap() throws SQLException {
    checkOpen();
    return Map.of();
  }

  @Override
  public void setClientInfo(String name, String value) throws SQLClientInfoException {}

  @Override
  public void setClientInfo(Properties properties) throws SQLClientInfoException {}

  @Override
  public String getClientInfo(String name) {
    return null;
  }

  @Override
  public Properties getClientInfo() {
    return new Properties();
  }

  @Override
  public int getNetworkTimeout() throws SQLException {
    checkOpen();
    return 0;
  }

  /** Accepted and not applied: forwarding has its own deadline (the builder's forwarding options). */
  @Override
  public void setNetworkTimeout(java.util.concurrent.Executor executor, int milliseconds) throws SQLException {
    checkOpen();
  }

  HaDatabase database() {
    return db;
  }

  void checkOpen() throws SQLException {
    if (closed) {
      throw SqlStates.closed("the connection");
    }
  }
}
