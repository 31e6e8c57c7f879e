package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlValue;
import io.hadb.changeset.ChainException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Bad objects stop a follower at the last good seq, naming the key (DESIGN §6.2). */
class BadInputTest extends LocalChainTest {
  static final String PREFIX = "bad/";

  SqliteEngine leader;

  @BeforeEach
  void tenChangesets() {
    leader = open("leader.db", SqliteOptions.defaults().withDurability(Durability.SYNC));
    leader.replicator().startPublishing(1, 1);
    leader.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY)", List.of());
    for (int i = 1; i <= 9; i++) {
      leader.executor().execute("INSERT INTO t (id) VALUES (?)", List.of(SqlValue.of(i)));
    }
    // seq 1: the empty database switched to WAL (page 1), seq 2: CREATE TABLE, seq 3..11: rows 1..9.
    assertEquals(11, leader.replicator().appliedSeq());
  }

  BadInputTest() {
    super(PREFIX);
  }

  @AfterEach
  void closeLeader() {
    leader.close(); // before the base class closes the storage
  }

  static String key(long seq) {
    return String.format(PREFIX + "changes/%020d.hadbp", seq);
  }

  SqliteEngine follower() {
    return open("follower.db", SqliteOptions.defaults());
  }

  static long count(SqliteEngine e) {
    return ((SqlValue.Int) e.executor().query("SELECT count(*) FROM t", List.of()).rows().get(0).get(0)).value();
  }

  /** The follower stops at seq 5 with an error naming key 6; its file holds seqs 1–5 (3 rows). */
  void assertStopsBefore6(ChainException.Kind kind) {
    try (SqliteEngine f = follower()) {
      ChainException e = assertThrows(ChainException.class, () -> f.replicator().bootstrap());
      assertEquals(kind, e.kind(), e.getMessage());
      assertTrue(e.getMessage().contains(key(6)), e.getMessage());
      assertEquals(5, f.replicator().appliedSeq());
      assertEquals(3, count(f));
      assertThrows(ChainException.class, () -> f.replicator().pull(), "stays stopped at the bad object");
      assertEquals(5, f.replicator().appliedSeq());
    }
  }

  @Test
  void a_corrupt_changeset_stops_the_follower_at_the_seq_before_it() {
    byte[] b = storage.get(key(6)).orElseThrow();
    b[b.length - 40] ^= 0x10;
    storage.put(key(6), b);
    assertStopsBefore6(ChainException.Kind.CORRUPT);
  }

  @Test
  void a_truncated_changeset_stops_the_follower_at_the_seq_before_it() {
    byte[] b = storage.get(key(6)).orElseThrow();
    storage.put(key(6), Arrays.copyOf(b, b.length / 2));
    assertStopsBefore6(ChainException.Kind.CORRUPT);
  }

  @Test
  void a_missing_changeset_stops_the_follower_at_the_seq_before_it() {
    storage.delete(key(6));
    assertStopsBefore6(ChainException.Kind.GAP);
  }

  @Test
  void a_follower_file_changed_outside_the_library_is_reported_then_rebuilt() throws Exception {
    try (SqliteEngine f = follower()) {
      f.replicator().bootstrap();
      try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dir.resolve("follower.db"));
          Statement s = c.createStatement()) {
        s.execute("INSERT INTO t (id) VALUES (1000)");
      }
      leader.executor().execute("INSERT INTO t (id) VALUES (10)", List.of());
      HadbException e = assertThrows(HadbException.class, () -> f.replicator().pull());
      assertEquals(ErrorCode.CORRUPT, e.code());
      assertTrue(e.getMessage().contains("changed outside the library"), e.getMessage());
      assertEquals(leader.replicator().appliedSeq(), f.replicator().pull(), "the next pull rebuilds from the chain");
      assertEquals(10, count(f));
      assertEquals(List.of(), f.executor().query("SELECT id FROM t WHERE id = 1000", List.of()).rows());
    }
  }

  @Test
  void a_follower_file_changed_while_no_process_had_it_open_is_reported_then_rebuilt() throws Exception {
    Path file = dir.resolve("follower.db");
    try (SqliteEngine f = follower()) {
      f.replicator().bootstrap();
    }
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("UPDATE t SET id = id + 1000 WHERE id = 5");
    }
    try (SqliteEngine f = follower()) {
      // Nothing new in the chain: the check must not wait for the next apply to notice.
      HadbException e = assertThrows(HadbException.class, () -> f.replicator().pull());
      assertEquals(ErrorCode.CORRUPT, e.code());
      assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("changed outside the library"),
          e.getMessage());
    }
    leader.executor().execute("INSERT INTO t (id) VALUES (10)", List.of());
    try (SqliteEngine f = follower()) {
      assertEquals(leader.replicator().appliedSeq(), f.replicator().pull(), "rebuilt from the chain, even after a restart");
      assertEquals(rows(leader), rows(f));
      assertEquals(List.of(List.of(SqlValue.of("ok"))), f.executor().query("PRAGMA integrity_check", List.of()).rows());
    }
    // Changed while closed again: bootstrap (what opening an HA database runs) rebuilds at once.
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement s = c.createStatement()) {
      s.execute("DELETE FROM t WHERE id < 5");
    }
    try (SqliteEngine f = follower()) {
      assertEquals(leader.replicator().appliedSeq(), f.replicator().bootstrap());
      assertEquals(rows(leader), rows(f));
    }
  }

  static List<List<SqlValue>> rows(SqliteEngine e) {
    return e.executor().query("SELECT id FROM t ORDER BY id", List.of()).rows();
  }
}
