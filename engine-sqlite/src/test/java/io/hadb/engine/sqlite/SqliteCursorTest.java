package io.hadb.engine.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.RowCursor;
import io.hadb.api.engine.SqlValue;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Streamed queries on the SQLite executor: a cursor holds a read connection exactly while it is
 * open, cursors never take the last connection, errors and a hand-off close them, and the
 * conversions are SQLite's.
 */
class SqliteCursorTest {
  private static final int POOL = 3;
  @TempDir Path dir;
  SqliteExecutor ex;

  @BeforeEach
  void open() {
    ex = SqliteExecutor.open(dir.resolve("db.sqlite"), SqliteOptions.defaults().withReadConnections(POOL));
    ex.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v)", List.of());
    ex.execute("INSERT INTO t (id, v) WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 10)"
        + " SELECT x, x * 10 FROM g", List.of());
  }

  @AfterEach
  void close() {
    ex.close();
  }

  private int held() {
    return ex.readers().openCursors();
  }

  private static List<Long> ids(RowCursor c) {
    List<Long> out = new ArrayList<>();
    while (c.next()) {
      out.add(c.longValue(0));
    }
    return out;
  }

  @Test
  void aCursorHoldsItsConnectionUntilClosedOrPastItsLastRow() {
    RowCursor c = ex.cursor("SELECT id FROM t ORDER BY id", List.of());
    assertEquals(1, held(), "an open cursor on the leader streams, on a connection of its own");
    assertTrue(c.next());
    assertEquals(1, c.longValue(0));
    c.close();
    assertEquals(0, held(), "close() gives the connection back");
    assertTrue(c.isClosed());
    HadbException afterClose = assertThrows(HadbException.class, () -> c.longValue(0));
    assertEquals(ErrorCode.CLOSED, afterClose.code(), afterClose.getMessage());
    assertEquals(ErrorCode.CLOSED, assertThrows(HadbException.class, c::next).code());

    RowCursor all = ex.cursor("SELECT id FROM t ORDER BY id", List.of());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L), ids(all));
    assertEquals(0, held(), "passing the last row gives the connection back before close()");
    assertTrue(all.isClosed());
    assertFalse(all.next(), "past the last row, next() stays false");
    assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(HadbException.class, () -> all.longValue(0)).code());
    all.close();
    assertEquals(0, held());
  }

  @Test
  void aClosedCursorNeverReadsTheRowsOfTheNextOneOnItsConnection() {
    RowCursor first = ex.cursor("SELECT id FROM t WHERE id = 1", List.of());
    assertTrue(first.next());
    first.close();
    RowCursor second = ex.cursor("SELECT id FROM t WHERE id = 2", List.of());
    assertTrue(second.next());
    assertEquals(ErrorCode.CLOSED, assertThrows(HadbException.class, () -> first.value(0)).code(),
        "the first cursor's connection now serves the second: the first must not read through it");
    assertEquals(2, second.longValue(0));
    second.close();
  }

  @Test
  @Timeout(60) // a hang guard: the broken pool this catches waits forever
  void cursorsLeaveOneConnectionForShortReadsAndTheRestReadWhole() {
    List<RowCursor> open = new ArrayList<>();
    for (int i = 0; i < POOL + 3; i++) {
      RowCursor c = ex.cursor("SELECT id FROM t WHERE id > ? ORDER BY id", List.of(SqlValue.of(i)));
      assertTrue(c.next());
      open.add(c);
    }
    assertEquals(POOL - 1, held(), "cursors hold all connections but one; the others read their rows whole");
    // A read for each row of the open cursors: with every connection held it would wait forever.
    assertEquals(1, ex.query("SELECT count(*) FROM t WHERE id = 1", List.of()).rows().size());
    for (int i = 0; i < open.size(); i++) {
      List<Long> rest = new ArrayList<>(List.of(open.get(i).longValue(0)));
      rest.addAll(ids(open.get(i)));
      assertEquals(10 - i, rest.size(), "cursor " + i + " reads every row, streamed or whole");
      assertEquals(i + 1, rest.get(0));
    }
    assertEquals(0, held());
  }

  @Test
  void anErrorMidIterationClosesTheCursorAndKeepsTheExecutorServing() {
    // abs() of the smallest integer overflows when SQLite reaches that row, not before.
    RowCursor c = ex.cursor("SELECT CASE WHEN id = 3 THEN abs(-9223372036854775807 - 1) ELSE id END FROM t ORDER BY id",
        List.of());
    assertTrue(c.next());
    assertTrue(c.next());
    HadbException e = assertThrows(HadbException.class, c::next);
    assertEquals(ErrorCode.SQL_ERROR, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("integer overflow"), e.getMessage());
    assertTrue(c.isClosed());
    assertEquals(0, held(), "a failed cursor gives its connection back");
    for (int i = 0; i < POOL * 4; i++) {
      try (RowCursor again = ex.cursor("SELECT id FROM t WHERE id = ?", List.of(SqlValue.of(i % 10 + 1)))) {
        assertTrue(again.next());
        assertEquals(i % 10 + 1, again.longValue(0));
      }
    }
    assertEquals(0, held());
  }

  @Test
  void aHandOffCutsOpenCursorsOffAndStopsStreaming() {
    RowCursor c = ex.cursor("SELECT id FROM t ORDER BY id", List.of());
    assertTrue(c.next());
    ex.writeLock().lock();
    try {
      ex.endCursorsLocked();
    } finally {
      ex.writeLock().unlock();
    }
    HadbException e = assertThrows(HadbException.class, () -> {
      while (c.next()) {
        c.longValue(0);
      }
    });
    assertEquals(ErrorCode.UNAVAILABLE, e.code(), e.getMessage());
    assertTrue(e.getMessage().contains("stopped leading"), e.getMessage());
    assertEquals(0, held());
    try (RowCursor after = ex.cursor("SELECT id FROM t ORDER BY id", List.of())) {
      assertEquals(0, held(), "after the hand-off began, queries read whole");
      assertEquals(10, ids(after).size());
    }
  }

  @Test
  void typedGettersAreSqlitesConversionsAndValueKeepsTheStorageClass() {
    try (RowCursor c = ex.cursor("SELECT 7, 2.5, 'text', x'0102', NULL, '12abc', 1e20", List.of())) {
      assertTrue(c.next());
      assertEquals(List.of(SqlValue.of(7L), SqlValue.of(2.5), SqlValue.of("text"), SqlValue.of(new byte[] {1, 2}),
          SqlValue.NULL), List.of(c.value(0), c.value(1), c.value(2), c.value(3), c.value(4)));
      assertEquals(7, c.longValue(0));
      assertEquals(7.0, c.doubleValue(0));
      assertEquals("7", c.textValue(0));
      assertEquals(2, c.longValue(1), "a REAL read as a long truncates");
      assertEquals(0, c.longValue(4));
      assertEquals(0.0, c.doubleValue(4));
      assertEquals(null, c.textValue(4));
      assertTrue(c.isNull(4));
      assertFalse(c.isNull(0));
      assertEquals(12, c.longValue(5), "SQLite reads the leading number of a text");
      assertEquals("1.0e+20", c.textValue(6), "SQLite renders a REAL as text itself");
      assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(HadbException.class, () -> c.value(7)).code());
      assertFalse(c.next());
    }
    assertEquals(0, held());
  }

  @Test
  void writingStatementsAndBadParametersDoNotHoldAConnection() {
    try (RowCursor c = ex.cursor("INSERT INTO t (id, v) VALUES (100, 1) RETURNING id", List.of())) {
      assertEquals(0, held(), "a statement that writes runs on the writer and is read whole");
      assertTrue(c.next());
      assertEquals(100, c.longValue(0));
    }
    assertEquals(ErrorCode.INVALID_ARGUMENT,
        assertThrows(HadbException.class, () -> ex.cursor("SELECT id FROM t WHERE id = ?", List.of())).code());
    assertEquals(ErrorCode.SQL_ERROR,
        assertThrows(HadbException.class, () -> ex.cursor("SELECT nope FROM t", List.of())).code());
    assertEquals(0, held());
  }
}
