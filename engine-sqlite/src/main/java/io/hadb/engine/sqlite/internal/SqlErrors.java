package io.hadb.engine.sqlite.internal;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.sql.SQLException;
import org.sqlite.SQLiteException;

/** Maps sqlite-jdbc's exceptions to {@link HadbException}, keeping SQLite's own message. */
public final class SqlErrors {
  private static final int SQLITE_BUSY = 5;
  private static final int SQLITE_LOCKED = 6;
  private static final int SQLITE_NOMEM = 7;
  private static final int SQLITE_IOERR = 10;
  private static final int SQLITE_CORRUPT = 11;
  private static final int SQLITE_FULL = 13;
  private static final int SQLITE_CANTOPEN = 14;
  private static final int SQLITE_NOTADB = 26;

  private SqlErrors() {}

  /**
   * The exception for {@code e} raised while running {@code sql}. The statement is abbreviated;
   * parameters are never included (they may hold user data or secrets).
   */
  public static HadbException of(SQLException e, String sql) {
    String where = sql == null ? "" : " in statement: " + SqlText.abbreviate(sql, 200);
    String msg = e.getMessage() + where;
    int primary = e instanceof SQLiteException se ? se.getResultCode().code & 0xff : e.getErrorCode() & 0xff;
    ErrorCode code = switch (primary) {
      case SQLITE_BUSY, SQLITE_LOCKED -> ErrorCode.TIMEOUT;
      case SQLITE_IOERR, SQLITE_FULL, SQLITE_CANTOPEN, SQLITE_NOMEM -> ErrorCode.UNAVAILABLE;
      case SQLITE_CORRUPT, SQLITE_NOTADB -> ErrorCode.CORRUPT;
      default -> ErrorCode.SQL_ERROR;
    };
    return new HadbException(code, msg, e);
  }
}
