package io.hadb.engine.duckdb;

import io.hadb.api.HadbException;
import io.hadb.api.engine.Dialect;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SchemaRecord;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.engine.duckdb.internal.SqlScan;
import java.util.List;

/**
 * DuckDB's SQL for what engine-neutral code needs (DESIGN §3.3): the exactly-once request table
 * ({@link DuckdbRequestTable}), the run-once schema record ({@code _hadb_schema}) and script
 * splitting by DuckDB's lexical rules (quotes, comments, dollar-quoted strings).
 */
public final class DuckdbDialect implements Dialect {
  static final String SCHEMA_TABLE = "_hadb_schema";
  private static final SqlStatement CREATE_SCHEMA = SqlStatement.of("CREATE TABLE IF NOT EXISTS " + SCHEMA_TABLE
      + "(hash VARCHAR PRIMARY KEY NOT NULL, statements BIGINT NOT NULL)");
  private static final String SCHEMA_TABLE_EXISTS = "SELECT 1 FROM information_schema.tables WHERE table_name = ?";

  private final DuckdbRequestTable requests = new DuckdbRequestTable();
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
          + "(hash, statements) VALUES (?, ?)", scriptHash, (long) statementCount));
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
    int bad = SqlScan.unterminatedAt(script);
    if (bad >= 0) {
      char c = script.charAt(bad);
      String what = c == '/' ? "/* comment" : c == '$' ? "$ string" : c + " quote";
      throw HadbException.invalidArgument("the script has an unterminated " + what + " starting at offset " + bad
          + ": " + SqlScan.abbreviate(script.substring(bad), 40));
    }
    return SqlScan.split(script);
  }
}
