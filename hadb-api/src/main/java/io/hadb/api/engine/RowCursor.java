package io.hadb.api.engine;

import java.util.List;

/**
 * A query's rows read one at a time (DESIGN §3.3), from {@link Executor#cursor}. An engine may
 * stream them straight from its statement: the cursor then holds one of its read connections,
 * and with it a read snapshot, until it is closed or has passed its last row. Close it (it is
 * {@link AutoCloseable}); a cursor whose {@link #next()} answered {@code false} has closed itself.
 *
 * <p>Columns are numbered from 0. The typed getters answer a cell of the matching storage class
 * exactly, and NULL as 0, 0.0 or {@code null}; an INTEGER read as a double and a REAL read as a
 * long convert as Java casts do. Other conversions (TEXT or BLOB read as a number, a REAL or a
 * BLOB read as text) are the engine's own, as its native driver answers them: ask
 * {@link #value(int)} for the storage class when it matters. The getters exist so a caller reading
 * one column as a long does not pay for the cell's storage class first (on SQLite another call
 * into the library per cell, a fifth of a range scan's time).
 *
 * <p>Errors are {@link io.hadb.api.HadbException}s, as from {@link Executor#query}; a cursor that
 * failed has closed itself. A getter before the first {@code next()}, after the last row or after
 * {@code close()} fails {@code INVALID_ARGUMENT}, {@code CLOSED} after {@code close()}. Not
 * thread-safe: one thread reads a cursor at a time.
 */
public interface RowCursor extends AutoCloseable {

  /** The result's column labels, in order. */
  List<String> columns();

  /** Moves to the next row; {@code false} (and closed) after the last one. */
  boolean next();

  /** The cell with its storage class. */
  SqlValue value(int column);

  /** The cell as a long (see the class comment for conversions); 0 for NULL. */
  long longValue(int column);

  /** The cell as a double (see the class comment for conversions); 0.0 for NULL. */
  double doubleValue(int column);

  /** The cell as text (see the class comment for conversions); {@code null} for NULL. */
  String textValue(int column);

  /** Whether the cell is NULL. */
  boolean isNull(int column);

  /** Whether the cursor is closed (by {@link #close()}, after its last row, or after an error). */
  boolean isClosed();

  /** Releases what the cursor holds (its read connection). Idempotent. */
  @Override
  void close();

  /** A cursor over rows already read whole: what an engine without streaming answers. */
  static RowCursor of(QueryResult result) {
    return new QueryResultCursor(io.hadb.api.HadbException.requireArg(result, "result"));
  }
}
