package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.VerifyReport;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlValue;
import io.hadb.changeset.DecodeOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RestoreTest extends LocalChainTest {
  static final String PREFIX = "r/";

  long seqAt10;
  Instant after10;

  @BeforeEach
  void chain() throws Exception {
    try (SqliteEngine leader = open("leader.db", SqliteOptions.defaults().withDurability(Durability.SYNC))) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", List.of());
      insert(leader, 1, 10);
      seqAt10 = leader.replicator().appliedSeq();
      Thread.sleep(5);
      after10 = Instant.now();
      Thread.sleep(5);
      insert(leader, 11, 20);
      leader.replicator().snapshot();
      insert(leader, 21, 30);
    }
  }

  RestoreTest() {
    super(PREFIX);
  }

  static void insert(SqliteEngine e, int from, int to) {
    for (int i = from; i <= to; i++) {
      e.executor().execute("INSERT INTO t (id, v) VALUES (?, ?)", List.of(SqlValue.of(i), SqlValue.of("v" + i)));
    }
  }

  long countIn(Path file) {
    try (SqliteEngine e = SqliteEngine.open(file, storage, PREFIX, SqliteOptions.defaults())) {
      return ((SqlValue.Int) e.executor().query("SELECT count(*) FROM t", List.of()).rows().get(0).get(0)).value();
    }
  }

  @Test
  void restores_latest_a_seq_and_a_point_in_time_into_new_files() {
    SqliteOptions o = SqliteOptions.defaults();
    long latest = SqliteRestore.restore(storage, PREFIX, dir.resolve("latest.db"), RestorePoint.latest(), o);
    assertEquals(30, countIn(dir.resolve("latest.db")));
    assertEquals(seqAt10, SqliteRestore.restore(storage, PREFIX, dir.resolve("seq.db"), RestorePoint.seq(seqAt10), o));
    assertEquals(10, countIn(dir.resolve("seq.db")));
    assertEquals(seqAt10, SqliteRestore.restore(storage, PREFIX, dir.resolve("time.db"), RestorePoint.time(after10), o));
    assertEquals(10, countIn(dir.resolve("time.db")));
    assertTrue(latest > seqAt10);
    assertFalse(Files.exists(dir.resolve("latest.db.restoring")), "no side file left");
  }

  @Test
  void a_restored_file_follows_the_chain_on() {
    SqliteRestore.restore(storage, PREFIX, dir.resolve("r.db"), RestorePoint.seq(seqAt10), SqliteOptions.defaults());
    try (SqliteEngine e = open("r.db", SqliteOptions.defaults())) {
      assertEquals(seqAt10, e.replicator().appliedSeq());
      e.replicator().pull();
      assertEquals(SqlValue.of(30L), e.executor().query("SELECT count(*) FROM t", List.of()).rows().get(0).get(0));
    }
  }

  @Test
  void restore_refuses_an_existing_target_and_a_seq_past_the_end() throws Exception {
    Files.writeString(dir.resolve("taken.db"), "x");
    HadbException e = assertThrows(HadbException.class, () -> SqliteRestore.restore(storage, PREFIX,
        dir.resolve("taken.db"), RestorePoint.latest(), SqliteOptions.defaults()));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    HadbException past = assertThrows(HadbException.class, () -> SqliteRestore.restore(storage, PREFIX,
        dir.resolve("past.db"), RestorePoint.seq(10_000), SqliteOptions.defaults()));
    assertEquals(ErrorCode.NOT_FOUND, past.code());
    assertFalse(Files.exists(dir.resolve("past.db")));
  }

  @Test
  void verify_walks_the_chain_and_names_the_first_bad_object() {
    VerifyReport good = SqliteRestore.verify(storage, PREFIX, DecodeOptions.defaults());
    assertTrue(good.ok(), good.toString());
    assertEquals(1, good.firstSeq());
    assertEquals(1, good.snapshots());
    assertEquals(good.lastSeq(), good.changesets());

    String fifth = String.format(PREFIX + "changes/%020d.hadbp", 5);
    byte[] bytes = storage.get(fifth).orElseThrow();
    bytes[bytes.length / 2] ^= 1;
    storage.put(fifth, bytes);
    String seventh = String.format(PREFIX + "changes/%020d.hadbp", 7);
    storage.delete(seventh);
    VerifyReport bad = SqliteRestore.verify(storage, PREFIX, DecodeOptions.defaults());
    assertEquals(java.util.Optional.of(fifth), bad.firstBadKey(), bad.toString());
    assertEquals(4, bad.lastSeq());

    bytes[bytes.length / 2] ^= 1;
    storage.put(fifth, bytes);
    VerifyReport missing = SqliteRestore.verify(storage, PREFIX, DecodeOptions.defaults());
    assertEquals(java.util.Optional.of(seventh), missing.firstBadKey(), missing.toString());
  }
}
