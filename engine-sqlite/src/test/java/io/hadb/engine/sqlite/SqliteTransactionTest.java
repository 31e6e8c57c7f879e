package io.hadb.engine.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.SqlValue;
import io.hadb.api.engine.Transaction;
import io.hadb.chain.WriteListener;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An interactive transaction and the write listener: a commit waits for durability (SYNC's
 * wait), a rollback does not. A rollback that waited would fail {@code UNKNOWN_OUTCOME}
 * ("committed locally") whenever publishing stopped meanwhile, for a transaction that applied
 * nothing: the listener here fails every wait as a stopped publisher does.
 */
class SqliteTransactionTest {
  @TempDir Path dir;
  SqliteExecutor ex;
  final AtomicInteger counted = new AtomicInteger();
  final AtomicInteger waited = new AtomicInteger();

  @BeforeEach
  void open() {
    ex = SqliteExecutor.open(dir.resolve("db.sqlite"), SqliteOptions.defaults());
    ex.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)", List.of());
    ex.setWriteListener(new WriteListener() {
      @Override
      public long afterWrite() {
        return counted.incrementAndGet();
      }

      @Override
      public void afterUnlock(long token) {
        waited.incrementAndGet();
        throw HadbException.unknownOutcome("committed locally, but publishing stopped (as a stopped publisher"
            + " answers)", null);
      }
    });
  }

  @AfterEach
  void close() {
    ex.close();
  }

  @Test
  void a_rollback_does_not_wait_for_durability_and_applies_nothing() {
    Transaction tx = ex.begin();
    tx.execute("INSERT INTO t (v) VALUES ('rolled back')", List.of());
    tx.rollback();
    assertTrue(tx.isEnded());
    assertEquals(0, waited.get(), "a rollback waited for durability");
    assertEquals(1, counted.get(), "the end is counted under the lock, as any write");
    assertFalse(ex.writeLock().isLocked(), "the write lock is released");
    assertEquals(SqlValue.of(0L), ex.query("SELECT count(*) FROM t", List.of()).rows().get(0).get(0));
  }

  @Test
  void a_commit_waits_for_durability() {
    Transaction tx = ex.begin();
    tx.execute("INSERT INTO t (v) VALUES ('committed')", List.of());
    HadbException e = assertThrows(HadbException.class, tx::commit);
    assertEquals(ErrorCode.UNKNOWN_OUTCOME, e.code(), "the listener's answer reaches the caller");
    assertEquals(1, waited.get());
    assertFalse(ex.writeLock().isLocked());
    assertEquals(SqlValue.of(1L), ex.query("SELECT count(*) FROM t", List.of()).rows().get(0).get(0));
  }
}
