package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.api.engine.RetentionPolicy;
import io.hadb.api.engine.RestorePoint;
import static io.hadb.engine.sqlite.ChainCheck.await;
import static io.hadb.engine.sqlite.ChainCheck.digest;
import static io.hadb.engine.sqlite.ChainCheck.restored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlValue;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Durability SNAPSHOT_ONLY (DESIGN §6.3): no changeset is ever shipped, snapshots come on the
 * interval, and followers and restores get the data as of the last snapshot.
 */
class SnapshotOnlyTest extends LocalChainTest {
  static final String PREFIX = "desk/";

  SnapshotOnlyTest() {
    super(PREFIX);
  }

  /** Rows {@code from..to-1} in one transaction, so a snapshot holds all of them or none. */
  static void insertRange(SqliteEngine e, int from, int to) {
    e.executor().execute("INSERT INTO t (id, v) SELECT x, printf('%.300c', 'z') FROM (WITH RECURSIVE g(x) AS"
        + " (SELECT ? UNION ALL SELECT x + 1 FROM g WHERE x < ?) SELECT x FROM g)",
        List.of(SqlValue.of(from), SqlValue.of(to - 1)));
  }

  /**
   * Waits for two more snapshots than {@code before}: the first may have taken its point before
   * the caller's last commit, the second started after it.
   */
  static long twoMoreSnapshots(SqliteEngine leader, int before) throws InterruptedException {
    assertTrue(await(10, () -> leader.replicator().snapshotSeqs().size() >= before + 2),
        "interval snapshots: " + leader.replicator().snapshotSeqs());
    List<Long> seqs = leader.replicator().snapshotSeqs();
    return seqs.get(seqs.size() - 1);
  }

  @Test
  void only_snapshots_are_stored_and_followers_and_restores_get_the_last_one() throws Exception {
    SqliteOptions o = SqliteOptions.defaults().withDurability(Durability.SNAPSHOT_ONLY)
        .withSnapshots(new SnapshotPolicy(0, 0, Duration.ofSeconds(1), RetentionPolicy.keepAll()));
    try (SqliteEngine leader = open("leader.db", o)) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", List.of());
      insertRange(leader, 0, 500);
      HadbException refused = assertThrows(HadbException.class, () -> leader.replicator().sync());
      assertEquals(ErrorCode.UNSUPPORTED, refused.code());
      assertTrue(refused.getMessage().contains("SNAPSHOT_ONLY"), refused.getMessage());

      long first = twoMoreSnapshots(leader, 0);
      List<List<SqlValue>> atFirst = digest(leader);
      try (SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
        assertEquals(first, follower.replicator().bootstrap());
        assertEquals(atFirst, digest(follower));
        ChainCheck.integrityOk(follower);

        insertRange(leader, 500, 800);
        long second = twoMoreSnapshots(leader, leader.replicator().snapshotSeqs().size());
        assertTrue(second > first);
        // A running follower moves on to the newer snapshot by itself.
        assertTrue(await(10, () -> follower.replicator().pull() >= second), "follower at "
            + follower.replicator().appliedSeq() + ", snapshots " + leader.replicator().snapshotSeqs());
        assertEquals(digest(leader), digest(follower));
        ChainCheck.integrityOk(follower);
      }
      assertEquals(digest(leader), restored(storage, PREFIX, dir.resolve("r.db"), RestorePoint.latest()));
      assertEquals(atFirst, restored(storage, PREFIX, dir.resolve("r1.db"), RestorePoint.seq(first)));
      assertEquals(List.of(), storage.listAll(PREFIX + "changes/"), "SNAPSHOT_ONLY ships no changeset");
    }
  }

  /**
   * Commits made after the last snapshot are in no storage: stopping counts them as dropped and
   * leaves the file to be rebuilt from the chain, so it never follows with rows the chain lacks.
   */
  @Test
  void commits_after_the_last_snapshot_are_reported_dropped_at_stop_and_the_file_is_rebuilt() {
    SqliteOptions o = SqliteOptions.defaults().withDurability(Durability.SNAPSHOT_ONLY);
    try (SqliteEngine leader = open("leader.db", o)) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", List.of());
      insertRange(leader, 0, 10);
      long snap = leader.replicator().snapshot();
      List<List<SqlValue>> atSnapshot = digest(leader);
      insertRange(leader, 10, 13);
      leader.executor().execute("DELETE FROM t WHERE id = 0", List.of());
      leader.replicator().stopPublishing();
      assertEquals(2, leader.replicator().droppedCommits(), "two commits after the snapshot");

      // Following again, the file holds exactly the chain: the snapshot, not the dropped commits.
      assertEquals(snap, leader.replicator().bootstrap());
      assertEquals(atSnapshot, digest(leader));
    }
  }
}
