package io.hadb.api.engine;

import java.util.List;

/** Column names and typed rows of a query. */
public record QueryResult(List<String> columns, List<List<SqlValue>> rows) {
  public QueryResult {
    columns = List.copyOf(columns);
    rows = rows.stream().map(List::copyOf).toList();
  }
}
