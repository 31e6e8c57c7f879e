package io.hadb.engine.duckdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The chain with DuckDB on both ends, on storage-local: capture at checkpoints, staged-copy apply, roles. */
class ReplicationTest extends LocalChainTest {
  private static final DuckdbOptions SYNC = DuckdbOptions.defaults().withDurability(Durability.SYNC);

  private static long count(DuckdbEngine e, String sql) {
    return ((SqlValue.Int) e.executor().query(sql, List.of()).rows().get(0).get(0)).value();
  }

  @Test
  void aFollowerSeesEveryCommitAndEndsByteForByteEqual() throws Exception {
    try (DuckdbEngine leader = leader("a.duckdb", SYNC); DuckdbEngine follower = open("b.duckdb", SYNC)) {
      leader.executor().execute("CREATE TABLE t(id BIGINT PRIMARY KEY, v VARCHAR)", List.of());
      leader.executor().execute("INSERT INTO t SELECT i, 'v' || i FROM range(100000) r(i)", List.of());
      follower.replicator().pull();
      assertEquals(100000, count(follower, "SELECT count(*) FROM t"));
      leader.executor().execute("UPDATE t SET v = 'changed' WHERE id = 7", List.of());
      leader.executor().execute("DELETE FROM t WHERE id >= 50000", List.of());
      follower.replicator().pull();
      assertEquals(50000, count(follower, "SELECT count(*) FROM t"));
      assertEquals(1, count(follower, "SELECT count(*) FROM t WHERE v = 'changed'"));
      assertEquals(leader.replicator().appliedSeq(), follower.replicator().appliedSeq());
      assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a.duckdb")),
          Files.readAllBytes(dir.resolve("b.duckdb"))), "the follower's file is the leader's, byte for byte");
      HadbException e = assertThrows(HadbException.class,
          () -> follower.executor().execute("INSERT INTO t VALUES (1, 'x')", List.of()));
      assertEquals(ErrorCode.NOT_LEADER, e.code());
    }
  }

  @Test
  void readersNeverSeeHalfABatchWhileTheFollowerSwapsCopies() throws Exception {
    try (DuckdbEngine leader = leader("a.duckdb", SYNC); DuckdbEngine follower = open("b.duckdb", SYNC)) {
      leader.executor().execute("CREATE TABLE acct(id INTEGER PRIMARY KEY, bal BIGINT)", List.of());
      leader.executor().execute("INSERT INTO acct SELECT i, 100 FROM range(1000) r(i)", List.of());
      follower.replicator().pull();
      AtomicBoolean stop = new AtomicBoolean();
      AtomicReference<Throwable> bad = new AtomicReference<>();
      List<Thread> readers = new ArrayList<>();
      long[] reads = new long[1];
      for (int r = 0; r < 2; r++) {
        Thread t = new Thread(() -> {
          while (!stop.get()) {
            try {
              long total = count(follower, "SELECT sum(bal) FROM acct");
              if (total != 100000) {
                bad.compareAndSet(null, new AssertionError("a reader saw the total " + total));
              }
              synchronized (reads) {
                reads[0]++;
              }
            } catch (Throwable e) {
              bad.compareAndSet(null, e);
            }
          }
        });
        t.start();
        readers.add(t);
      }
      for (int i = 0; i < 30; i++) {
        leader.executor().executeBatch(List.of(
            SqlStatement.of("UPDATE acct SET bal = bal - 5 WHERE id = ?", (long) (i % 1000)),
            SqlStatement.of("UPDATE acct SET bal = bal + 5 WHERE id = ?", (long) ((i * 7 + 1) % 1000))));
        follower.replicator().pull();
      }
      stop.set(true);
      for (Thread t : readers) {
        t.join();
      }
      if (bad.get() != null) {
        throw new AssertionError(bad.get());
      }
      assertTrue(reads[0] > 30, "readers ran during the applies: " + reads[0]);
      assertEquals(leader.replicator().appliedSeq(), follower.replicator().appliedSeq());
    }
  }

  @Test
  void aLeftoverStagedCopyAndWalAreRepairedOnReopen() throws Exception {
    try (DuckdbEngine leader = leader("a.duckdb", SYNC)) {
      leader.executor().execute("CREATE TABLE t(i INTEGER)", List.of());
      leader.executor().execute("INSERT INTO t VALUES (1), (2)", List.of());
    }
    try (DuckdbEngine follower = open("b.duckdb", SYNC)) {
      follower.replicator().pull();
    }
    Path staged = dir.resolve("b.duckdb.hadb-next-1-1");
    Files.write(staged, new byte[] {1, 2, 3});
    Files.write(dir.resolve("b.duckdb.wal"), new byte[] {9});
    try (DuckdbEngine follower = open("b.duckdb", SYNC)) {
      assertEquals(2, count(follower, "SELECT count(*) FROM t"));
      assertTrue(Files.notExists(staged) && Files.notExists(dir.resolve("b.duckdb.wal")));
    }
  }

  @Test
  void aFileThatIsNotDuckdbFailsNamingItAndStaysAsItWas() throws Exception {
    Path f = dir.resolve("notduck.duckdb");
    byte[] text = "SQLite format 3\0 this is not a DuckDB file at all".getBytes();
    Files.write(f, text);
    HadbException e = assertThrows(HadbException.class, () -> open("notduck.duckdb", SYNC));
    assertEquals(ErrorCode.CORRUPT, e.code());
    assertTrue(e.getMessage().contains(f.toString()), e.getMessage());
    assertTrue(java.util.Arrays.equals(text, Files.readAllBytes(f)));
  }

  @Test
  void aFollowerFileChangedOutsideTheLibraryIsReportedThenRebuilt() throws Exception {
    try (DuckdbEngine leader = leader("a.duckdb", SYNC)) {
      leader.executor().execute("CREATE TABLE t(i INTEGER)", List.of());
      leader.executor().execute("INSERT INTO t VALUES (1)", List.of());
      try (DuckdbEngine follower = open("b.duckdb", SYNC)) {
        follower.replicator().pull();
      }
      // someone writes the follower's file with plain DuckDB
      try (var c = java.sql.DriverManager.getConnection("jdbc:duckdb:" + dir.resolve("b.duckdb"));
          var s = c.createStatement()) {
        s.execute("INSERT INTO t VALUES (666)");
        s.execute("CHECKPOINT");
      }
      leader.executor().execute("INSERT INTO t VALUES (2)", List.of());
      try (DuckdbEngine follower = open("b.duckdb", SYNC)) {
        follower.replicator().bootstrap();
        follower.replicator().pull();
        assertEquals(0, count(follower, "SELECT count(*) FROM t WHERE i = 666"));
        assertEquals(2, count(follower, "SELECT count(*) FROM t"));
      }
    }
  }

  @Test
  void promotionAndDemotionSwitchBetweenReadOnlyAndReadWrite() {
    try (DuckdbEngine a = leader("a.duckdb", SYNC); DuckdbEngine b = open("b.duckdb", SYNC)) {
      a.executor().execute("CREATE TABLE t(i INTEGER)", List.of());
      a.executor().execute("INSERT INTO t VALUES (1)", List.of());
      b.replicator().pull();
      a.replicator().stopPublishing();
      assertEquals(0, a.replicator().droppedCommits());
      assertEquals(ErrorCode.NOT_LEADER, assertThrows(HadbException.class,
          () -> a.executor().execute("INSERT INTO t VALUES (9)", List.of())).code());
      assertEquals(1, count(a, "SELECT count(*) FROM t"));
      long seq = b.replicator().appliedSeq();
      assertTrue(b.replicator().seal(2, seq + 1));
      b.replicator().startPublishing(2, seq + 2);
      b.executor().execute("INSERT INTO t VALUES (2)", List.of());
      a.replicator().pull();
      assertEquals(2, count(a, "SELECT count(*) FROM t"));
      b.replicator().stopPublishing();
      a.replicator().pull();
      long s2 = a.replicator().appliedSeq();
      assertTrue(a.replicator().seal(3, s2 + 1));
      a.replicator().startPublishing(3, s2 + 2);
      a.executor().execute("INSERT INTO t VALUES (3)", List.of());
      b.replicator().pull();
      assertEquals(3, count(b, "SELECT count(*) FROM t"));
    }
  }
}
