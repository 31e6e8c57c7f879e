package io.hadb.api.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The request rows every engine's table keeps, read back: the one parser both engines use. */
class RequestTableRecordedTest {
  private static final List<String> COLUMNS = List.of("idx", "rows", "last_id");

  private static List<SqlValue> row(long idx, long rows, long lastId) {
    return List.of(SqlValue.of(idx), SqlValue.of(rows), SqlValue.of(lastId));
  }

  @Test
  void aHeaderAndOneRowPerStatementGiveTheResultsInOrder() {
    QueryResult q = new QueryResult(COLUMNS, List.of(row(-1, 2, 0), row(0, 3, 7), row(1, 0, 7)));
    assertEquals(List.of(new ExecResult(3, 7), new ExecResult(0, 7)), RequestTable.recorded("_t", "r1", q).orElseThrow());
  }

  @Test
  void noRowsMeansTheRequestNeverCommitted() {
    assertTrue(RequestTable.recorded("_t", "r1", new QueryResult(COLUMNS, List.of())).isEmpty());
  }

  @Test
  void aMissingStatementRowIsCorruptAndNamesTableAndRequest() {
    QueryResult q = new QueryResult(COLUMNS, List.of(row(-1, 2, 0), row(0, 3, 7)));
    HadbException e = assertThrows(HadbException.class, () -> RequestTable.recorded("_t", "r1", q));
    assertEquals(ErrorCode.CORRUPT, e.code());
    assertTrue(e.getMessage().contains("_t holds 1 result rows for request 'r1' whose header says 2"), e.getMessage());
  }

  @Test
  void aRowWithoutItsHeaderIsCorrupt() {
    QueryResult q = new QueryResult(COLUMNS, List.of(row(0, 3, 7)));
    assertEquals(ErrorCode.CORRUPT, assertThrows(HadbException.class, () -> RequestTable.recorded("_t", "r1", q)).code());
  }

  @Test
  void aNonIntegerCellIsCorrupt() {
    QueryResult q = new QueryResult(COLUMNS, List.of(row(-1, 1, 0),
        List.of(SqlValue.of(0L), SqlValue.of("three"), SqlValue.of(7L))));
    HadbException e = assertThrows(HadbException.class, () -> RequestTable.recorded("_t", "r1", q));
    assertEquals(ErrorCode.CORRUPT, e.code());
    assertTrue(e.getMessage().contains("non-integer value") && e.getMessage().contains("'r1'"), e.getMessage());
  }
}
