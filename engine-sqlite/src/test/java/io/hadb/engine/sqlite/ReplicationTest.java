package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import static io.hadb.engine.sqlite.ChainCheck.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.changeset.ChainException;
import io.hadb.changeset.Checksum;
import io.hadb.changeset.EncodeOptions;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.changeset.PhysicalWriter;
import io.hadb.engine.sqlite.internal.Connections;
import io.hadb.engine.sqlite.internal.WalReader;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationTest extends LocalChainTest {
  static final String PREFIX = "apps/db1/";

  ReplicationTest() {
    super(PREFIX);
  }

  static List<List<SqlValue>> rows(SqliteEngine e, String sql) {
    return e.executor().query(sql, List.of()).rows();
  }

  static void exec(SqliteEngine e, String sql, Object... params) {
    e.executor().execute(sql, SqlStatement.of(sql, params).params());
  }

  @Test
  void the_provider_is_found_by_name() {
    EngineProvider p = io.hadb.api.engine.Engines.find("sqlite");
    assertEquals(SqliteEngineProvider.class, p.getClass());
    try (EngineProvider.Engine e = p.open(dir.resolve("p.db"), storage, "x", io.hadb.api.engine.EngineOptions.defaults())) {
      assertEquals(0, e.replicator().appliedSeq());
    }
  }

  /**
   * ASYNC ship interval: commits arriving within an interval share one changeset, a held commit
   * still ships by itself, and sync() never waits for the interval.
   */
  @Test
  void async_commits_within_the_ship_interval_share_a_changeset_and_sync_does_not_wait() throws Exception {
    SqliteOptions o = SqliteOptions.defaults().withShipInterval(java.time.Duration.ofSeconds(1));
    try (SqliteEngine leader = open("leader.db", o)) {
      leader.replicator().startPublishing(1, 1);
      exec(leader, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
      long base = leader.replicator().sync();

      // 10 commits 5 ms apart: one upload per commit without the interval; here they wait for
      // the interval to pass since the last upload, or for the sync below.
      long t0 = System.nanoTime();
      for (int i = 0; i < 10; i++) {
        exec(leader, "INSERT INTO t (v) VALUES (?)", "row " + i);
        Thread.sleep(5);
      }
      long loopMs = (System.nanoTime() - t0) / 1_000_000;
      long s0 = System.nanoTime();
      long last = leader.replicator().sync();
      long syncMs = (System.nanoTime() - s0) / 1_000_000;
      long changesets = last - base;
      assertTrue(changesets >= 1 && changesets <= 2 + loopMs / 1000,
          changesets + " changesets for 10 commits in " + loopMs + " ms with a 1 s ship interval");
      // Waiting for the interval would take what is left of it, about 1 s - loopMs.
      assertTrue(syncMs < (1000 - loopMs) / 2, "sync() took " + syncMs + " ms after a " + loopMs
          + " ms loop: it waited for the ship interval");

      exec(leader, "INSERT INTO t (v) VALUES ('held')"); // no sync: the shipper must send it itself
      await(10, () -> leader.replicator().appliedSeq() != last);
      assertEquals(last + 1, leader.replicator().appliedSeq(), "a held commit never shipped");

      try (SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
        follower.replicator().pullTo(last + 1);
        assertEquals(List.of(List.of(SqlValue.of(11L))), rows(follower, "SELECT count(*) FROM t"));
      }
    }
  }

  /**
   * A commit made just before a demotion, not shipped when publishing stopped: sync() called after
   * the stop must not report it durable (the facade acknowledges a SYNC write on that return, and
   * the rebuild drops the commit). Once the file is rebuilt from the chain, sync() answers again.
   */
  @Test
  void sync_after_a_stop_that_dropped_commits_refuses_until_the_file_is_rebuilt() {
    SqliteOptions held = SqliteOptions.defaults().withShipInterval(java.time.Duration.ofSeconds(1));
    try (SqliteEngine leader = open("leader.db", held)) {
      leader.replicator().startPublishing(1, 1);
      exec(leader, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
      long shipped = leader.replicator().sync();
      exec(leader, "INSERT INTO t (v) VALUES ('held by the ship interval')");
      leader.replicator().stopPublishing();
      assertEquals(1, leader.replicator().droppedCommits());

      // The insert is in the local file but not in the chain: its fate is not "not applied"
      // for whoever committed it, so the answer is UNKNOWN_OUTCOME, caused by the stop.
      HadbException e = assertThrows(HadbException.class, () -> leader.replicator().sync());
      assertEquals(ErrorCode.UNKNOWN_OUTCOME, e.code(), e.getMessage());
      assertEquals(ErrorCode.NOT_LEADER, ((HadbException) e.getCause()).code(), e.getMessage());

      assertEquals(shipped, leader.replicator().pull()); // rebuilt from the chain: the insert is gone
      assertEquals(List.of(List.of(SqlValue.of(0L))), rows(leader, "SELECT count(*) FROM t"));
      assertEquals(shipped, leader.replicator().sync());
    }
  }

  @Test
  void follower_gets_what_the_leader_committed() {
    try (SqliteEngine leader = open("leader.db", SqliteOptions.defaults());
        SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
      leader.replicator().startPublishing(1, 1);
      exec(leader, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, b BLOB)");
      for (int i = 0; i < 50; i++) {
        exec(leader, "INSERT INTO t (v, b) VALUES (?, ?)", "row " + i, new byte[i * 37]);
      }
      leader.executor().executeBatch(List.of(SqlStatement.of("UPDATE t SET v = 'x' WHERE id < 10"),
          SqlStatement.of("DELETE FROM t WHERE id > 40")));
      long seq = leader.replicator().sync();
      assertTrue(seq >= 1);
      assertEquals(seq, follower.replicator().bootstrap());
      assertEquals(seq, follower.replicator().appliedSeq());
      assertEquals(rows(leader, "SELECT * FROM t ORDER BY id"), rows(follower, "SELECT * FROM t ORDER BY id"));
      assertEquals(List.of(List.of(SqlValue.of("ok"))), rows(follower, "PRAGMA integrity_check"));
      assertEquals(List.of(List.of(SqlValue.of("delete"))), rows(follower, "PRAGMA journal_mode"));
      // the follower may not write
      HadbException e = assertThrows(HadbException.class, () -> exec(follower, "DELETE FROM t"));
      assertEquals(ErrorCode.NOT_LEADER, e.code());
      // more commits arrive with pull
      exec(leader, "INSERT INTO t (v) VALUES ('late')");
      long seq2 = leader.replicator().sync();
      assertEquals(seq2, follower.replicator().pull());
      assertEquals(rows(leader, "SELECT count(*) FROM t"), rows(follower, "SELECT count(*) FROM t"));
    }
  }

  @Test
  void sync_mode_returns_only_when_the_commit_is_in_storage() {
    try (SqliteEngine leader = open("leader.db", SqliteOptions.defaults().withDurability(Durability.SYNC))) {
      leader.replicator().startPublishing(1, 1);
      for (int i = 0; i < 20; i++) {
        exec(leader, i == 0 ? "CREATE TABLE t (v)" : "INSERT INTO t VALUES (" + i + ")");
        assertEquals(0, leader.replicator().unshippedCommits());
        long seq = leader.replicator().appliedSeq();
        assertTrue(storage.get(String.format(PREFIX + "changes/%020d.hadbp", seq)).isPresent());
      }
    }
  }

  @Test
  void concurrent_sync_commits_share_uploads() throws Exception {
    try (SqliteEngine leader = open("leader.db", SqliteOptions.defaults().withDurability(Durability.SYNC))) {
      leader.replicator().startPublishing(1, 1);
      exec(leader, "CREATE TABLE t (v)");
      int threads = 8;
      int each = 25;
      Thread[] ts = new Thread[threads];
      for (int t = 0; t < threads; t++) {
        ts[t] = new Thread(() -> {
          for (int i = 0; i < each; i++) {
            exec(leader, "INSERT INTO t VALUES (1)");
          }
        });
        ts[t].start();
      }
      for (Thread t : ts) {
        t.join();
      }
      long seq = leader.replicator().appliedSeq();
      assertEquals(List.of(List.of(SqlValue.of((long) threads * each))), rows(leader, "SELECT count(*) FROM t"));
      assertTrue(seq <= threads * each + 1, "seq " + seq);
      assertEquals(0, leader.replicator().unshippedCommits());
    }
  }

  @Test
  void a_lost_upload_answer_is_resolved_as_our_own_write() {
    FaultyStorage faulty = new FaultyStorage(storage);
    try (SqliteEngine leader = SqliteEngine.open(dir.resolve("leader.db"), faulty, PREFIX,
        SqliteOptions.defaults().withDurability(Durability.SYNC))) {
      leader.replicator().startPublishing(1, 1);
      exec(leader, "CREATE TABLE t (v)");
      long before = leader.replicator().appliedSeq();
      int putsBefore = faulty.puts.get();
      faulty.loseAnswers.set(1);
      exec(leader, "INSERT INTO t VALUES (1)");
      exec(leader, "INSERT INTO t VALUES (2)");
      assertTrue(leader.replicator().failure().isEmpty());
      assertEquals(before + 2, leader.replicator().appliedSeq());
      assertEquals(putsBefore + 3, faulty.puts.get(), "one upload was retried");
    }
    try (SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
      assertTrue(follower.replicator().bootstrap() >= 3);
      assertEquals(List.of(List.of(SqlValue.of(2L))), rows(follower, "SELECT count(*) FROM t"));
    }
  }

  @Test
  void another_writer_at_our_seq_fences_us() {
    try (SqliteEngine leader = open("leader.db", SqliteOptions.defaults().withDurability(Durability.SYNC))) {
      leader.replicator().startPublishing(1, 1);
      exec(leader, "CREATE TABLE t (v)");
      long next = leader.replicator().appliedSeq() + 1;
      storage.put(String.format(PREFIX + "changes/%020d.hadbp", next), foreignChangeset(next, 7));
      // committed locally, refused by the chain: the caller learns UNKNOWN_OUTCOME, caused by FENCED
      HadbException e = assertThrows(HadbException.class, () -> exec(leader, "INSERT INTO t VALUES (1)"));
      assertEquals(ErrorCode.UNKNOWN_OUTCOME, e.code(), e.getMessage());
      assertEquals(ErrorCode.FENCED, ((HadbException) e.getCause()).code(), e.getMessage());
      assertEquals(ErrorCode.FENCED, leader.replicator().failure().orElseThrow().code());
      HadbException again = assertThrows(HadbException.class, () -> exec(leader, "INSERT INTO t VALUES (2)"));
      assertEquals(ErrorCode.FENCED, again.code());
    }
  }

  /** A valid-looking changeset that is not ours (another leader's, at another epoch). */
  static byte[] foreignChangeset(long seq, long epoch) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (PhysicalWriter w = PhysicalWriter.open(out,
        new PhysicalHeader(seq, epoch, 4096, 2, 0, 1, Checksum.ZERO), EncodeOptions.plain())) {
      w.finish();
    }
    return out.toByteArray();
  }

  @Test
  void follower_rejects_a_tampered_changeset() {
    try (SqliteEngine leader = open("leader.db", SqliteOptions.defaults())) {
      leader.replicator().startPublishing(1, 1);
      exec(leader, "CREATE TABLE t (v)");
      exec(leader, "INSERT INTO t VALUES ('hello')");
      leader.replicator().sync();
    }
    String key = String.format(PREFIX + "changes/%020d.hadbp", 2);
    byte[] b = storage.get(key).orElseThrow();
    b[b.length / 2] ^= 1;
    storage.delete(key);
    storage.put(key, b);
    try (SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
      HadbException e = assertThrows(HadbException.class, () -> follower.replicator().bootstrap());
      assertEquals(ErrorCode.CORRUPT, e.code());
      assertEquals(1, follower.replicator().appliedSeq(), "stopped before the bad object");
      assertFalse(Files.exists(dir.resolve("follower.db-hadb.apply")));
    }
  }

  @Test
  void follower_rejects_gaps_and_foreign_links() {
    try (SqliteEngine leader = open("leader.db", SqliteOptions.defaults().withDurability(Durability.SYNC))) {
      leader.replicator().startPublishing(1, 1);
      exec(leader, "CREATE TABLE t (v)");
      exec(leader, "INSERT INTO t VALUES (1)");
      exec(leader, "INSERT INTO t VALUES (2)");
    }
    storage.delete(String.format(PREFIX + "changes/%020d.hadbp", 2));
    try (SqliteEngine follower = open("f1.db", SqliteOptions.defaults())) {
      ChainException e = assertThrows(ChainException.class, () -> follower.replicator().bootstrap());
      assertEquals(ChainException.Kind.GAP, e.kind());
    }
    storage.put(String.format(PREFIX + "changes/%020d.hadbp", 2), foreignChangeset(2, 1));
    try (SqliteEngine follower = open("f2.db", SqliteOptions.defaults())) {
      ChainException e = assertThrows(ChainException.class, () -> follower.replicator().bootstrap());
      assertEquals(ChainException.Kind.PREV_CHECKSUM_MISMATCH, e.kind());
    }
  }

  @Test
  void promotion_continues_the_chain_and_a_demoted_leader_drops_unshipped_commits() {
    FaultyStorage faulty = new FaultyStorage(storage);
    try (SqliteEngine a = SqliteEngine.open(dir.resolve("a.db"), faulty, PREFIX, SqliteOptions.defaults());
        SqliteEngine b = open("b.db", SqliteOptions.defaults())) {
      a.replicator().startPublishing(1, 1);
      exec(a, "CREATE TABLE t (v TEXT)");
      exec(a, "INSERT INTO t VALUES ('a1')");
      long shipped = a.replicator().sync();
      // the store goes away for a; its next commit stays local
      faulty.down.set(true);
      exec(a, "INSERT INTO t VALUES ('lost')");
      a.replicator().stopPublishing();
      assertEquals(1, a.replicator().droppedCommits());
      faulty.down.set(false);
      // b takes over at the chain's end
      assertEquals(shipped, b.replicator().bootstrap());
      b.replicator().startPublishing(2, shipped + 1);
      exec(b, "INSERT INTO t VALUES ('b1')");
      long end = b.replicator().sync();
      // a follows again: its unshipped commit is gone, b's is there
      assertEquals(end, a.replicator().bootstrap());
      assertEquals(List.of(List.of(SqlValue.of("a1")), List.of(SqlValue.of("b1"))),
          rows(a, "SELECT v FROM t ORDER BY rowid"));
      assertEquals(List.of(List.of(SqlValue.of("ok"))), rows(a, "PRAGMA integrity_check"));
      // and an old epoch cannot publish any more
      b.replicator().stopPublishing();
      HadbException e = assertThrows(HadbException.class, () -> a.replicator().startPublishing(1, end + 1));
      assertEquals(ErrorCode.FENCED, e.code());
    }
  }

  @Test
  void an_existing_database_ships_a_full_base_image_first() throws Exception {
    Path existing = dir.resolve("existing.db");
    try (Connection c = Connections.openWalWriter(existing, 1000); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
      for (int i = 0; i < 30; i++) {
        s.execute("INSERT INTO t (v) VALUES (randomblob(2000))");
      }
    }
    try (SqliteEngine leader = SqliteEngine.open(existing, storage, PREFIX, SqliteOptions.defaults());
        SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
      assertEquals(List.of(List.of(SqlValue.of(30L))), rows(leader, "SELECT count(*) FROM t"));
      leader.replicator().startPublishing(1, 1);
      assertEquals(1, leader.replicator().appliedSeq());
      exec(leader, "DELETE FROM t WHERE id > 20");
      long seq = leader.replicator().sync();
      assertEquals(seq, follower.replicator().bootstrap());
      assertEquals(rows(leader, "SELECT * FROM t ORDER BY id"), rows(follower, "SELECT * FROM t ORDER BY id"));
    }
  }

  @Test
  void checkpoints_keep_the_wal_small_and_vacuum_shrinks_the_follower() throws Exception {
    SqliteOptions o = SqliteOptions.defaults().withCheckpointPages(20).withDurability(Durability.SYNC);
    try (SqliteEngine leader = open("leader.db", o); SqliteEngine follower = open("follower.db", o)) {
      leader.replicator().startPublishing(1, 1);
      exec(leader, "CREATE TABLE t (v BLOB)");
      for (int i = 0; i < 300; i++) {
        exec(leader, "INSERT INTO t VALUES (randomblob(3000))");
      }
      // 300 commits write about 360 frames. The log starts over under the write lock at the
      // first checkpoint (one every 20 frames or so) that finds 4 x 20 frames or more in it;
      // measured peaks are 97 to 100 frames.
      long wal = Files.size(WalReader.walOf(dir.resolve("leader.db")));
      assertTrue(wal < 130 * 4120, "WAL was checkpointed: " + wal);
      follower.replicator().bootstrap();
      long big = Files.size(dir.resolve("follower.db"));
      exec(leader, "DELETE FROM t");
      exec(leader, "VACUUM");
      follower.replicator().pull();
      assertTrue(Files.size(dir.resolve("follower.db")) < big / 10);
      assertEquals(List.of(List.of(SqlValue.of(0L))), rows(follower, "SELECT count(*) FROM t"));
      assertEquals(List.of(List.of(SqlValue.of("ok"))), rows(follower, "PRAGMA integrity_check"));
    }
  }

  /**
   * Most of each checkpoint runs while the writer goes on (PinnedBackfill), the rest under the
   * write lock. Under a writer that never pauses, with local readers on the leader and a
   * follower pulling meanwhile: the log still starts over again and again (stays small), and
   * the chain holds every commit.
   */
  @Test
  void checkpoints_under_a_writer_that_never_pauses_keep_the_wal_small_and_the_chain_whole() throws Exception {
    SqliteOptions o = SqliteOptions.defaults().withCheckpointPages(64);
    try (SqliteEngine leader = open("leader.db", o); SqliteEngine follower = open("follower.db", o)) {
      leader.replicator().startPublishing(1, 1);
      exec(leader, "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
      leader.replicator().sync();
      follower.replicator().bootstrap();
      Path wal = WalReader.walOf(dir.resolve("leader.db"));
      java.util.Set<String> generations = new java.util.HashSet<>();
      long maxWal = 0;
      int batches = 0;
      java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
      Thread reader = new Thread(() -> {
        while (!done.get()) {
          rows(leader, "SELECT count(*), sum(length(v)) FROM t");
        }
      });
      reader.start();
      try {
        long end = System.nanoTime() + 3_000_000_000L;
        while (System.nanoTime() < end) {
          List<SqlStatement> batch = new java.util.ArrayList<>();
          for (int i = 0; i < 20; i++) {
            batch.add(SqlStatement.of("INSERT INTO t (v) VALUES (randomblob(600))"));
          }
          leader.executor().executeBatch(batch);
          batches++;
          byte[] head = new byte[24];
          try (var in = Files.newInputStream(wal)) {
            in.readNBytes(head, 0, 24);
          }
          generations.add(java.util.HexFormat.of().formatHex(head, 16, 24)); // the salts
          maxWal = Math.max(maxWal, Files.size(wal));
          if (batches % 50 == 0) {
            follower.replicator().pull();
          }
        }
      } finally {
        done.set(true);
        reader.join();
      }
      long seq = leader.replicator().sync();
      assertEquals(seq, follower.replicator().pull());
      assertEquals(List.of(List.of(SqlValue.of(20L * batches))), rows(follower, "SELECT count(*) FROM t"));
      for (long from = 0; from < 20L * batches; from += 5_000) { // every byte, a slice at a time
        String slice = "SELECT id, v FROM t WHERE id > " + from + " AND id <= " + (from + 5_000) + " ORDER BY id";
        assertEquals(rows(leader, slice), rows(follower, slice), "rows after id " + from);
      }
      assertTrue(generations.size() >= 5, "the log started over " + generations.size() + " times in "
          + batches + " batches");
      // A checkpoint every 64 frames, the log started over once one finds 4 x 64 frames or more
      // (later while the reader holds it). How large it gets in between depends on how much CPU
      // the shipper gets against this writer: peaks of 616 to 622 frames on a quiet machine,
      // about 2,100 of 3,000 written under load 9. So the figure is printed, and the check is only
      // that the log never held everything written, as a log that never starts over does.
      long framesWritten = 20L * batches * 600 / 4096; // at least one frame per 4 KiB of rows
      System.out.println("largest_wal_frames=" + maxWal / 4120 + " frames_written>=" + framesWritten);
      assertTrue(maxWal / 4120 < framesWritten, "largest WAL " + maxWal + " bytes, "
          + framesWritten + " frames written");
    }
  }

  @Test
  void a_crash_mid_apply_is_repaired_on_open() throws Exception {
    try (SqliteEngine leader = open("leader.db", SqliteOptions.defaults().withDurability(Durability.SYNC))) {
      leader.replicator().startPublishing(1, 1);
      exec(leader, "CREATE TABLE t (v BLOB)");
      exec(leader, "INSERT INTO t SELECT randomblob(3000) FROM (WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 40) SELECT x FROM g)");
      exec(leader, "UPDATE t SET v = randomblob(3000)");
    }
    Path f = dir.resolve("follower.db");
    long last;
    String want;
    try (SqliteEngine reference = open("reference.db", SqliteOptions.defaults())) {
      last = reference.replicator().bootstrap();
      want = digest(reference);
    }
    try (SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
      assertEquals(last - 1, follower.replicator().pullTo(last - 1));
    }
    // Simulate a crash after staging the last changeset with half of its pages written as garbage.
    String key = String.format(PREFIX + "changes/%020d.hadbp", last);
    byte[] staged = storage.get(key).orElseThrow();
    // The apply record: a staged batch of one changeset (8-byte length, then the object).
    Files.write(dir.resolve("follower.db-hadb.apply"), java.nio.ByteBuffer.allocate(8 + staged.length)
        .putLong(staged.length).put(staged).array());
    List<Long> pages = new java.util.ArrayList<>();
    try (io.hadb.changeset.PhysicalReader r = io.hadb.changeset.PhysicalReader.open(
        new java.io.ByteArrayInputStream(staged), io.hadb.changeset.DecodeOptions.defaults())) {
      while (r.next()) {
        pages.add(r.pageNumber());
      }
    }
    assertTrue(pages.size() > 10, "pages in the last changeset: " + pages);
    byte[] file = Files.readAllBytes(f);
    for (long p : pages.subList(pages.size() / 2, pages.size())) {
      if (p > 1 && p * 4096 <= file.length) {
        java.util.Arrays.fill(file, (int) ((p - 1) * 4096), (int) (p * 4096), (byte) 0xAB);
      }
    }
    Files.write(f, file);
    try (SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
      assertEquals(last, follower.replicator().appliedSeq());
      assertEquals(List.of(List.of(SqlValue.of("ok"))), rows(follower, "PRAGMA integrity_check"));
      assertTrue(want.equals(digest(follower)), "content equals the chain's");
      assertFalse(Files.exists(dir.resolve("follower.db-hadb.apply")));
    }
  }

  /** A short fingerprint of table t (assertion messages stay readable). */
  static String digest(SqliteEngine e) {
    return rows(e, "SELECT count(*), sum(length(v)), group_concat(substr(hex(v), 1, 6), '') FROM t").toString();
  }
}
