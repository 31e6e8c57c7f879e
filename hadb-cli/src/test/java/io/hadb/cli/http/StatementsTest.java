package io.hadb.cli.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatementsTest {
  private static SqlStatement only(String json) throws Exception {
    return Statements.parse(Json.parse(json), 10).get(0).statement();
  }

  @Test
  void positionalAndNamedParametersBecomePositional() throws Exception {
    assertEquals(new SqlStatement("INSERT INTO t VALUES(?, ?)", List.of(SqlValue.of(1L), SqlValue.of("a"))),
        only("[[\"INSERT INTO t VALUES(?, ?)\", 1, \"a\"]]"));
    assertEquals(new SqlStatement("UPDATE t SET v = ? WHERE id = ? OR id = ? -- :c stays\n AND s = ':b'",
            List.of(SqlValue.of("x"), SqlValue.of(2L), SqlValue.of(2L))),
        only("[[\"UPDATE t SET v = :v WHERE id = @id OR id = $id -- :c stays\\n AND s = ':b'\","
            + " {\"v\": \"x\", \"id\": 2}]]"));
    assertEquals(new SqlStatement("SELECT '1'::INTEGER", List.of()), only("[[\"SELECT '1'::INTEGER\", {}]]"));
  }

  @Test
  void badStatementsAreNamedByIndex() {
    assertTrue(assertThrows(Statements.BadRequest.class, () -> Statements.parse(Json.parse("[\"SELECT 1\", 5]"), 10))
        .getMessage().startsWith("statement 1 "));
    assertTrue(assertThrows(Statements.BadRequest.class,
        () -> Statements.parse(Json.parse("[[\"SELECT :a\", {\"b\": 1}]]"), 10)).getMessage()
        .contains("names parameter :a, which the request does not give"));
    assertTrue(assertThrows(Statements.BadRequest.class,
        () -> Statements.parse(Json.parse("[[\"SELECT ?\", [1]]]"), 10)).getMessage().contains("is a JSON array"));
    assertTrue(assertThrows(Statements.BadRequest.class, () -> Statements.parse(Json.parse("[]"), 10))
        .getMessage().contains("no statement"));
    assertTrue(assertThrows(Statements.BadRequest.class,
        () -> Statements.parse(Json.parse("[\"SELECT 1\", \"SELECT 2\"]"), 1)).getMessage().contains("at most 1"));
  }

  @Test
  void requestsTellQueriesFromWrites() {
    assertTrue(Statements.isQuery("  -- c\n /* x */ select 1"));
    assertTrue(Statements.isQuery("WITH x AS (SELECT 1) SELECT * FROM x"));
    assertFalse(Statements.isQuery("INSERT INTO t SELECT 1"));
    assertFalse(Statements.isQuery("SELECTED_TABLE_UPDATE"));
  }
}
