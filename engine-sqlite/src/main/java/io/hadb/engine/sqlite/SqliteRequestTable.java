package io.hadb.engine.sqlite;

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
 * {@link RequestTable} in SQLite's dialect (SQL text only: it runs on any {@link Executor} whose
 * engine speaks SQLite). One row per request (idx −1, holding the statement count) and one per
 * statement holding what SQLite reported for it:
 *
 * <pre>
 * _hadb_requests(id TEXT, idx INTEGER, rows INTEGER, last_id INTEGER, total INTEGER, at INTEGER,
 *                PRIMARY KEY (id, idx)) WITHOUT ROWID
 * </pre>
 *
 * <p>Why these SQL functions: the batch is one call into the executor, so a statement's result is
 * captured by the recording statement that follows it, inside the same transaction. {@code
 * changes()} is the previous statement's row count, but a statement that is not an INSERT, UPDATE
 * or DELETE (DDL) leaves it at the previous value; {@code total_changes()} tells the two apart —
 * it only grows when rows changed (the recording insert itself adds 1). {@code WITHOUT ROWID}
 * keeps the recording inserts from moving {@code last_insert_rowid()}.
 */
public final class SqliteRequestTable implements RequestTable {
  public static final String TABLE = "_hadb_requests";

  private static final SqlStatement CREATE = new SqlStatement("CREATE TABLE IF NOT EXISTS " + TABLE
      + "(id TEXT NOT NULL, idx INTEGER NOT NULL, rows INTEGER NOT NULL, last_id INTEGER NOT NULL,"
      + " total INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (id, idx)) WITHOUT ROWID", List.of());
  private static final String HEADER = "INSERT INTO " + TABLE
      + "(id, idx, rows, last_id, total, at) VALUES (?1, -1, ?2, 0, total_changes(), ?3)";
  private static final String RESULT = "INSERT INTO " + TABLE + "(id, idx, rows, last_id, total, at)"
      + " VALUES (?1, ?2, CASE WHEN total_changes() = (SELECT total FROM " + TABLE
      + " WHERE id = ?1 AND idx = ?2 - 1) + 1 THEN 0 ELSE changes() END, last_insert_rowid(), total_changes(), ?3)";
  private static final String LOOKUP = "SELECT idx, rows, last_id FROM " + TABLE + " WHERE id = ? ORDER BY idx";
  private static final String EXISTS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '" + TABLE + "'";

  private volatile boolean tableSeen;

  @Override
  public List<ExecResult> apply(Executor executor, String requestId, List<SqlStatement> statements, long atMillis) {
    executor.executeBatch(recordingBatch(requestId, statements, atMillis));
    return lookup(executor, requestId).orElseThrow(() -> new HadbException(ErrorCode.INTERNAL,
        "request " + requestId + " committed but its record is missing from " + TABLE));
  }

  /** CREATE, HEADER, then each statement followed by the insert that records its result. */
  static List<SqlStatement> recordingBatch(String requestId, List<SqlStatement> statements, long atMillis) {
    List<SqlStatement> batch = new ArrayList<>(2 + 2 * statements.size());
    SqlValue id = SqlValue.of(requestId);
    SqlValue at = SqlValue.of(atMillis);
    batch.add(CREATE);
    batch.add(new SqlStatement(HEADER, List.of(id, SqlValue.of((long) statements.size()), at)));
    for (int i = 0; i < statements.size(); i++) {
      batch.add(statements.get(i));
      batch.add(new SqlStatement(RESULT, List.of(id, SqlValue.of((long) i), at)));
    }
    return batch;
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
    return executor.execute("DELETE FROM " + TABLE + " WHERE at < ?", List.of(SqlValue.of(beforeMillis)))
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
