package io.hadb.engine.duckdb;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@link RequestTable} in DuckDB's dialect. One row per request (idx −1, holding the statement
 * count) and one per statement holding its row count:
 *
 * <pre>
 * _hadb_requests(id VARCHAR, idx INTEGER, rows BIGINT, last_id BIGINT, at_ms BIGINT, PRIMARY KEY (id, idx))
 * </pre>
 *
 * <p>DuckDB has no SQL function for the previous statement's row count (SQLite's {@code
 * changes()}), so the result rows are written by the duckdb executor itself, after the request's
 * statements and in the same transaction ({@link DuckdbExecutor#executeBatchThen}); this table
 * therefore needs that executor. The header row goes first, so a known id fails the batch on the
 * primary key before any statement runs.
 */
public final class DuckdbRequestTable implements RequestTable {
  public static final String TABLE = "_hadb_requests";

  private static final SqlStatement CREATE = SqlStatement.of("CREATE TABLE IF NOT EXISTS " + TABLE
      + "(id VARCHAR NOT NULL, idx INTEGER NOT NULL, rows BIGINT NOT NULL, last_id BIGINT NOT NULL,"
      + " at_ms BIGINT NOT NULL, PRIMARY KEY (id, idx))");
  private static final String INSERT = "INSERT INTO " + TABLE + "(id, idx, rows, last_id, at_ms) VALUES (?, ?, ?, ?, ?)";
  private static final String LOOKUP = "SELECT idx, rows, last_id FROM " + TABLE + " WHERE id = ? ORDER BY idx";
  private static final String EXISTS = "SELECT 1 FROM information_schema.tables WHERE table_name = '" + TABLE + "'";

  private volatile boolean tableSeen;

  @Override
  public List<ExecResult> apply(Executor executor, String requestId, List<SqlStatement> statements, long atMillis) {
    DuckdbExecutor duck = duckdb(executor);
    List<SqlStatement> batch = new ArrayList<>(statements.size() + 2);
    batch.add(CREATE);
    batch.add(SqlStatement.of(INSERT, requestId, -1L, (long) statements.size(), 0L, atMillis));
    batch.addAll(statements);
    List<ExecResult> all = duck.executeBatchThen(batch, results -> {
      List<SqlStatement> records = new ArrayList<>(statements.size());
      for (int i = 2; i < results.size(); i++) {
        ExecResult r = results.get(i);
        records.add(SqlStatement.of(INSERT, requestId, (long) (i - 2), r.rowsAffected(), r.lastInsertId(), atMillis));
      }
      return records;
    });
    return List.copyOf(all.subList(2, all.size()));
  }

  private static DuckdbExecutor duckdb(Executor executor) {
    if (executor instanceof DuckdbExecutor d) {
      return d;
    }
    throw new HadbException(ErrorCode.UNSUPPORTED, "the duckdb request table records results through the duckdb"
        + " engine's executor, not a " + executor.getClass().getName());
  }

  @Override
  public Optional<List<ExecResult>> lookup(Executor executor, String requestId) {
    if (!tableExists(executor)) {
      return Optional.empty();
    }
    return RequestTable.recorded(TABLE, requestId, executor.query(LOOKUP, List.of(SqlValue.of(requestId))));
  }

  @Override
  public long prune(Executor executor, long beforeMillis) {
    if (!tableExists(executor)) {
      return 0;
    }
    return executor.execute("DELETE FROM " + TABLE + " WHERE at_ms < ?", List.of(SqlValue.of(beforeMillis)))
        .rowsAffected();
  }

  private boolean tableExists(Executor executor) {
    if (!tableSeen) {
      // Cached once seen: nothing drops it, and the check would double every lookup.
      tableSeen = !executor.query(EXISTS, List.of()).rows().isEmpty();
    }
    return tableSeen;
  }
}
