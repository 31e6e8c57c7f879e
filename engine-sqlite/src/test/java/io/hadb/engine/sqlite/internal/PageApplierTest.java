package io.hadb.engine.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Leader WAL frames applied into a rollback-journal follower file while readers run. */
class PageApplierTest {
  static final int ACCOUNTS = 40;
  static final long TOTAL = ACCOUNTS * 1000L;

  @TempDir Path dir;

  static void exec(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  static List<String> dump(Connection c) throws SQLException {
    List<String> rows = new ArrayList<>();
    try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT id, balance, length(pad) FROM accounts ORDER BY id")) {
      while (rs.next()) {
        rows.add(rs.getLong(1) + ":" + rs.getLong(2) + ":" + rs.getLong(3));
      }
    }
    return rows;
  }

  @Test
  void readers_never_see_a_torn_transfer() throws Exception {
    Path leaderDb = dir.resolve("leader.db");
    Path followerDb = dir.resolve("follower.db");
    Random rnd = new Random(42);
    try (Connection leader = Connections.openWalWriter(leaderDb, 5000);
        WalReader wal = new WalReader(WalReader.walOf(leaderDb));
        DbFile file = new DbFile(followerDb);
        PageApplier applier = new PageApplier(file, 5000)) {
      exec(leader, "CREATE TABLE accounts (id INTEGER PRIMARY KEY, balance INTEGER NOT NULL, pad BLOB)");
      // Padding spreads the accounts over many pages, so one transfer changes two pages.
      exec(leader, "INSERT INTO accounts SELECT value, 1000, randomblob(1500) FROM (WITH RECURSIVE g(value) AS"
          + " (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < " + ACCOUNTS + ") SELECT value FROM g)");
      applier.apply(new CapturedPages(wal, List.of(wal.readCommitted())));
      try (Connection check = Connections.openReader(followerDb, 5000)) {
        assertEquals("wal".equals(single(check, "PRAGMA journal_mode")) ? "bad" : "ok", "ok");
        assertEquals(String.valueOf(TOTAL), single(check, "SELECT sum(balance) FROM accounts"));
      }

      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong reads = new AtomicLong();
      List<String> torn = Collections.synchronizedList(new ArrayList<>());
      List<Thread> readers = new ArrayList<>();
      for (int t = 0; t < 3; t++) {
        Thread th = new Thread(() -> {
          try (Connection r = Connections.openReader(followerDb, 10_000)) {
            while (!stop.get()) {
              try (Statement s = r.createStatement();
                  ResultSet rs = s.executeQuery("SELECT sum(balance), count(*) FROM accounts")) {
                rs.next();
                if (rs.getLong(1) != TOTAL || rs.getLong(2) != ACCOUNTS) {
                  torn.add("sum=" + rs.getLong(1) + " count=" + rs.getLong(2));
                }
              }
              reads.incrementAndGet();
            }
          } catch (Exception e) {
            torn.add("reader failed: " + e);
          }
        });
        th.start();
        readers.add(th);
      }
      int applies = 0;
      try {
        for (int i = 0; i < 600; i++) {
          int transfers = 1 + rnd.nextInt(3);
          for (int k = 0; k < transfers; k++) {
            int from = 1 + rnd.nextInt(ACCOUNTS);
            // SQLite skips rewriting an identical row, so a no-op transfer leaves no commit frame.
            int to = 1 + (from + rnd.nextInt(ACCOUNTS - 1)) % ACCOUNTS;
            int amount = 1 + rnd.nextInt(50);
            exec(leader, "BEGIN IMMEDIATE");
            exec(leader, "UPDATE accounts SET balance = balance - " + amount + " WHERE id = " + from);
            exec(leader, "UPDATE accounts SET balance = balance + " + amount + " WHERE id = " + to);
            exec(leader, "COMMIT");
          }
          CapturedPages pages = new CapturedPages(wal, List.of(wal.readCommitted()));
          assertEquals(transfers, pages.commits(), "iteration " + i + " wal position " + wal.position());
          applier.apply(pages);
          applies++;
          if (i % 100 == 99) {
            exec(leader, "PRAGMA wal_checkpoint(TRUNCATE)");
            wal.expectRestart();
          }
        }
      } finally {
        stop.set(true);
        for (Thread th : readers) {
          th.join();
        }
      }
      assertEquals(List.of(), torn, "torn or failed reads");
      assertTrue(reads.get() > 0, "readers ran");
      try (Connection check = Connections.openReader(followerDb, 5000)) {
        assertEquals(dump(leader), dump(check));
        assertEquals("ok", single(check, "PRAGMA integrity_check"));
      }
      System.out.println("applies=" + applies + " reads=" + reads.get() + " torn=" + torn.size());
      assertTrue(Files.size(followerDb) > 0);
    }
  }

  @Test
  void vacuum_shrink_truncates_the_follower_file() throws Exception {
    Path leaderDb = dir.resolve("leader.db");
    Path followerDb = dir.resolve("follower.db");
    try (Connection leader = Connections.openWalWriter(leaderDb, 5000);
        WalReader wal = new WalReader(WalReader.walOf(leaderDb));
        DbFile file = new DbFile(followerDb);
        PageApplier applier = new PageApplier(file, 5000)) {
      exec(leader, "CREATE TABLE t (v BLOB)");
      exec(leader, "INSERT INTO t SELECT randomblob(4000) FROM (WITH RECURSIVE g(value) AS"
          + " (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < 200) SELECT value FROM g)");
      applier.apply(new CapturedPages(wal, List.of(wal.readCommitted())));
      long big = Files.size(followerDb);
      exec(leader, "DELETE FROM t WHERE rowid > 10");
      exec(leader, "VACUUM");
      WalCapture c = wal.readCommitted();
      applier.apply(new CapturedPages(wal, List.of(c)));
      assertEquals(c.dbSizePages() * 4096, Files.size(followerDb));
      assertTrue(Files.size(followerDb) < big / 5, Files.size(followerDb) + " vs " + big);
      try (Connection check = Connections.openReader(followerDb, 5000)) {
        assertEquals("10", single(check, "SELECT count(*) FROM t"));
        assertEquals("ok", single(check, "PRAGMA integrity_check"));
      }
    }
  }

  /**
   * The first apply into an empty file (a fresh follower) while readers already poll it, as
   * {@code awaitReady} does: a reader sees no database or the whole first commit, never a file
   * with pages but no page 1 (SQLite answers that with SQLITE_NOTADB).
   */
  @Test
  void readers_of_an_empty_file_never_see_a_half_filled_one() throws Exception {
    Path leaderDb = dir.resolve("leader.db");
    List<String> failed = Collections.synchronizedList(new ArrayList<>());
    AtomicLong reads = new AtomicLong();
    try (Connection leader = Connections.openWalWriter(leaderDb, 5000);
        WalReader wal = new WalReader(WalReader.walOf(leaderDb))) {
      exec(leader, "CREATE TABLE t (v BLOB)");
      exec(leader, "INSERT INTO t SELECT randomblob(3000) FROM (WITH RECURSIVE g(value) AS"
          + " (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < 300) SELECT value FROM g)");
      WalCapture first = wal.readCommitted();
      for (int round = 0; round < 20; round++) {
        Path followerDb = dir.resolve("follower-" + round + ".db");
        try (DbFile file = new DbFile(followerDb); PageApplier applier = new PageApplier(file, 5000)) {
          AtomicBoolean stop = new AtomicBoolean();
          java.util.concurrent.CountDownLatch polling = new java.util.concurrent.CountDownLatch(2);
          List<Thread> readers = new ArrayList<>();
          for (int t = 0; t < 2; t++) {
            Thread th = new Thread(() -> {
              try (Connection r = Connections.openReader(followerDb, 10_000)) {
                polling.countDown();
                while (!stop.get()) {
                  String n = single(r, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
                  if (!n.equals("0") && !(n.equals("1") && single(r, "SELECT count(*) FROM t").equals("300"))) {
                    failed.add("tables=" + n);
                  }
                  reads.incrementAndGet();
                }
              } catch (Exception e) {
                failed.add("reader failed: " + e.getMessage());
              }
            });
            th.start();
            readers.add(th);
          }
          polling.await(10, java.util.concurrent.TimeUnit.SECONDS); // both readers have the empty file open before the first fill
          try {
            applier.apply(new CapturedPages(wal, List.of(first)));
          } finally {
            stop.set(true);
            for (Thread th : readers) {
              th.join();
            }
          }
          try (Connection check = Connections.openReader(followerDb, 5000)) {
            assertEquals("300", single(check, "SELECT count(*) FROM t"));
            assertEquals("ok", single(check, "PRAGMA integrity_check"));
          }
        }
      }
    }
    assertEquals(List.of(), failed.subList(0, Math.min(3, failed.size())), failed.size() + " failed reads");
    assertTrue(reads.get() > 0, "readers ran");
  }

  /**
   * A crash mid-apply can leave the schema's pages half new and half old. The applier must still
   * open on that file (it only needs SQLite's locks), so that applying the staged images again
   * repairs it; a connection that reads the schema at open failed here with SQLITE_CORRUPT.
   */
  @Test
  void an_applier_opens_on_a_file_whose_schema_pages_are_torn_and_repairs_it() throws Exception {
    Path leaderDb = dir.resolve("leader.db");
    Path followerDb = dir.resolve("follower.db");
    try (Connection leader = Connections.openWalWriter(leaderDb, 5000);
        WalReader wal = new WalReader(WalReader.walOf(leaderDb))) {
      // Enough tables that the schema spans pages past page 1.
      for (int i = 0; i < 120; i++) {
        exec(leader, "CREATE TABLE t" + i + " (id INTEGER PRIMARY KEY, " + "c".repeat(40) + " TEXT)");
      }
      WalCapture all = wal.readCommitted();
      applyOnce(followerDb, wal, all);
      // The crash: every page after page 1 torn to zeros, page 1 already new.
      long pages = Files.size(followerDb) / 4096;
      try (DbFile file = new DbFile(followerDb)) {
        for (long p = 2; p <= pages; p++) {
          file.write((p - 1) * 4096, new byte[4096], 4096);
        }
        file.force();
      }
      applyOnce(followerDb, wal, all);
      try (Connection check = Connections.openReader(followerDb, 5000)) {
        assertEquals("120", single(check, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"));
        assertEquals("ok", single(check, "PRAGMA integrity_check"));
      }
    }
  }

  /**
   * An apply interrupted after page 1 reached the disk but before the pages that grow the file
   * did (a power loss persists writes in any order): page 1 names pages the file lacks, which
   * SQLite refuses even at BEGIN. The repair, applying the same images again, must still work.
   */
  @Test
  void a_page_1_naming_pages_the_file_lacks_is_repaired_by_applying_again() throws Exception {
    Path leaderDb = dir.resolve("leader.db");
    Path followerDb = dir.resolve("follower.db");
    try (Connection leader = Connections.openWalWriter(leaderDb, 5000);
        WalReader wal = new WalReader(WalReader.walOf(leaderDb))) {
      exec(leader, "CREATE TABLE t (v BLOB)");
      WalCapture first = wal.readCommitted();
      applyOnce(followerDb, wal, first);
      long before = Files.size(followerDb);
      exec(leader, "INSERT INTO t SELECT randomblob(3000) FROM (WITH RECURSIVE g(value) AS"
          + " (SELECT 1 UNION ALL SELECT value + 1 FROM g WHERE value < 50) SELECT value FROM g)");
      WalCapture grow = wal.readCommitted();
      CapturedPages growPages = new CapturedPages(wal, List.of(grow));
      // The interrupted apply: only page 1 of the growing commit is in the file.
      try (DbFile file = new DbFile(followerDb)) {
        growPages.forEach((no, data) -> {
          if (no == 1) {
            byte[] p1 = data.clone();
            DbHeader.patchForFollower(p1, DbHeader.changeCounter(p1) + 7, growPages.dbSizePages());
            file.write(0, p1, p1.length);
          }
        });
        file.force();
      }
      assertEquals(before, Files.size(followerDb), "the file did not grow");
      applyOnce(followerDb, wal, grow);
      try (Connection check = Connections.openReader(followerDb, 5000)) {
        assertEquals("50", single(check, "SELECT count(*) FROM t"));
        assertEquals("ok", single(check, "PRAGMA integrity_check"));
      }
    }
  }

  /** A fresh applier on {@code file} applies {@code capture} and closes, as a follower that restarts does. */
  private static void applyOnce(Path file, WalReader wal, WalCapture capture) throws Exception {
    try (DbFile f = new DbFile(file); PageApplier applier = new PageApplier(f, 5000)) {
      applier.apply(new CapturedPages(wal, List.of(capture)));
    }
  }

  static String single(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      return Connections.single(s, sql);
    }
  }
}
