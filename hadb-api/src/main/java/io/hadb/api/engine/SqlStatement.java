package io.hadb.api.engine;

import io.hadb.api.HadbException;
import java.util.List;

/** One statement with its positional parameters. */
public record SqlStatement(String sql, List<SqlValue> params) {
  public SqlStatement {
    HadbException.requireArg(sql, "sql");
    params = List.copyOf(HadbException.requireArg(params, "params"));
  }

  public static SqlStatement of(String sql, Object... params) {
    return new SqlStatement(sql, java.util.Arrays.stream(params).map(SqlValue::ofObject).toList());
  }
}
