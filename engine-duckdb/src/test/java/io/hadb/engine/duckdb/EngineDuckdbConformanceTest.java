package io.hadb.engine.duckdb;

import io.hadb.api.HadbException;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.SqlValue;
import io.hadb.conformance.EngineContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** engine-duckdb against the kit's engine contract (conformance-tests/SPEC.md, rules E1–E10). */
class EngineDuckdbConformanceTest extends EngineContract {
  @Override
  protected String engineName() {
    return DuckdbEngineProvider.NAME;
  }

  @Override
  protected String storageUri(Path dir) {
    return "file://" + dir + "?fsync=false";
  }

  /**
   * DuckDB has no integrity_check; reading every row of every table reads every block the tables
   * use, and DuckDB verifies each block's checksum as it reads it.
   */
  @Override
  protected List<String> integrityProblems(Executor executor) {
    List<String> problems = new ArrayList<>();
    for (List<SqlValue> t : executor.query("SELECT schema_name, table_name FROM duckdb_tables()", List.of()).rows()) {
      String name = '"' + ((SqlValue.Text) t.get(0)).value() + "\".\"" + ((SqlValue.Text) t.get(1)).value() + '"';
      try {
        executor.query("SELECT * FROM " + name, List.of());
      } catch (HadbException e) {
        problems.add(name + ": " + e.getMessage());
      }
    }
    return problems;
  }
}
