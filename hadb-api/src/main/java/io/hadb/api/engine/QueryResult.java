package io.hadb.api.engine;

import java.util.ArrayList;
import java.util.List;

/** Column names and typed rows of a query. */
public record QueryResult(List<String> columns, List<List<SqlValue>> rows) {
  public QueryResult {
    columns = List.copyOf(columns);
    rows = unmodifiable(rows);
  }

  /**
   * The rows and each row unmodifiable, copied only when they are not already (List.copyOf
   * keeps an unmodifiable list as it is). Plain loops: a stream here cost every point lookup a
   * few percent of its time.
   */
  private static List<List<SqlValue>> unmodifiable(List<List<SqlValue>> rows) {
    for (List<SqlValue> row : rows) {
      if (List.copyOf(row) != row) {
        List<List<SqlValue>> copied = new ArrayList<>(rows.size());
        for (List<SqlValue> r : rows) {
          copied.add(List.copyOf(r));
        }
        return List.copyOf(copied);
      }
    }
    return List.copyOf(rows);
  }
}
