package io.hadb.conformance.engine;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.EngineProvider.Engine;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the engine contract remembers of a leader's history: the rows after each seq it reached,
 * and the key each seq was stored under (found by listing storage before and after, so the kit
 * needs no knowledge of the storage layout beyond "one new object per changeset").
 */
public final class Chains {
  private final TreeMap<Long, List<List<SqlValue>>> rowsBySeq = new TreeMap<>();
  private final TreeMap<Long, String> keyBySeq = new TreeMap<>();

  /** Records the leader's rows of {@code query} as of {@code seq}. */
  public void record(long seq, List<List<SqlValue>> rows) {
    rowsBySeq.put(seq, rows);
  }

  public void key(long seq, String key) {
    keyBySeq.put(seq, key);
  }

  /** The rows as of {@code seq}: those recorded at the greatest seq not after it (seals change nothing). */
  public List<List<SqlValue>> rowsAt(long seq) {
    Map.Entry<Long, List<List<SqlValue>>> e = rowsBySeq.floorEntry(seq);
    return e == null ? List.of() : e.getValue();
  }

  /** Whether rows were recorded at or before {@code seq}. */
  public boolean knows(long seq) {
    return rowsBySeq.floorEntry(seq) != null;
  }

  public String keyOf(long seq) {
    String k = keyBySeq.get(seq);
    if (k == null) {
      throw new IllegalStateException("no key recorded for seq " + seq + "; recorded: " + keyBySeq);
    }
    return k;
  }

  /** Rows of {@code query} on {@code engine}, or one row naming the error when the query fails. */
  public static List<List<SqlValue>> rows(Engine engine, String query) {
    try {
      return engine.executor().query(query, List.of()).rows();
    } catch (RuntimeException e) {
      return List.of(List.of(SqlValue.of("the query failed: " + e)));
    }
  }

  /**
   * Runs one transaction on the leader: a single statement with {@code execute}, several with
   * {@code executeBatch}. A SQL error (a key that exists) applies nothing and is not a failure;
   * any other error is rethrown.
   */
  public static void run(Engine leader, List<SqlStatement> statements) {
    try {
      if (statements.size() == 1) {
        leader.executor().execute(statements.get(0).sql(), statements.get(0).params());
      } else {
        leader.executor().executeBatch(statements);
      }
    } catch (HadbException e) {
      if (e.code() != ErrorCode.SQL_ERROR) {
        throw e;
      }
    }
  }

  /** A short form of some rows for failure messages (blobs as their length). */
  public static String describe(List<List<SqlValue>> rows) {
    StringBuilder b = new StringBuilder().append(rows.size()).append(" rows [");
    int n = 0;
    for (List<SqlValue> r : rows) {
      if (n++ == 6) {
        b.append(", …");
        break;
      }
      b.append(n > 1 ? ", " : "").append(r);
    }
    return b.append(']').toString();
  }

  /** The last seq recorded. */
  public long head() {
    return rowsBySeq.isEmpty() ? 0 : rowsBySeq.lastKey();
  }

  /** The seqs recorded so far, for messages. */
  public String seqs() {
    return new TreeMap<>(rowsBySeq).keySet().toString();
  }
}
