package io.hadb.engine.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.SqlValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A chain that holds a seal and nothing else (a leader was elected, nothing written yet) restores
 * to the empty database, which opens as a follower and takes the chain's first pages.
 */
class SealOnlyRestoreTest extends LocalChainTest {
  @Test
  void a_chain_of_only_a_seal_restores_to_an_empty_database_that_follows_on() throws Exception {
    try (DuckdbEngine node = open("node.db", DuckdbOptions.defaults())) {
      assertTrue(node.replicator().seal(1, 1));
    }
    Path target = dir.resolve("restored.db");
    assertEquals(1, new DuckdbEngineProvider().restore(storage, PREFIX, target, RestorePoint.latest(),
        EngineOptions.defaults(), Progress.NONE));
    assertEquals(0, Files.size(target), "the empty database");

    try (DuckdbEngine leader = open("leader.db", DuckdbOptions.defaults())) {
      leader.replicator().startPublishing(1, 2);
      leader.executor().execute("CREATE TABLE t (x INTEGER)", List.of());
      leader.executor().execute("INSERT INTO t VALUES (42)", List.of());
      long head = leader.replicator().sync();
      try (DuckdbEngine restored = open("restored.db", DuckdbOptions.defaults())) {
        assertEquals(head, restored.replicator().bootstrap());
        assertEquals(List.of(List.of(SqlValue.of(42))),
            restored.executor().query("SELECT x FROM t", List.of()).rows());
      }
    }
  }
}
