package io.hadb.engine.sqlite;

import io.hadb.api.engine.RestorePoint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.engine.sqlite.bench.SnapshotBlockBench;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A snapshot of a database of a few tens of MB taken while a writer commits steadily: the figures
 * (writer block during the snapshot against its own baseline) are printed, not asserted; what is
 * asserted is that the writer kept committing and that the snapshot holds the rows of its seq.
 */
class SnapshotWriterBlockTest {
  @TempDir Path dir;

  @Test
  void a_steady_writer_keeps_committing_while_a_30_mb_snapshot_is_taken() throws Exception {
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
        SqliteEngine leader = SqliteEngine.open(dir.resolve("leader.db"), storage, "block/", SqliteOptions.defaults())) {
      leader.replicator().startPublishing(1, 1);
      SnapshotBlockBench.fill(leader, 30);
      SnapshotBlockBench.Figures f = SnapshotBlockBench.measure(leader, SnapshotBlockBench.PAUSE_MS);
      System.out.println(f.line());
      assertTrue(f.dbMb() > 25, f.line());
      assertTrue(f.commitsSecondHalf() > 0, "the writer was blocked while the file was copied: "
          + f.commitsSecondHalf() + " commits in the snapshot's second half; " + f.line());
      // The snapshot alone (its changesets removed) restores the rows of its seq, whole.
      long big = count(leader, "big");
      for (long s = 1; s <= f.snapshotSeq(); s++) {
        storage.delete(String.format("block/changes/%020d.hadbp", s));
      }
      SqliteRestore.restore(storage, "block/", dir.resolve("r.db"), RestorePoint.seq(f.snapshotSeq()), SqliteOptions.defaults());
      try (SqliteEngine r = SqliteEngine.open(dir.resolve("r.db"), storage, "block/", SqliteOptions.defaults())) {
        assertEquals(big, count(r, "big"));
        ChainCheck.integrityOk(r);
        // Then the chain after it brings the writer's rows up to the leader's.
        assertEquals(leader.replicator().sync(), r.replicator().pull());
        assertEquals(count(leader, "w"), count(r, "w"));
      }
    }
  }

  static long count(SqliteEngine e, String table) {
    return ((io.hadb.api.engine.SqlValue.Int) e.executor().query("SELECT count(*) FROM " + table, List.of())
        .rows().get(0).get(0)).value();
  }
}
