package io.hadb.engine.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.conformance.gen.Gen;
import io.hadb.conformance.gen.Property;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reads WAL files written by real SQLite (sqlite-jdbc) and rebuilds the database from them. */
class WalReaderTest {
  @TempDir Path dir;
  Path db;
  Connection conn;

  @BeforeEach
  void open() {
    db = dir.resolve("src.db");
    conn = Connections.openWalWriter(db, 5000);
  }

  @AfterEach
  void close() throws SQLException {
    conn.close();
  }

  void sql(String... statements) throws SQLException {
    try (Statement s = conn.createStatement()) {
      for (String q : statements) {
        s.execute(q);
      }
    }
  }

  String checkpoint(String mode) throws SQLException {
    try (Statement s = conn.createStatement(); ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
      rs.next();
      return rs.getInt(1) + "/" + rs.getInt(2) + "/" + rs.getInt(3);
    }
  }

  /** Writes the captured pages into {@code replica} and truncates it to the committed size. */
  static void apply(WalReader reader, WalCapture c, Path replica) throws IOException {
    if (c.isEmpty()) {
      return;
    }
    int ps = c.header().pageSize();
    byte[] page = new byte[ps];
    try (FileChannel out = FileChannel.open(replica, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
      for (Map.Entry<Long, Long> e : c.pages().entrySet()) {
        if (e.getKey() > c.dbSizePages()) {
          continue;
        }
        reader.readPage(c.header(), e.getValue(), e.getKey(), page);
        out.write(ByteBuffer.wrap(page), (e.getKey() - 1) * ps);
      }
      out.truncate(c.dbSizePages() * ps);
    }
  }

  @Test
  void rebuilds_the_database_from_committed_frames() throws Exception {
    sql("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)",
        "INSERT INTO t VALUES (1, 'one')",
        "INSERT INTO t SELECT value, hex(randomblob(300)) FROM (WITH RECURSIVE g(value) AS (SELECT 2 UNION ALL SELECT value + 1 FROM g WHERE value < 200) SELECT value FROM g)");
    try (WalReader r = new WalReader(WalReader.walOf(db))) {
      WalCapture c = r.readCommitted();
      assertEquals(3, c.commits());
      assertFalse(c.restarted());
      assertEquals(4096, c.header().pageSize());
      Path replica = dir.resolve("replica.db");
      apply(r, c, replica);
      assertEquals(c.dbSizePages() * 4096, Files.size(replica));
      assertTrue(r.readCommitted().isEmpty(), "nothing new");
      sql("UPDATE t SET v = 'uno' WHERE id = 1", "DELETE FROM t WHERE id > 150");
      WalCapture c2 = r.readCommitted();
      assertEquals(2, c2.commits());
      apply(r, c2, replica);
      checkpoint("TRUNCATE");
      assertArrayEquals(Files.readAllBytes(db), Files.readAllBytes(replica));
    }
  }

  @Test
  void uncommitted_frames_are_not_returned() throws Exception {
    sql("CREATE TABLE t (v)");
    try (WalReader r = new WalReader(WalReader.walOf(db))) {
      assertEquals(1, r.readCommitted().commits());
      // A small cache makes SQLite spill the open transaction's pages into the WAL before COMMIT.
      sql("PRAGMA cache_size=5", "BEGIN", "INSERT INTO t SELECT randomblob(1000) FROM (WITH RECURSIVE g(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < 500) SELECT value FROM g)");
      long walSize = Files.size(WalReader.walOf(db));
      assertTrue(walSize > 100 * 4096L, "the transaction spilled into the WAL: " + walSize);
      WalCapture mid = r.readCommitted();
      assertTrue(mid.isEmpty(), "frames of an open transaction are not committed");
      sql("COMMIT");
      WalCapture done = r.readCommitted();
      assertEquals(1, done.commits());
      assertTrue(done.pages().size() > 100);
    }
  }

  /** A three-commit WAL copied aside, for corrupting. */
  Path threeCommitWal() throws Exception {
    sql("CREATE TABLE t (v)", "INSERT INTO t VALUES (randomblob(100))", "INSERT INTO t VALUES (randomblob(100))");
    Path copy = dir.resolve("copy.db-wal");
    Files.copy(WalReader.walOf(db), copy);
    return copy;
  }

  /** File offsets of every frame in a WAL, and which of them commit. */
  static long[] frameOffsets(Path wal) throws IOException {
    byte[] all = Files.readAllBytes(wal);
    int ps = WalChecksum.be32(all, 8);
    int n = (all.length - 32) / (24 + ps);
    long[] offs = new long[n];
    for (int i = 0; i < n; i++) {
      offs[i] = 32L + (long) i * (24 + ps);
    }
    return offs;
  }

  static int commitIndex(Path wal, int nth) throws IOException {
    byte[] all = Files.readAllBytes(wal);
    long[] offs = frameOffsets(wal);
    int seen = 0;
    for (int i = 0; i < offs.length; i++) {
      if (WalChecksum.be32(all, (int) offs[i] + 4) != 0 && ++seen == nth) {
        return i;
      }
    }
    throw new AssertionError("no commit #" + nth);
  }

  static void flip(Path file, long at) throws IOException {
    byte[] all = Files.readAllBytes(file);
    all[(int) at] ^= 0x5a;
    Files.write(file, all);
  }

  @Test
  void a_corrupted_frame_ends_the_log_at_the_last_commit_before_it() throws Exception {
    Path wal = threeCommitWal();
    int second = commitIndex(wal, 2);
    flip(wal, frameOffsets(wal)[second] + 24 + 100); // page data of commit 2's commit frame
    try (WalReader r = new WalReader(wal)) {
      assertEquals(1, r.readCommitted().commits());
    }
  }

  @Test
  void a_frame_with_foreign_salts_ends_the_log() throws Exception {
    Path wal = threeCommitWal();
    int third = commitIndex(wal, 3);
    flip(wal, frameOffsets(wal)[third] + 9); // salt-1 byte
    try (WalReader r = new WalReader(wal)) {
      assertEquals(2, r.readCommitted().commits());
    }
  }

  @Test
  void a_torn_last_frame_is_ignored() throws Exception {
    Path wal = threeCommitWal();
    long size = Files.size(wal);
    try (FileChannel ch = FileChannel.open(wal, StandardOpenOption.WRITE)) {
      ch.truncate(size - 100);
    }
    try (WalReader r = new WalReader(wal)) {
      assertEquals(2, r.readCommitted().commits());
    }
  }

  @Test
  void a_corrupted_header_yields_nothing() throws Exception {
    Path wal = threeCommitWal();
    flip(wal, 13); // checkpoint sequence, covered by the header checksum
    try (WalReader r = new WalReader(wal)) {
      assertTrue(r.readCommitted().isEmpty());
    }
  }

  @Test
  void big_endian_checksums_are_read_too() throws Exception {
    Path wal = threeCommitWal();
    byte[] b = Files.readAllBytes(wal);
    WalChecksum.putBe32(b, 0, WalHeader.MAGIC_BE);
    int[] sum = new int[2];
    WalChecksum.update(true, b, 0, 24, sum);
    WalChecksum.putBe32(b, 24, sum[0]);
    WalChecksum.putBe32(b, 28, sum[1]);
    int ps = WalChecksum.be32(b, 8);
    for (long off : frameOffsets(wal)) {
      int o = (int) off;
      WalChecksum.update(true, b, o, 8, sum);
      WalChecksum.update(true, b, o + 24, ps, sum);
      WalChecksum.putBe32(b, o + 16, sum[0]);
      WalChecksum.putBe32(b, o + 20, sum[1]);
    }
    Files.write(wal, b);
    try (WalReader r = new WalReader(wal)) {
      WalCapture c = r.readCommitted();
      assertTrue(c.header().bigEndianChecksum());
      assertEquals(3, c.commits());
    }
  }

  @Test
  void a_restart_we_caused_is_not_a_loss_and_one_we_did_not_is_reported() throws Exception {
    sql("CREATE TABLE t (v)", "INSERT INTO t VALUES (1)");
    try (WalReader r = new WalReader(WalReader.walOf(db))) {
      WalCapture first = r.readCommitted();
      assertEquals(2, first.commits());
      assertEquals("0/" + 3 + "/3", checkpoint("RESTART").replaceAll("/\\d+/", "/3/"));
      r.expectRestart();
      sql("INSERT INTO t VALUES (2)");
      WalCapture second = r.readCommitted();
      assertFalse(second.restarted());
      assertEquals(1, second.commits());
      assertTrue(second.header().salt1() != first.header().salt1()
          || second.header().salt2() != first.header().salt2());
      // now a checkpoint behind the reader's back
      checkpoint("TRUNCATE");
      assertTrue(r.readCommitted().isEmpty());
      sql("INSERT INTO t VALUES (3)");
      WalCapture third = r.readCommitted();
      assertTrue(third.restarted());
      assertEquals(1, third.commits());
      // a page captured in an old generation can no longer be read as if it were current
      long off = second.pages().firstEntry().getValue();
      HadbException e = assertThrows(HadbException.class, () -> r.readPage(second.header(), off,
          second.pages().firstKey(), new byte[4096]));
      assertEquals(ErrorCode.CORRUPT, e.code());
    }
  }

  @Test
  void an_expected_restart_overtaken_by_new_commits_no_longer_hides_a_foreign_one() throws Exception {
    sql("CREATE TABLE t (v)", "INSERT INTO t VALUES (1)");
    try (WalReader r = new WalReader(WalReader.walOf(db))) {
      r.readCommitted();
      r.expectRestart(); // as after a checkpoint of ours that copied the whole log
      sql("INSERT INTO t VALUES (2)"); // but the log went on instead (a reader held it)
      WalCapture same = r.readCommitted();
      assertFalse(same.restarted());
      assertEquals(1, same.commits());
      checkpoint("TRUNCATE"); // now another process starts the log over
      sql("INSERT INTO t VALUES (3)");
      assertTrue(r.readCommitted().restarted(), "the foreign restart is reported");
    }
  }

  @Test
  void replica_built_from_captures_is_byte_identical() {
    Property.named("a replica built from captures is byte identical").tries(12).check(c ->
        replicaIsByteIdentical(c.draw(Gen.ints(1, 40)), c.draw(Gen.longs())));
  }

  private static void replicaIsByteIdentical(int steps, long seed) throws Exception {
    // One directory per try: each try builds its own source and replica from scratch.
    Path d = Files.createTempDirectory("walprop");
    Path src = d.resolve("src.db");
    Path replica = d.resolve("replica.db");
    Random rnd = new Random(seed);
    try (Connection c = Connections.openWalWriter(src, 5000);
        WalReader r = new WalReader(WalReader.walOf(src))) {
      exec(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)");
      apply(r, r.readCommitted(), replica);
      for (int i = 0; i < steps; i++) {
        switch (rnd.nextInt(6)) {
          case 0, 1 -> exec(c, "INSERT INTO t (v) SELECT randomblob(" + rnd.nextInt(3000)
              + ") FROM (WITH RECURSIVE g(value) AS (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < " + (1 + rnd.nextInt(30)) + ") SELECT value FROM g)");
          case 2 -> exec(c, "UPDATE t SET v = randomblob(" + rnd.nextInt(500) + ") WHERE id % "
              + (2 + rnd.nextInt(5)) + " = 0");
          case 3 -> exec(c, "DELETE FROM t WHERE id % " + (2 + rnd.nextInt(4)) + " = 1");
          case 4 -> exec(c, "VACUUM");
          default -> {
            // ship first, then checkpoint: the order the replicator keeps
            apply(r, r.readCommitted(), replica);
            try (Statement cs = c.createStatement();
                ResultSet rs = cs.executeQuery("PRAGMA wal_checkpoint(" + (rnd.nextBoolean() ? "TRUNCATE" : "RESTART") + ")")) {
              rs.next();
              assertEquals(0, rs.getInt(1), "checkpoint not blocked");
            }
            r.expectRestart();
          }
        }
        if (rnd.nextBoolean()) {
          WalCapture cap = r.readCommitted();
          assertFalse(cap.restarted());
          apply(r, cap, replica);
        }
      }
      WalCapture last = r.readCommitted();
      assertFalse(last.restarted());
      apply(r, last, replica);
      try (Statement cs = c.createStatement(); ResultSet rs = cs.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
        rs.next();
        assertEquals(0, rs.getInt(1));
      }
    }
    try {
      assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(replica));
    } finally {
      try (var files = Files.list(d)) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(d);
    }
  }

  /** A fresh statement each time: sqlite-jdbc keeps a reused Statement's last step pending. */
  static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }
}
