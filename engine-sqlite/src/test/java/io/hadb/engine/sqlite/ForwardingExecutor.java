package io.hadb.engine.sqlite;

import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.RowCursor;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.api.engine.Transaction;
import java.util.List;

/** An {@link Executor} that hands every call on; broken engines override one call. */
class ForwardingExecutor implements Executor {
  final SqliteExecutor real;

  ForwardingExecutor(SqliteExecutor real) {
    this.real = real;
  }

  @Override
  public ExecResult execute(String sql, List<SqlValue> params) {
    return real.execute(sql, params);
  }

  @Override
  public QueryResult query(String sql, List<SqlValue> params) {
    return real.query(sql, params);
  }

  @Override
  public RowCursor cursor(String sql, List<SqlValue> params) {
    return real.cursor(sql, params);
  }

  @Override
  public List<ExecResult> executeBatch(List<SqlStatement> statements) {
    return real.executeBatch(statements);
  }

  @Override
  public Transaction begin() {
    return real.begin();
  }

  @Override
  public boolean isMutation(String sql) {
    return real.isMutation(sql);
  }

  @Override
  public void close() {
    real.close();
  }
}
