package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.api.engine.RetentionPolicy;
import io.hadb.api.engine.RestorePoint;
import static io.hadb.engine.sqlite.ChainCheck.await;
import static io.hadb.engine.sqlite.ChainCheck.digest;
import static io.hadb.engine.sqlite.ChainCheck.restored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.engine.SqlValue;
import java.time.Duration;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Each {@link SnapshotPolicy} trigger on its own makes the leader's background
 * thread take snapshots (nobody calls {@code snapshot()} here), each snapshot restores to exactly
 * the rows the leader had at its seq, and retention under automatic snapshots deletes only what
 * no kept snapshot needs.
 */
class SnapshotTriggerTest extends LocalChainTest {
  static final String PREFIX = "auto/";

  /** The leader's digest after each commit, by the seq that commit shipped in. */
  final NavigableMap<Long, List<List<SqlValue>>> digestAtSeq = new TreeMap<>();

  SnapshotTriggerTest() {
    super(PREFIX);
  }

  static SnapshotPolicy policy(long everyChangesets, long everyBytes, Duration interval, RetentionPolicy r) {
    return new SnapshotPolicy(everyChangesets, everyBytes, interval, r);
  }

  SqliteEngine leader(SnapshotPolicy p) {
    SqliteEngine e = open("leader.db", SqliteOptions.defaults().withDurability(Durability.SYNC).withSnapshots(p));
    e.replicator().startPublishing(1, 1);
    e.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", List.of());
    return e;
  }

  /** One SYNC commit (so one changeset), remembering the leader's rows at its seq. */
  void insert(SqliteEngine leader, int id) {
    leader.executor().execute("INSERT INTO t (id, v) VALUES (?, ?)",
        List.of(SqlValue.of(id), SqlValue.of("row-" + id + "-" + "x".repeat(600))));
    digestAtSeq.put(leader.replicator().appliedSeq(), digest(leader));
  }

  /**
   * Every stored snapshot restores to the leader's rows at its seq. The changesets up to the last
   * snapshot are deleted first, so each restore can only come from its snapshot.
   */
  void everySnapshotRestoresItsSeq(SqliteEngine leader, int min) {
    List<Long> seqs = leader.replicator().snapshotSeqs();
    assertTrue(seqs.size() >= min, "automatic snapshots: " + seqs);
    ChainCheck.verified(storage, PREFIX);
    long last = seqs.get(seqs.size() - 1);
    for (long s = 1; s <= last; s++) {
      storage.delete(String.format(PREFIX + "changes/%020d.hadbp", s));
    }
    for (long s : seqs) {
      assertEquals(digestAtSeq.floorEntry(s).getValue(),
          restored(storage, PREFIX, dir.resolve("at-" + s + ".db"), RestorePoint.seq(s)), "snapshot " + s);
    }
    assertEquals(digest(leader), restored(storage, PREFIX, dir.resolve("latest.db"), RestorePoint.latest()));
  }

  /**
   * {@code min} rounds of 10 SYNC commits under {@code p}, each round waiting until the background
   * thread took one more snapshot. (In one burst, a busy machine may start the snapshot thread
   * only after the last commit, and then one snapshot covers the whole burst.)
   */
  void roundsOfCommitsTakeSnapshots(SnapshotPolicy p, int min) throws InterruptedException {
    try (SqliteEngine leader = leader(p)) {
      for (int round = 1, id = 0; round <= min; round++) {
        for (int i = 0; i < 10; i++) {
          insert(leader, id++);
        }
        int want = round;
        assertTrue(await(15, () -> leader.replicator().snapshotSeqs().size() >= want),
            "automatic snapshots after round " + round + ", " + p + ": " + leader.replicator().snapshotSeqs());
      }
      everySnapshotRestoresItsSeq(leader, min);
    }
  }

  @Test
  void every_n_changesets_alone_takes_snapshots_in_the_background() throws Exception {
    roundsOfCommitsTakeSnapshots(policy(8, 0, Duration.ZERO, RetentionPolicy.keepAll()), 3);
  }

  @Test
  void every_n_bytes_alone_takes_snapshots_in_the_background() throws Exception {
    // Each commit ships one changeset of a page or two (4 KiB each): ~10 commits per 40 kB.
    roundsOfCommitsTakeSnapshots(policy(0, 30_000, Duration.ZERO, RetentionPolicy.keepAll()), 2);
  }

  @Test
  void an_interval_alone_takes_snapshots_in_the_background() throws Exception {
    try (SqliteEngine leader = leader(policy(0, 0, Duration.ofSeconds(1), RetentionPolicy.keepAll()))) {
      // Writes spread over about 2.5 s, so at least two interval snapshots land at different seqs.
      long end = System.nanoTime() + 2_500_000_000L;
      for (int i = 0; System.nanoTime() < end || leader.replicator().snapshotSeqs().size() < 2; i++) {
        insert(leader, i);
        Thread.sleep(25);
        if (i > 400) {
          break;
        }
      }
      everySnapshotRestoresItsSeq(leader, 2);
    }
  }

  @Test
  void retention_under_automatic_snapshots_keeps_what_every_kept_snapshot_needs() throws Exception {
    try (SqliteEngine leader = leader(policy(5, 0, Duration.ZERO, new RetentionPolicy(2, 0, 0, 0)));
        SqliteEngine lagging = open("lagging.db", SqliteOptions.defaults())) {
      long lagSeq = lagging.replicator().bootstrap();
      lagging.replicator().pull(); // its idle look at the snapshots is done: the next pull meets a GAP
      long lagPulled = System.nanoTime();
      for (int i = 0; i < 40; i++) {
        insert(leader, i);
      }
      long end = leader.replicator().appliedSeq();
      String changes = PREFIX + "changes/";
      // Retention runs after each background snapshot; wait until snapshots and changesets stay
      // put for 300 ms with two snapshots kept and the changesets starting right after the older.
      String[] seen = {""};
      assertTrue(await(15, () -> {
        List<Long> kept = leader.replicator().snapshotSeqs();
        List<String> left = storage.listAll(changes);
        String now = kept + " " + left.stream().limit(1).toList();
        boolean settled = now.equals(seen[0]) && kept.size() == 2 && !left.isEmpty()
            && left.get(0).equals(String.format(changes + "%020d.hadbp", kept.get(0) + 1));
        seen[0] = now;
        java.util.concurrent.locks.LockSupport.parkNanos(300_000_000L);
        return settled;
      }), "kept and first changeset: " + seen[0]);
      List<Long> kept = leader.replicator().snapshotSeqs();
      assertTrue(kept.get(0) < end, "the oldest kept snapshot has changesets after it: " + kept);
      ChainCheck.verified(storage, PREFIX);
      for (long s : kept) {
        // From each kept snapshot: its own seq, and rolled forward by one changeset.
        assertEquals(digestAtSeq.floorEntry(s).getValue(),
            restored(storage, PREFIX, dir.resolve("at-" + s + ".db"), RestorePoint.seq(s)), "snapshot " + s);
        if (s < end) {
          assertEquals(digestAtSeq.floorEntry(s + 1).getValue(),
              restored(storage, PREFIX, dir.resolve("after-" + s + ".db"), RestorePoint.seq(s + 1)), "after " + s);
        }
      }
      assertEquals(digest(leader), restored(storage, PREFIX, dir.resolve("latest.db"), RestorePoint.latest()));
      // A follower left at an early seq finds its next changeset deleted: it goes on from a snapshot.
      assertTrue(lagSeq < kept.get(0), "lagging at " + lagSeq);
      Thread.sleep(Math.max(0, 1_100 - (System.nanoTime() - lagPulled) / 1_000_000)); // gap check due
      assertEquals(end, lagging.replicator().pull());
      assertEquals(digest(leader), digest(lagging));
      ChainCheck.integrityOk(lagging);
    }
  }
}
