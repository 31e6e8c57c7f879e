package io.hadb.engine.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read pool's hand-over without its monitor: nobody is left waiting, closing reaches every connection. */
class ReadPoolTest {
  @TempDir Path dir;
  Path db;

  @BeforeEach
  void database() throws Exception {
    db = dir.resolve("pool.db");
    try (Connection c = Connections.openWalWriter(db, 5000); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE t (v INTEGER)");
      s.execute("INSERT INTO t VALUES (1)");
    }
  }

  static long read(StatementCache c) throws Exception {
    try (ResultSet rs = c.prepare("SELECT v FROM t").statement().executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /**
   * Eight readers on one connection: each borrow either takes the connection from the slot,
   * from the monitor, or waits and is woken. A wake-up lost between the two paths leaves a
   * reader waiting for ever; the bound below is for that, not for speed.
   */
  @Test
  void readers_sharing_one_connection_all_finish() throws Exception {
    try (ReadPool pool = new ReadPool(db, 1, 5000)) {
      AtomicLong reads = new AtomicLong();
      AtomicReference<Throwable> failed = new AtomicReference<>();
      List<Thread> threads = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        Thread th = new Thread(() -> {
          try {
            for (int i = 0; i < 2_000; i++) {
              StatementCache c = pool.borrow();
              try {
                reads.addAndGet(read(c));
              } finally {
                pool.giveBack(c, true);
              }
            }
          } catch (Throwable e) {
            failed.set(e);
          }
        });
        th.setDaemon(true);
        threads.add(th);
        th.start();
      }
      long deadline = System.nanoTime() + 60_000_000_000L;
      for (Thread th : threads) {
        th.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        assertFalse(th.isAlive(), "a reader is still waiting for the pool's one connection");
      }
      assertEquals(null, failed.get());
      assertEquals(8 * 2_000, reads.get());
    }
  }

  @Test
  void the_connection_given_back_last_is_reused_and_closed_by_close_idle() throws Exception {
    try (ReadPool pool = new ReadPool(db, 2, 5000)) {
      StatementCache c = pool.borrow();
      pool.giveBack(c, true);
      assertSame(c, pool.borrow(), "taken from the slot");
      pool.giveBack(c, true);
      pool.closeIdle();
      assertTrue(c.connection().isClosed(), "closeIdle closes the connection waiting in the slot");
      StatementCache fresh = pool.borrow();
      assertEquals(1, read(fresh));
      pool.giveBack(fresh, true);
    }
  }

  @Test
  void a_closed_pool_refuses_readers_and_closes_what_comes_back() throws Exception {
    ReadPool pool = new ReadPool(db, 2, 5000);
    StatementCache lent = pool.borrow();
    StatementCache idle = pool.borrow();
    pool.giveBack(idle, true);
    pool.close();
    assertTrue(idle.connection().isClosed());
    HadbException e = assertThrows(HadbException.class, pool::borrow);
    assertEquals(ErrorCode.CLOSED, e.code());
    pool.giveBack(lent, true);
    assertTrue(lent.connection().isClosed(), "a connection given back after close is closed");
  }
}
