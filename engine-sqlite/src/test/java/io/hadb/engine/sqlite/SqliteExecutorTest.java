package io.hadb.engine.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.engine.sqlite.internal.Connections;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteExecutorTest {
  @TempDir Path dir;
  SqliteExecutor ex;

  @BeforeEach
  void open() {
    ex = SqliteExecutor.open(dir.resolve("db.sqlite"), SqliteOptions.defaults());
  }

  @AfterEach
  void close() {
    ex.close();
  }

  @Test
  void typed_values_round_trip_with_their_storage_class() {
    ex.execute("CREATE TABLE v (id INTEGER PRIMARY KEY, a)", List.of());
    List<SqlValue> values = List.of(SqlValue.NULL, SqlValue.of(0L), SqlValue.of(Long.MAX_VALUE),
        SqlValue.of(Long.MIN_VALUE), SqlValue.of(1.5), SqlValue.of(-0.25), SqlValue.of(""),
        SqlValue.of("héllo ✓"), SqlValue.of(new byte[0]), SqlValue.of(new byte[] {0, 1, -1}),
        SqlValue.of(42L), SqlValue.of("42"));
    for (SqlValue v : values) {
      ex.execute("INSERT INTO v (a) VALUES (?)", List.of(v));
    }
    QueryResult r = ex.query("SELECT a FROM v ORDER BY id", List.of());
    assertEquals(List.of("a"), r.columns());
    List<SqlValue> back = r.rows().stream().map(row -> row.get(0)).toList();
    assertEquals(values, back);
  }

  @Test
  void execute_reports_rows_affected_and_last_insert_id() {
    ex.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x)", List.of());
    ExecResult a = ex.execute("INSERT INTO t (id, x) VALUES (?, ?)", List.of(SqlValue.of(7L), SqlValue.of("a")));
    assertEquals(new ExecResult(1, 7), a);
    ex.execute("INSERT INTO t (x) VALUES ('b')", List.of());
    ExecResult u = ex.execute("UPDATE t SET x = 'c'", List.of());
    assertEquals(2, u.rowsAffected());
    assertEquals(8, u.lastInsertId());
    // DDL changes no rows; SQLite's changes() would still say 2 (the UPDATE's count)
    assertEquals(new ExecResult(0, 8), ex.execute("CREATE INDEX t_x ON t(x)", List.of()));
    // RETURNING runs through the row-returning path and still counts its rows
    assertEquals(new ExecResult(1, 9), ex.execute("INSERT INTO t (x) VALUES ('d') RETURNING id", List.of()));
  }

  @Test
  void a_batch_is_all_or_nothing() {
    ex.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x NOT NULL)", List.of());
    List<ExecResult> ok = ex.executeBatch(List.of(
        SqlStatement.of("INSERT INTO t VALUES (1, 'a')"),
        SqlStatement.of("INSERT INTO t VALUES (?, ?)", 2, "b")));
    assertEquals(2, ok.size());
    HadbException e = assertThrows(HadbException.class, () -> ex.executeBatch(List.of(
        SqlStatement.of("INSERT INTO t VALUES (3, 'c')"),
        SqlStatement.of("UPDATE t SET x = 'z'"),
        SqlStatement.of("INSERT INTO t VALUES (1, 'dup')"))));
    assertEquals(ErrorCode.SQL_ERROR, e.code());
    assertTrue(e.getMessage().contains("UNIQUE"), e.getMessage());
    assertTrue(e.getMessage().contains("INSERT INTO t VALUES (1, 'dup')"), e.getMessage());
    QueryResult r = ex.query("SELECT id, x FROM t ORDER BY id", List.of());
    assertEquals(List.of(List.of(SqlValue.of(1L), SqlValue.of("a")), List.of(SqlValue.of(2L), SqlValue.of("b"))),
        r.rows());
    // the writer is usable afterwards, outside any transaction
    ex.execute("INSERT INTO t VALUES (3, 'c')", List.of());
    assertEquals(SqlValue.of(3L), one("SELECT count(*) FROM t"));
  }

  /**
   * A deferred foreign key fails at COMMIT, where SQLite leaves the transaction open: the batch
   * must still roll back, and the writer must leave the driver's transaction state behind, or the
   * next batch would run without BEGIN (not atomic) and single statements would never commit.
   */
  @Test
  void a_batch_failing_at_commit_rolls_back_and_later_batches_stay_atomic() {
    ex.execute("PRAGMA foreign_keys=ON", List.of());
    ex.execute("CREATE TABLE p (id INTEGER PRIMARY KEY)", List.of());
    ex.execute("CREATE TABLE c (id INTEGER PRIMARY KEY,"
        + " p INTEGER REFERENCES p(id) DEFERRABLE INITIALLY DEFERRED)", List.of());
    HadbException atCommit = assertThrows(HadbException.class, () -> ex.executeBatch(List.of(
        SqlStatement.of("INSERT INTO p VALUES (1)"),
        SqlStatement.of("INSERT INTO c VALUES (1, 99)"))));
    assertTrue(atCommit.getMessage().contains("FOREIGN KEY"), atCommit.getMessage());
    assertTrue(atCommit.getMessage().contains("COMMIT"), atCommit.getMessage());
    assertEquals(SqlValue.of(0L), one("SELECT count(*) FROM p"));

    // A later failing batch is all-or-nothing again (it had a real BEGIN).
    assertThrows(HadbException.class, () -> ex.executeBatch(List.of(
        SqlStatement.of("INSERT INTO p VALUES (2)"),
        SqlStatement.of("INSERT INTO p VALUES (2)"))));
    assertEquals(SqlValue.of(0L), one("SELECT count(*) FROM p"));

    // Single statements commit on their own: a reader connection sees them at once.
    ex.execute("INSERT INTO p VALUES (3)", List.of());
    assertEquals(SqlValue.of(1L), one("SELECT count(*) FROM p"));
    List<ExecResult> ok = ex.executeBatch(List.of(
        SqlStatement.of("INSERT INTO p VALUES (4)"), SqlStatement.of("INSERT INTO c VALUES (1, 4)")));
    assertEquals(List.of(new ExecResult(1, 4), new ExecResult(1, 1)), ok);
    assertEquals(SqlValue.of(2L), one("SELECT count(*) FROM p"));
  }

  /**
   * The library's busy handler (FineBusyWait, in place of SQLite's busy_timeout) waits for a lock
   * held elsewhere, takes it as soon as it is free, and gives up with TIMEOUT once the configured
   * busy timeout has passed, never before.
   */
  @Test
  void a_lock_held_elsewhere_is_waited_for_then_times_out_with_timeout() throws Exception {
    ex.execute("CREATE TABLE t (x)", List.of());
    SqliteOptions shortWait = SqliteOptions.defaults().withBusyTimeout(java.time.Duration.ofMillis(300));
    Path other = dir.resolve("other.sqlite");
    try (SqliteExecutor waiting = SqliteExecutor.open(other, shortWait);
        Connection holder = Connections.openPlain(other, 1000);
        Statement s = holder.createStatement()) {
      waiting.execute("CREATE TABLE t (x)", List.of());
      s.execute("BEGIN IMMEDIATE"); // another connection holds the write lock
      long t0 = System.nanoTime();
      HadbException e = assertThrows(HadbException.class,
          () -> waiting.execute("INSERT INTO t VALUES (1)", List.of()));
      long waitedMs = (System.nanoTime() - t0) / 1_000_000;
      assertEquals(ErrorCode.TIMEOUT, e.code(), e.getMessage());
      assertTrue(waitedMs >= 300, "gave up after " + waitedMs + " ms, before the 300 ms busy timeout");

      // Released while a writer waits: the waiter gets the lock and its insert lands.
      Future<ExecResult> pending;
      ExecutorService pool = Executors.newSingleThreadExecutor();
      try {
        pending = pool.submit(() -> waiting.execute("INSERT INTO t VALUES (2)", List.of()));
        Thread.sleep(50);
        s.execute("ROLLBACK");
        assertEquals(1, pending.get().rowsAffected());
      } finally {
        pool.shutdown();
      }
      assertEquals(List.of(List.of(SqlValue.of(2L))), waiting.query("SELECT x FROM t", List.of()).rows());
    }
  }

  @Test
  void sql_errors_carry_sqlite_message_and_statement() {
    HadbException e = assertThrows(HadbException.class,
        () -> ex.query("SELECT * FROM missing_table", List.of()));
    assertEquals(ErrorCode.SQL_ERROR, e.code());
    assertFalse(e.retryable());
    assertTrue(e.getMessage().contains("no such table: missing_table"), e.getMessage());
    assertTrue(e.getMessage().contains("SELECT * FROM missing_table"), e.getMessage());
    HadbException syntax = assertThrows(HadbException.class, () -> ex.execute("INSERT INTO", List.of()));
    assertEquals(ErrorCode.SQL_ERROR, syntax.code());
  }

  @Test
  void long_statements_are_abbreviated_in_errors() {
    String sql = "SELECT " + "1 + ".repeat(500) + "nope";
    HadbException e = assertThrows(HadbException.class, () -> ex.query(sql, List.of()));
    assertTrue(e.getMessage().length() < 600, e.getMessage());
    assertTrue(e.getMessage().contains("…"));
  }

  @Test
  void wrong_parameter_count_is_invalid_argument() {
    HadbException e = assertThrows(HadbException.class,
        () -> ex.query("SELECT ?, ?", List.of(SqlValue.of(1L))));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
  }

  @Test
  void statements_that_break_replication_are_refused() {
    for (String sql : List.of("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT s", "PRAGMA journal_mode=DELETE",
        "PRAGMA wal_autocheckpoint=1000", "PRAGMA wal_checkpoint(TRUNCATE)", "ATTACH 'x.db' AS x",
        "SELECT 1; SELECT 2", "")) {
      HadbException e = assertThrows(HadbException.class, () -> ex.execute(sql, List.of()), sql);
      assertTrue(e.code() == ErrorCode.INVALID_ARGUMENT || e.code() == ErrorCode.UNSUPPORTED, sql + ": " + e);
    }
    HadbException b = assertThrows(HadbException.class,
        () -> ex.executeBatch(List.of(SqlStatement.of("BEGIN"))));
    assertEquals(ErrorCode.INVALID_ARGUMENT, b.code());
  }

  @Test
  void every_connection_has_the_replication_pragmas() throws Exception {
    // reads go to the pool, so these answers come from a reader connection
    assertEquals(SqlValue.of("wal"), one("PRAGMA journal_mode"));
    assertEquals(SqlValue.of(0L), one("PRAGMA wal_autocheckpoint"));
    assertEquals(SqlValue.of(1L), one("PRAGMA synchronous"));
    assertEquals(SqlValue.of(-65536L), one("PRAGMA cache_size"));
    assertEquals(SqlValue.of(1L), one("PRAGMA query_only"));
    // and from the writer
    ex.writeLock().lock();
    try (Statement s = ex.writerLocked().createStatement()) {
      assertEquals("0", Connections.single(s, "PRAGMA wal_autocheckpoint"));
      assertEquals("1", Connections.single(s, "PRAGMA synchronous"));
      assertEquals("-65536", Connections.single(s, "PRAGMA cache_size"));
      assertEquals("wal", Connections.single(s, "PRAGMA journal_mode"));
    } finally {
      ex.writeLock().unlock();
    }
  }

  @Test
  void reads_classified_read_only_run_on_query_only_connections_and_writes_do_not() throws Exception {
    ex.execute("CREATE TABLE t (x)", List.of());
    // SQLite's own answer: query_only=1 makes it refuse anything that would write.
    try (Connection ro = Connections.openReader(ex.file(), 1000); Statement s = ro.createStatement()) {
      for (String sql : List.of("SELECT * FROM t", "WITH a AS (SELECT 1) SELECT * FROM a",
          "PRAGMA table_info(t)", "PRAGMA user_version", "EXPLAIN DELETE FROM t", "VALUES (1)",
          "PRAGMA integrity_check")) {
        assertFalse(ex.isMutation(sql), sql);
        s.execute(sql);
      }
      for (String sql : List.of("INSERT INTO t VALUES (1)", "WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a",
          "DELETE FROM t", "CREATE TABLE u (y)", "PRAGMA user_version = 3", "VACUUM", "REPLACE INTO t VALUES (2)")) {
        assertTrue(ex.isMutation(sql), sql);
        assertThrows(SQLException.class, () -> s.execute(sql), sql);
      }
    }
  }

  @Test
  void query_with_a_mutation_runs_on_the_writer() {
    ex.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, x)", List.of());
    QueryResult r = ex.query("INSERT INTO t (x) VALUES (?) RETURNING id, x", List.of(SqlValue.of("a")));
    assertEquals(List.of(List.of(SqlValue.of(1L), SqlValue.of("a"))), r.rows());
    assertEquals(SqlValue.of(1L), one("SELECT count(*) FROM t"));
  }

  @Test
  void concurrent_writers_are_serialized_and_readers_see_committed_state() throws Exception {
    ex.execute("CREATE TABLE c (id INTEGER PRIMARY KEY, n INTEGER)", List.of());
    ex.execute("INSERT INTO c VALUES (1, 0)", List.of());
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 50; i++) {
            ex.execute("UPDATE c SET n = n + 1 WHERE id = 1", List.of());
          }
        }));
      }
      for (int t = 0; t < 2; t++) {
        fs.add(pool.submit(() -> {
          long last = 0;
          for (int i = 0; i < 100; i++) {
            long n = ((SqlValue.Int) one("SELECT n FROM c WHERE id = 1")).value();
            assertTrue(n >= last, "went back from " + last + " to " + n);
            last = n;
          }
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    assertEquals(SqlValue.of(300L), one("SELECT n FROM c WHERE id = 1"));
  }

  @Test
  void vacuum_runs_after_other_statements() {
    ex.execute("CREATE TABLE t (x)", List.of());
    ex.execute("INSERT INTO t VALUES (randomblob(10000))", List.of());
    ex.query("PRAGMA user_version = 3", List.of());
    ex.execute("DELETE FROM t", List.of());
    ex.execute("VACUUM", List.of());
    assertEquals(SqlValue.of(3L), one("PRAGMA user_version"));
    assertEquals(SqlValue.of(2L), one("PRAGMA page_count"));
  }

  @Test
  void closed_executor_refuses_calls() {
    ex.close();
    ex.close();
    assertEquals(ErrorCode.CLOSED,
        assertThrows(HadbException.class, () -> ex.query("SELECT 1", List.of())).code());
    assertEquals(ErrorCode.CLOSED,
        assertThrows(HadbException.class, () -> ex.execute("CREATE TABLE t (x)", List.of())).code());
  }

  @Test
  void null_arguments_are_invalid() {
    assertEquals(ErrorCode.INVALID_ARGUMENT,
        assertThrows(HadbException.class, () -> ex.query(null, List.of())).code());
    assertEquals(ErrorCode.INVALID_ARGUMENT,
        assertThrows(HadbException.class, () -> ex.query("SELECT 1", null)).code());
    assertTrue(Files.exists(ex.file()));
  }

  private SqlValue one(String sql) {
    return ex.query(sql, List.of()).rows().get(0).get(0);
  }
}
