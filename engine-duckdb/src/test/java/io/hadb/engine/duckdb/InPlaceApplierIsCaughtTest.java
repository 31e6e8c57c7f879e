package io.hadb.engine.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlValue;
import io.hadb.chain.Applier;
import io.hadb.chain.EngineFile;
import io.hadb.chain.ForwardingEngineFile;
import io.hadb.engine.duckdb.internal.PageWriter;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The trap the follower's two copies exist for, shown: an applier that writes verified pages
 * straight into the file its readers' DuckDB instance has open (as SQLite's applier may). The
 * instance never sees them — the follower's chain position moves on while its readers answer from
 * the old state — and the check every follower test makes (what the leader committed is what a
 * reader of the follower reads after a pull) fails; with the engine's own applier it passes.
 */
class InPlaceApplierIsCaughtTest extends LocalChainTest {
  private static final DuckdbOptions SYNC = DuckdbOptions.defaults().withDurability(Durability.SYNC);

  private static EngineFile inPlace(EngineFile f) {
    return new ForwardingEngineFile(f) {
      @Override
      public Applier applier() {
        return images -> {
          try (FileChannel ch = FileChannel.open(f.path(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            PageWriter.write(f.path(), ch, images);
          } catch (java.io.IOException e) {
            throw HadbException.unavailable(e.getMessage(), e);
          }
        };
      }
    };
  }

  private long followerSees(boolean broken) {
    try (DuckdbEngine leader = leader("a.duckdb", SYNC)) {
      leader.executor().execute("CREATE TABLE t(i INTEGER)", List.of());
      leader.executor().execute("INSERT INTO t SELECT * FROM range(1000)", List.of());
      try (DuckdbEngine first = open("b.duckdb", SYNC)) {
        first.replicator().pull();
      }
      // reopened: its readers now have an instance on the file, as any running follower's have
      try (DuckdbEngine follower = broken
          ? DuckdbEngine.open(dir.resolve("b.duckdb"), storage, PREFIX, SYNC, InPlaceApplierIsCaughtTest::inPlace)
          : open("b.duckdb", SYNC)) {
        assertEquals(1000, count(follower));
        leader.executor().execute("INSERT INTO t SELECT * FROM range(5000)", List.of());
        leader.executor().execute("DELETE FROM t WHERE i < 10", List.of());
        assertEquals(leader.replicator().appliedSeq(), follower.replicator().pull());
        try {
          return count(follower);
        } catch (HadbException e) {
          return -1; // a reader that fails is caught as surely
        }
      }
    }
  }

  private static long count(DuckdbEngine e) {
    return ((SqlValue.Int) e.executor().query("SELECT count(*) FROM t", List.of()).rows().get(0).get(0)).value();
  }

  @Test
  void theEnginesApplierShowsReadersTheLeadersState() {
    assertEquals(5980, followerSees(false));
  }

  @Test
  void anApplierWritingTheOpenFileIsCaught() {
    assertNotEquals(5980, followerSees(true));
  }
}
