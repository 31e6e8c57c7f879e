package io.hadb.engine.duckdb.internal;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.nio.file.Path;
import java.sql.SQLException;

/** Maps duckdb_jdbc's exceptions to {@link HadbException}, keeping DuckDB's own message. */
public final class DuckErrors {
  private DuckErrors() {}

  /**
   * The exception for {@code e} raised while running {@code sql}. The statement is abbreviated;
   * parameters are never included (they may hold user data or secrets). DuckDB names its error
   * class first ("IO Error: ...", "Constraint Error: ...").
   */
  public static HadbException of(SQLException e, String sql) {
    String msg = String.valueOf(e.getMessage());
    String where = sql == null ? "" : " in statement: " + SqlScan.abbreviate(sql, 200);
    ErrorCode code;
    if (msg.contains("IO Error") || msg.contains("Out of Memory Error")) {
      code = ErrorCode.UNAVAILABLE;
    } else if (msg.contains("Serialization Error") || msg.contains("Corrupt")) {
      code = ErrorCode.CORRUPT;
    } else {
      code = ErrorCode.SQL_ERROR;
    }
    return new HadbException(code, msg + where, e);
  }

  /** Opening {@code file} failed: not a DuckDB file (CORRUPT), or the file cannot be reached. */
  static HadbException opening(Path file, SQLException e) {
    String msg = String.valueOf(e.getMessage());
    if (msg.contains("not a valid DuckDB database file") || msg.contains("Serialization Error")
        || msg.contains("Corrupt")) {
      return HadbException.corrupt("the file " + file + " is not a DuckDB database this driver can open: " + msg);
    }
    return HadbException.unavailable("cannot open the DuckDB database " + file + ": " + msg, e);
  }
}
