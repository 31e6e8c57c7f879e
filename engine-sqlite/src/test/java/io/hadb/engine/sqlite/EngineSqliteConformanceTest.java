package io.hadb.engine.sqlite;

import io.hadb.api.engine.Executor;
import io.hadb.api.engine.SqlValue;
import io.hadb.conformance.EngineContract;
import java.nio.file.Path;
import java.util.List;

/** engine-sqlite against the kit's engine contract (conformance-tests/SPEC.md, rules E1–E10). */
class EngineSqliteConformanceTest extends EngineContract {
  @Override
  protected String engineName() {
    return SqliteEngineProvider.NAME;
  }

  @Override
  protected String storageUri(Path dir) {
    return "file://" + dir + "?fsync=false";
  }

  @Override
  protected List<String> integrityProblems(Executor executor) {
    List<String> problems = executor.query("PRAGMA integrity_check", List.of()).rows().stream()
        .map(r -> r.get(0) instanceof SqlValue.Text t ? t.value() : String.valueOf(r.get(0)))
        .toList();
    return problems.equals(List.of("ok")) ? List.of() : problems;
  }
}
