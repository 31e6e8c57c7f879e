package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import io.hadb.api.engine.Dialect;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SchemaRecord;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.engine.sqlite.internal.SqlText;
import java.util.List;

/**
 * SQLite's SQL for what engine-neutral code needs (DESIGN §3.3): the exactly-once request table
 * ({@link SqliteRequestTable}), the run-once schema record ({@code _hadb_schema}) and script
 * splitting by SQLite's lexical rules (quotes, comments, {@code CREATE TRIGGER … END} bodies).
 */
public final class SqliteDialect implements Dialect {
  static final String SCHEMA_TABLE = "_hadb_schema";
  private static final SqlStatement CREATE_SCHEMA = SqlStatement.of("CREATE TABLE IF NOT EXISTS " + SCHEMA_TABLE
      + "(hash TEXT PRIMARY KEY NOT NULL, statements INTEGER NOT NULL)");
  private static final String SCHEMA_TABLE_EXISTS = "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?";

  private final SqliteRequestTable requests = new SqliteRequestTable();
  private final SchemaRecord schema = new SchemaRecord() {
    @Override
    public boolean contains(Executor executor, String scriptHash) {
      return !executor.query(SCHEMA_TABLE_EXISTS, List.of(SqlValue.of(SCHEMA_TABLE))).rows().isEmpty()
          && !executor.query("SELECT 1 FROM " + SCHEMA_TABLE + " WHERE hash = ?",
              List.of(SqlValue.of(scriptHash))).rows().isEmpty();
    }

    @Override
    public List<SqlStatement> record(String scriptHash, int statementCount) {
      return List.of(CREATE_SCHEMA, SqlStatement.of("INSERT INTO " + SCHEMA_TABLE
          + "(hash, statements) VALUES (?, ?)", scriptHash, statementCount));
    }
  };

  @Override
  public RequestTable requestTable() {
    return requests;
  }

  @Override
  public SchemaRecord schemaRecord() {
    return schema;
  }

  @Override
  public List<String> splitScript(String script) {
    HadbException.requireArg(script, "script");
    int bad = SqlText.unterminatedAt(script);
    if (bad >= 0) {
      throw HadbException.invalidArgument("the script has an unterminated " + describe(script, bad)
          + " starting at offset " + bad + ": " + SqlText.abbreviate(script.substring(bad), 40));
    }
    return SqlText.split(script).stream().map(SqlText.Statement::text).toList();
  }

  private static String describe(String script, int at) {
    char c = script.charAt(at);
    return c == '/' ? "/* comment" : c == '[' ? "[ name" : String.valueOf(c) + " quote";
  }
}
