package io.hadb.engine.duckdb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlValue;
import io.hadb.chain.EngineFile;
import io.hadb.chain.MemoryPages;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A batch of pages that are not the engine's 4096 bytes is refused naming the file, which stays as it was. */
class WrongPageSizeTest extends LocalChainTest {
  @Test
  void aBatchOfOtherPagesIsCorruptAndChangesNothing() throws Exception {
    DuckdbOptions sync = DuckdbOptions.defaults().withDurability(Durability.SYNC);
    try (DuckdbEngine leader = leader("a.duckdb", sync)) {
      leader.executor().execute("CREATE TABLE t(i INTEGER)", List.of());
      leader.executor().execute("INSERT INTO t VALUES (1)", List.of());
      EngineFile[] file = {null};
      try (DuckdbEngine follower = DuckdbEngine.open(dir.resolve("b.duckdb"), storage, PREFIX, sync, f -> {
        file[0] = f;
        return f;
      })) {
        follower.replicator().pull();
        Path b = dir.resolve("b.duckdb");
        byte[] before = Files.readAllBytes(b);
        for (int size : new int[] {512, 65536, 262144}) {
          HadbException e = assertThrows(HadbException.class,
              () -> file[0].applier().apply(MemoryPages.of(size, 1, Map.of(1L, new byte[size]))));
          assertEquals(ErrorCode.CORRUPT, e.code());
          assertTrue(e.getMessage().contains(b.toString()) && e.getMessage().contains(size + "-byte pages"),
              e.getMessage());
        }
        assertArrayEquals(before, Files.readAllBytes(b));
        assertEquals(List.of(List.of(SqlValue.of(1))), follower.executor().query("SELECT i FROM t", List.of()).rows());
      }
    }
  }
}
