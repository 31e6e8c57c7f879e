package io.hadb.engine.sqlite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.conformance.gen.Gen;
import io.hadb.conformance.gen.Property;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SqlTextTest {

  static final List<String> READS = List.of(
      "SELECT 1",
      "select * from t where x = 'DELETE FROM t'",
      "  \n\t SELECT 1",
      "-- DELETE FROM t\nSELECT 1",
      "/* INSERT INTO t VALUES(1) */ SELECT 1",
      "/* a */ -- b\n /* c */ select 2;",
      "VALUES (1), (2)",
      "EXPLAIN DELETE FROM t",
      "EXPLAIN QUERY PLAN UPDATE t SET x = 1",
      "WITH a AS (SELECT 1) SELECT * FROM a",
      "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x<5) SELECT x FROM c",
      "WITH \"insert\" AS (SELECT 1) SELECT * FROM \"insert\"",
      "WITH a AS MATERIALIZED (SELECT 1), b AS NOT MATERIALIZED (SELECT 2) SELECT * FROM a, b",
      "PRAGMA user_version",
      "PRAGMA main.page_count",
      "PRAGMA table_info(t)",
      "PRAGMA main.table_info('t')",
      "PRAGMA integrity_check",
      "PRAGMA integrity_check(10)",
      "PRAGMA foreign_key_check",
      "PRAGMA journal_mode",
      "SELECT 'it''s; DROP TABLE t'",
      "SELECT [delete] FROM t",
      "SELECT `update` FROM t",
      "select 1; select 2");

  static final List<String> WRITES = List.of(
      "INSERT INTO t VALUES (1)",
      "insert into t values (1)",
      "  -- comment\n  UPDATE t SET x = 1",
      "/* SELECT */ DELETE FROM t",
      "REPLACE INTO t VALUES (1)",
      "WITH a AS (SELECT 1) INSERT INTO t SELECT * FROM a",
      "WITH a AS (SELECT 1) DELETE FROM t WHERE x IN (SELECT * FROM a)",
      "WITH a(x) AS (VALUES (1)) UPDATE t SET x = (SELECT x FROM a)",
      "WITH a AS (SELECT 1) REPLACE INTO t SELECT * FROM a",
      "PRAGMA user_version = 5",
      "PRAGMA main.user_version=5",
      "PRAGMA user_version(5)",
      "PRAGMA optimize",
      "PRAGMA wal_checkpoint(TRUNCATE)",
      "PRAGMA incremental_vacuum",
      "BEGIN", "BEGIN IMMEDIATE", "COMMIT", "END", "ROLLBACK", "SAVEPOINT a", "RELEASE a",
      "ATTACH DATABASE 'x.db' AS x", "DETACH x",
      "CREATE TABLE t (x)", "CREATE INDEX i ON t(x)", "DROP TABLE t", "ALTER TABLE t ADD y",
      "VACUUM", "REINDEX", "ANALYZE",
      "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = CASE WHEN 1 THEN 2 END; END",
      "SELECT 1; DELETE FROM t",
      "frobnicate the database",
      "(SELECT 1)");

  @ParameterizedTest
  @org.junit.jupiter.params.provider.FieldSource("READS")
  void reads_are_not_mutations(String sql) {
    assertFalse(SqlText.isMutation(sql), sql);
  }

  @ParameterizedTest
  @org.junit.jupiter.params.provider.FieldSource("WRITES")
  void writes_are_mutations(String sql) {
    assertTrue(SqlText.isMutation(sql), sql);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "   ", "-- only a comment", "/* x */ ;; ;"})
  void no_statement_is_not_a_mutation(String sql) {
    assertFalse(SqlText.isMutation(sql));
    assertEquals(0, SqlText.split(sql).size());
  }

  @Test
  void trigger_body_is_one_statement() {
    var parts = SqlText.split(
        "CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = CASE WHEN 1 THEN 2 ELSE 3 END;"
            + " INSERT INTO u VALUES (1); END; SELECT 1");
    assertEquals(2, parts.size());
    assertTrue(parts.get(0).text().endsWith("END"));
    assertEquals("SELECT 1", parts.get(1).text());
  }

  @Test
  void semicolons_in_strings_and_comments_do_not_split() {
    assertEquals(1, SqlText.split("SELECT 'a;b' /* ; */ -- ;\n").size());
    assertEquals(1, SqlText.split("SELECT \"a;b\" FROM t;").size());
  }

  @Test
  void leading_comments_and_blanks_do_not_change_the_answer() {
    Property.named("leading comments and blanks do not change the answer").tries(150).check(c -> {
      String sql = c.draw(statements());
      String noise = c.draw(noise());
      assertEquals(SqlText.isMutation(sql), SqlText.isMutation(noise + sql));
    });
  }

  @Test
  void case_does_not_change_the_answer() {
    Property.named("case does not change the answer").tries(150).forAll(statements(),
        sql -> assertEquals(SqlText.isMutation(sql), SqlText.isMutation(sql.toLowerCase(java.util.Locale.ROOT))));
  }

  static Gen<String> statements() {
    // Quoted text is case-sensitive, so the case property uses statements without any.
    return Gen.of(java.util.stream.Stream.concat(READS.stream(), WRITES.stream())
        .filter(s -> !s.contains("'") && !s.contains("\"") && !s.contains("`")).toList());
  }

  static Gen<String> noise() {
    Gen<String> piece = Gen.of(" ", "\n", "\t", "-- INSERT;\n", "/* DELETE */", "/**/", "-- x\r\n");
    return Gen.lists(piece, 0, 5).map(l -> String.join("", l));
  }
}
