package io.hadb.api.engine;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The replicated table of applied request ids that makes forwarded writes exactly-once across
 * failovers (DESIGN §6.4). The leader runs a request's statements together with the statements
 * that record its id and results <em>in one atomic batch</em>: either both the effects and the
 * record reach the chain, or neither does. A new leader has caught up with the chain before it
 * accepts writes, so it finds every request the old one applied.
 *
 * <p>The table lives in the user's database, so its SQL belongs to the engine's dialect; this is
 * part of the engine's {@link Dialect}.
 */
public interface RequestTable {

  /**
   * Runs {@code statements} on {@code executor} in one atomic batch together with the statements
   * that record {@code requestId} and the results, and returns the results as recorded (so this
   * answer and any later replay are identical). Fails, applying nothing, if the id is recorded.
   */
  List<ExecResult> apply(Executor executor, String requestId, List<SqlStatement> statements, long atMillis);

  /** What {@link #applyOnce} answered: the results, and whether they were recorded earlier. */
  record Applied(List<ExecResult> results, boolean replayed) {}

  /**
   * {@link #apply}, or the results recorded when {@code requestId} applied before: the
   * at-most-once write of a leader. A known id fails the batch on its primary key before any
   * statement runs, and a failing statement rolls the record back with it; the id is looked up
   * only on such a failure, which keeps a query off every write. Two concurrent calls with one id
   * are settled the same way: the executor runs one batch at a time, the second fails and is
   * answered from the table. A SQL error of an id not recorded is rethrown as it was.
   */
  default Applied applyOnce(Executor executor, String requestId, List<SqlStatement> statements, long atMillis) {
    try {
      return new Applied(apply(executor, requestId, statements, atMillis), false);
    } catch (HadbException e) {
      if (e.code() != ErrorCode.SQL_ERROR) {
        throw e;
      }
      return new Applied(lookup(executor, requestId).orElseThrow(() -> e), true);
    }
  }

  /** The results recorded for {@code requestId}, if a batch with that id committed. */
  Optional<List<ExecResult>> lookup(Executor executor, String requestId);

  /** Deletes records written before {@code beforeMillis} (a retry older than that is applied again). */
  long prune(Executor executor, long beforeMillis);

  /**
   * The results recorded for {@code requestId} in {@code table}, from the answer of a query of
   * its rows as {@code (idx, rows, last_id)} ordered by idx: a header row (idx −1, holding the
   * statement count) and one row per statement; empty when there is none. Every engine's table
   * keeps this layout, whatever its dialect. Fails CORRUPT, naming the table and the request,
   * when the rows disagree with their header or hold something other than integers.
   */
  static Optional<List<ExecResult>> recorded(String table, String requestId, QueryResult rows) {
    List<List<SqlValue>> r = rows.rows();
    if (r.isEmpty()) {
      return Optional.empty();
    }
    long count = asLong(table, requestId, r.get(0).get(1));
    if (asLong(table, requestId, r.get(0).get(0)) != -1 || count != r.size() - 1) {
      throw HadbException.corrupt(table + " holds " + (r.size() - 1) + " result rows for request '"
          + requestId + "' whose header says " + count);
    }
    List<ExecResult> results = new ArrayList<>(r.size() - 1);
    for (List<SqlValue> row : r.subList(1, r.size())) {
      results.add(new ExecResult(asLong(table, requestId, row.get(1)), asLong(table, requestId, row.get(2))));
    }
    return Optional.of(results);
  }

  private static long asLong(String table, String requestId, SqlValue v) {
    if (v instanceof SqlValue.Int i) {
      return i.value();
    }
    throw HadbException.corrupt(table + " holds a non-integer value " + v + " for request '" + requestId + "'");
  }
}
