package io.hadb.engine.sqlite;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.engine.sqlite.internal.Connections;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.WalReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two properties the leader's checkpoint without the write lock rests on, checked against
 * SQLite itself: a pass never copies a frame past the pin (the frames after it are not shipped
 * yet), and a pin that SQLite served from read lock 0 lets the pass copy nothing at all.
 */
class PinnedBackfillTest {
  private static final int FRAME = 4096 + 24;

  @TempDir Path dir;
  Path db;
  DbFile file;
  Connection writer;
  PinnedBackfill backfill;

  @BeforeEach
  void open() throws SQLException {
    db = dir.resolve("pin.db");
    file = new DbFile(db);
    writer = Connections.openWalWriter(db, 5_000);
    try (Statement s = writer.createStatement()) {
      s.execute("CREATE TABLE t (v BLOB)");
    }
    backfill = new PinnedBackfill(db, file, 5_000);
  }

  @AfterEach
  void close() {
    backfill.close();
    Connections.closeQuietly(writer);
    file.close();
  }

  private void insert(int rows) throws SQLException {
    try (Statement s = writer.createStatement()) {
      s.execute("WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < " + rows
          + ") INSERT INTO t SELECT randomblob(3000) FROM n");
    }
  }

  private long walFrames() throws Exception {
    return (Files.size(WalReader.walOf(db)) - 32) / FRAME;
  }

  private byte[] walSalts() throws Exception {
    return Arrays.copyOfRange(Files.readAllBytes(WalReader.walOf(db)), 16, 24);
  }

  @Test
  void a_pass_copies_up_to_the_pin_and_not_the_frames_committed_after_it() throws Exception {
    insert(20);
    long atPin = walFrames();
    backfill.pin();
    insert(20); // committed after the pin: not shipped yet, so it must stay out of the file
    long all = walFrames();
    assertTrue(all > atPin + 10, "the second insert added frames: " + atPin + " -> " + all);
    long fileBefore = file.size();

    PinnedBackfill.Result r = backfill.backfill();

    assertEquals(atPin, r.copiedFrames(), "copied exactly the frames the pin sees");
    assertEquals(all, r.logFrames());
    assertFalse(r.logCopied());
    assertTrue(file.size() > fileBefore, "the pinned frames reached the file");
    // The writer goes on in the same log: no restart while frames are left to copy.
    byte[] salts = walSalts();
    insert(1);
    assertArrayEquals(salts, walSalts());

    backfill.unpin();
    PinnedBackfill.Result rest = backfill.backfill();
    assertTrue(rest.logCopied(), "without the pin the pass copies the rest: " + rest);
    insert(1);
    assertFalse(Arrays.equals(salts, walSalts()),
        "a log copied whole restarts at the next commit (why the publisher expects a restart)");
  }

  /**
   * Why the publisher expects a restart after a RESTART checkpoint that came back busy: it copied
   * the whole log before it waited for the reader, so the next commit after that reader starts
   * the log over. (Expecting it only when not busy reported that restart as CORRUPT.)
   */
  @Test
  void a_restart_kept_waiting_by_a_reader_has_still_copied_the_whole_log() throws Exception {
    insert(20);
    PinnedBackfill.Result r;
    try (Connection reader = Connections.openReader(db, 5_000)) {
      reader.setAutoCommit(false);
      try (Statement s = reader.createStatement(); ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
        rs.next(); // a reader at the end of the log
      }
      try (Connection impatient = Connections.openPlain(db, 100);
          Statement s = impatient.createStatement();
          ResultSet rs = s.executeQuery("PRAGMA wal_checkpoint(RESTART)")) {
        r = PinnedBackfill.Result.of(rs);
      }
      reader.setAutoCommit(true);
    }
    assertTrue(r.busy(), "the reader outlasted the busy timeout: " + r);
    assertTrue(r.logCopied(), "yet every frame was copied: " + r);
    byte[] salts = walSalts();
    insert(1);
    assertFalse(Arrays.equals(salts, walSalts()), "the next commit started the log over");
  }

  @Test
  void a_pin_on_read_lock_0_lets_the_pass_copy_nothing() throws Exception {
    insert(20);
    assertTrue(backfill.backfill().logCopied());
    backfill.pin(); // the log is copied whole: SQLite serves this read from the file (lock 0)
    insert(20); // restarts the log (allowed: every frame in it was copied) and adds new frames
    long fileBefore = file.size();

    PinnedBackfill.Result r = backfill.backfill();

    assertFalse(r.logCopied(), "nothing may be copied past the pin: " + r);
    assertTrue(r.copiedFrames() <= 0, "copied " + r.copiedFrames() + " frames past the pin");
    assertEquals(fileBefore, file.size(), "the database file did not grow");
    backfill.unpin();
    assertTrue(backfill.backfill().logCopied());
    assertTrue(file.size() > fileBefore);
  }
}
