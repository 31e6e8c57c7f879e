package io.hadb.engine.duckdb;

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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The executor on a real DuckDB file: typed parameters and rows, atomic batches, refusals, isMutation. */
class DuckdbExecutorTest extends LocalChainTest {
  private DuckdbEngine db;
  private DuckdbExecutor ex;

  @BeforeEach
  void openLeader() {
    db = leader("exec.duckdb", DuckdbOptions.defaults());
    ex = db.executor();
  }

  @AfterEach
  void closeLeader() {
    db.close();
  }

  private List<SqlValue> one(String sql) {
    QueryResult q = ex.query(sql, List.of());
    assertEquals(1, q.rows().size(), sql);
    return q.rows().get(0);
  }

  @Test
  void everyDocumentedTypeMapsToItsStorageClass() {
    List<SqlValue> row = one("SELECT 42::TINYINT, 7::UINTEGER, 9007199254740993::BIGINT, 5::HUGEINT,"
        + " 1.5::DOUBLE, 2.5::FLOAT, 12.34::DECIMAL(10,2), 'héllo', true, false, 'ab'::BLOB,"
        + " DATE '2024-01-02', TIMESTAMP '2024-01-02 03:04:05.123456', TIMESTAMP '2024-01-02 03:04:05',"
        + " TIMESTAMPTZ '2024-01-02 03:04:05+00', TIME '01:02:03', NULL::INTEGER,"
        + " '00000000-0000-0000-0000-000000000001'::UUID");
    assertEquals(List.of(SqlValue.of(42), SqlValue.of(7), SqlValue.of(9007199254740993L), SqlValue.of(5),
        SqlValue.of(1.5), SqlValue.of(2.5), SqlValue.of(12.34), SqlValue.of("héllo"), SqlValue.of(1), SqlValue.of(0),
        SqlValue.of(new byte[] {'a', 'b'}), SqlValue.of("2024-01-02"), SqlValue.of("2024-01-02 03:04:05.123456"),
        SqlValue.of("2024-01-02 03:04:05"), SqlValue.of("2024-01-02 03:04:05+00:00"), SqlValue.of("01:02:03"),
        SqlValue.NULL, SqlValue.of("00000000-0000-0000-0000-000000000001")), row);
  }

  @Test
  void parametersBindAndComeBackWithTheirClass() {
    ex.execute("CREATE TABLE t(i BIGINT, r DOUBLE, s VARCHAR, b BLOB, n INTEGER)", List.of());
    ExecResult r = ex.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?)", List.of(SqlValue.of(Long.MIN_VALUE),
        SqlValue.of(-0.25), SqlValue.of("x'y"), SqlValue.of(new byte[] {0, 1, (byte) 255}), SqlValue.NULL));
    assertEquals(new ExecResult(1, 0), r);
    assertEquals(List.of(SqlValue.of(Long.MIN_VALUE), SqlValue.of(-0.25), SqlValue.of("x'y"),
        SqlValue.of(new byte[] {0, 1, (byte) 255}), SqlValue.NULL), one("SELECT * FROM t"));
    QueryResult q = ex.query("SELECT i AS first, s FROM t WHERE s = ?", List.of(SqlValue.of("x'y")));
    assertEquals(List.of("first", "s"), q.columns());
  }

  @Test
  void aTypeItCannotCarryFailsNamingColumnAndType() {
    HadbException e = assertThrows(HadbException.class, () -> ex.query("SELECT [1, 2] AS l", List.of()));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertTrue(e.getMessage().contains("(l)") && e.getMessage().contains("INTEGER[]")
        && e.getMessage().contains("VARCHAR"), e.getMessage());
    HadbException big = assertThrows(HadbException.class,
        () -> ex.query("SELECT 170141183460469231731687303715884105727::HUGEINT AS h", List.of()));
    assertEquals(ErrorCode.UNSUPPORTED, big.code());
    assertTrue(big.getMessage().contains("does not fit in 64 bits"), big.getMessage());
  }

  @Test
  void rowCountsOfDmlAndZeroForDdl() {
    assertEquals(new ExecResult(0, 0), ex.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v VARCHAR)", List.of()));
    assertEquals(3, ex.execute("INSERT INTO t SELECT i, 'v' FROM range(3) r(i)", List.of()).rowsAffected());
    assertEquals(2, ex.execute("UPDATE t SET v = 'w' WHERE id < 2", List.of()).rowsAffected());
    assertEquals(1, ex.execute("DELETE FROM t WHERE id = 2", List.of()).rowsAffected());
  }

  @Test
  void aBatchIsAtomic() {
    ex.execute("CREATE TABLE t(id INTEGER PRIMARY KEY)", List.of());
    List<ExecResult> ok = ex.executeBatch(List.of(SqlStatement.of("INSERT INTO t VALUES (1)"),
        SqlStatement.of("INSERT INTO t VALUES (2)")));
    assertEquals(List.of(new ExecResult(1, 0), new ExecResult(1, 0)), ok);
    HadbException e = assertThrows(HadbException.class, () -> ex.executeBatch(List.of(
        SqlStatement.of("INSERT INTO t VALUES (3)"), SqlStatement.of("INSERT INTO t VALUES (1)"))));
    assertEquals(ErrorCode.SQL_ERROR, e.code());
    assertEquals(List.of(SqlValue.of(2)), one("SELECT count(*) FROM t"));
    // the writer is usable after a failed batch
    ex.execute("INSERT INTO t VALUES (4)", List.of());
    assertEquals(List.of(SqlValue.of(3)), one("SELECT count(*) FROM t"));
  }

  @Test
  void transactionControlAttachAndCheckpointAreRefused() {
    assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(HadbException.class,
        () -> ex.execute("BEGIN TRANSACTION", List.of())).code());
    assertEquals(ErrorCode.UNSUPPORTED, assertThrows(HadbException.class,
        () -> ex.execute("ATTACH 'x.duckdb'", List.of())).code());
    assertEquals(ErrorCode.UNSUPPORTED, assertThrows(HadbException.class,
        () -> ex.execute("CHECKPOINT", List.of())).code());
  }

  @Test
  void sqlErrorsAreSqlError() {
    HadbException e = assertThrows(HadbException.class, () -> ex.query("SELECT * FROM missing", List.of()));
    assertEquals(ErrorCode.SQL_ERROR, e.code());
    assertTrue(e.getMessage().contains("missing"), e.getMessage());
  }

  @Test
  void isMutationIsLexical() {
    for (String q : List.of("SELECT 1", " -- c\n select 1", "(SELECT 1)", "FROM t", "WITH x AS (SELECT 1) SELECT * FROM x",
        "EXPLAIN SELECT 1", "DESCRIBE t", "SHOW TABLES", "VALUES (1)", "SELECT 'insert into t'")) {
      assertFalse(ex.isMutation(q), q);
    }
    for (String m : List.of("INSERT INTO t VALUES (1)", "update t set a = 1", "DELETE FROM t", "CREATE TABLE x(i INT)",
        "/* c */ DROP TABLE t", "WITH x AS (SELECT 1) INSERT INTO t SELECT * FROM x", "COPY t FROM 'f.csv'",
        "EXPLAIN ANALYZE INSERT INTO t VALUES (1)")) {
      assertTrue(ex.isMutation(m), m);
    }
  }

  @Test
  void scriptsSplitByDuckdbLexicalRules() {
    assertEquals(List.of("CREATE TABLE a(s VARCHAR DEFAULT ';')", "INSERT INTO a VALUES ($$x;y$$)",
        "SELECT 1 /* ; */"), db.dialect().splitScript(
            "CREATE TABLE a(s VARCHAR DEFAULT ';'); -- one;\nINSERT INTO a VALUES ($$x;y$$);; SELECT 1 /* ; */"));
    HadbException e = assertThrows(HadbException.class, () -> db.dialect().splitScript("SELECT 'x; SELECT 2"));
    assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
    assertTrue(e.getMessage().contains("offset 7"), e.getMessage());
  }

  @Test
  void theRequestTableRecordsRowCountsOnceAndAnswersARetryFromTheRecord() {
    ex.execute("CREATE TABLE t(id INTEGER PRIMARY KEY, v INTEGER)", List.of());
    var table = db.dialect().requestTable();
    var first = table.applyOnce(ex, "req-1", List.of(SqlStatement.of("INSERT INTO t SELECT i, 0 FROM range(3) r(i)"),
        SqlStatement.of("UPDATE t SET v = v + 1 WHERE id > 0"), SqlStatement.of("CREATE TABLE u(i INTEGER)")), 1000);
    assertFalse(first.replayed());
    assertEquals(List.of(new ExecResult(3, 0), new ExecResult(2, 0), new ExecResult(0, 0)), first.results());
    var again = table.applyOnce(ex, "req-1", List.of(SqlStatement.of("UPDATE t SET v = v + 1")), 2000);
    assertTrue(again.replayed());
    assertEquals(first.results(), again.results());
    assertEquals(List.of(SqlValue.of(2)), one("SELECT sum(v) FROM t"));
    assertEquals(1, table.prune(ex, 1500) / 4);
  }

  @Test
  void theSchemaRecordRemembersAScript() {
    var schema = db.dialect().schemaRecord();
    assertFalse(schema.contains(ex, "abc"));
    ex.executeBatch(schema.record("abc", 2));
    assertTrue(schema.contains(ex, "abc"));
  }
}
