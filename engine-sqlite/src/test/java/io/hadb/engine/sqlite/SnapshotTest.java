package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.api.engine.RetentionPolicy;
import static io.hadb.engine.sqlite.ChainCheck.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.engine.SqlValue;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.PhysicalReader;
import io.hadb.changeset.PhysicalHeader;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotTest extends LocalChainTest {
  static final String PREFIX = "snap/";

  SnapshotTest() {
    super(PREFIX);
  }

  static SqliteOptions sync() {
    return SqliteOptions.defaults().withDurability(Durability.SYNC);
  }

  static void fill(SqliteEngine e, int from, int to) {
    for (int i = from; i < to; i++) {
      e.executor().execute("INSERT INTO t (id, v) VALUES (?, ?)", List.of(SqlValue.of(i), SqlValue.of("row-" + i + "-" + "x".repeat(500))));
    }
  }

  static String digest(SqliteEngine e) {
    return e.executor().query("SELECT count(*), sum(length(v)), max(id) FROM t", List.of()).rows().toString();
  }

  @Test
  void a_snapshot_holds_exact_compressed_pages_and_a_new_follower_starts_from_it() throws Exception {
    try (SqliteEngine leader = open("leader.db", sync())) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", List.of());
      fill(leader, 0, 300);
      long seq = leader.replicator().snapshot();
      assertEquals(leader.replicator().appliedSeq(), seq);
      fill(leader, 300, 320);

      String key = String.format(PREFIX + "snapshots/%020d.snap", seq);
      byte[] snap = storage.get(key).orElseThrow();
      PhysicalHeader h;
      try (PhysicalReader r = PhysicalReader.open(key, new java.io.ByteArrayInputStream(snap), snap.length, DecodeOptions.defaults())) {
        h = r.header();
        long expected = 1;
        while (r.next()) {
          assertEquals(expected++, r.pageNumber(), "every page, in order");
        }
        r.finish();
      }
      assertEquals(seq, h.seq());
      assertEquals(h.dbSizePages(), h.pageCount());
      assertTrue(snap.length < h.dbSizePages() * h.pageSize() / 2, "compressed: " + snap.length);

      // Without the changesets up to the snapshot, a follower can only start from it.
      for (long s = 1; s <= seq; s++) {
        storage.delete(String.format(PREFIX + "changes/%020d.hadbp", s));
      }
      try (SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
        assertEquals(leader.replicator().sync(), follower.replicator().bootstrap());
        assertEquals(digest(leader), digest(follower));
        assertEquals(List.of(List.of(SqlValue.of("ok"))),
            follower.executor().query("PRAGMA integrity_check", List.of()).rows());
      }
    }
  }

  @Test
  void snapshots_are_taken_every_n_changesets_and_retention_keeps_the_last_two() throws Exception {
    SqliteOptions o = sync().withSnapshots(new SnapshotPolicy(10, 0, Duration.ZERO, new RetentionPolicy(2, 0, 0, 0)));
    try (SqliteEngine leader = open("leader.db", o)) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", List.of());
      // Snapshots run in the background, after the commit that made one due. Two rounds of 15
      // commits, each waiting for its snapshot: a burst on a busy machine may end before the
      // snapshot thread runs, and then one snapshot covers the burst.
      fill(leader, 0, 15);
      assertTrue(await(20, () -> leader.replicator().snapshotSeqs().size() >= 1), "a first background snapshot");
      fill(leader, 15, 30);
      assertTrue(await(20, () -> leader.replicator().snapshotSeqs().size() >= 2),
          "a second background snapshot: " + leader.replicator().snapshotSeqs());
      fill(leader, 30, 45);
      // One more and retention must have dropped older ones.
      long last = leader.replicator().snapshot();
      List<Long> kept = leader.replicator().snapshotSeqs();
      assertEquals(2, kept.size(), "kept " + kept);
      assertEquals(last, kept.get(1));
      List<String> changes = storage.listAll(PREFIX + "changes/");
      long first = Long.parseLong(changes.get(0).substring((PREFIX + "changes/").length(), (PREFIX + "changes/").length() + 20));
      assertEquals(kept.get(0) + 1, first, "changesets after the oldest kept snapshot stay, older ones go");
      try (SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
        follower.replicator().bootstrap();
        assertEquals(digest(leader), digest(follower));
      }
    }
  }

  @Test
  void writers_keep_committing_while_a_snapshot_copies_the_file() throws Exception {
    try (SqliteEngine leader = open("leader.db", SqliteOptions.defaults())) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", List.of());
      leader.executor().execute("INSERT INTO t SELECT x, printf('%.2000c', 'y') FROM (WITH RECURSIVE g(x) AS"
          + " (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 20000) SELECT x FROM g)", List.of());
      Thread writer = new Thread(() -> fill(leader, 100_000, 100_200));
      writer.start();
      long seq = leader.replicator().snapshot();
      writer.join();
      long end = leader.replicator().sync();
      assertTrue(end >= seq);
      try (SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
        follower.replicator().bootstrap();
        assertEquals(digest(leader), digest(follower));
      }
      assertFalse(Files.exists(dir.resolve("leader.db-hadb.snap")), "spool removed");
    }
  }
}
