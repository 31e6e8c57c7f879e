package io.hadb.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.coordinator.HaDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Result sets of a leader's auto-commit queries, which stream from the engine (DESIGN §12): the
 * read connection behind one goes back when it passes its last row or its result set, statement
 * or connection closes; nothing reads after close; types, nulls and metadata as from rows read
 * whole; queries nested deeper than the read pool finish. Every cursor the data source opens is
 * counted through {@link CursorCountingDatabase}.
 */
class StreamedResultSetTest {
  private static final String SCHEMA = """
      CREATE TABLE v(id INTEGER PRIMARY KEY, i INTEGER, r REAL, t TEXT, b BLOB);
      INSERT INTO v VALUES (1, 7, 2.5, 'seven', x'0102'), (2, NULL, NULL, NULL, NULL), (3, 3000000000, 1e20, '12', x'');
      CREATE TABLE n(id INTEGER PRIMARY KEY);
      INSERT INTO n WITH RECURSIVE g(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM g WHERE x < 20) SELECT x FROM g;
      """;

  @TempDir static Path dir;
  static Cluster cluster;
  static CursorCountingDatabase leader;
  static HaDataSource onLeader;
  static HaDataSource onFollower;

  @BeforeAll
  static void start() throws Exception {
    cluster = new Cluster(dir, SCHEMA);
    HaDatabase[] lf = cluster.leaderAndFollower();
    leader = new CursorCountingDatabase(lf[0]);
    onLeader = HaDataSource.of(leader);
    onFollower = HaDataSource.of(lf[1]);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @BeforeEach
  void noneOpen() {
    assertEquals(0, leader.openCursors(), "a test before this one left a cursor open");
  }

  private static List<Long> ids(ResultSet rs) throws SQLException {
    List<Long> out = new ArrayList<>();
    while (rs.next()) {
      out.add(rs.getLong(1));
    }
    return out;
  }

  @Test
  void aLeadersQueryStreamsAndGivesItsConnectionBackAfterTheLastRow() throws SQLException {
    try (Connection c = onLeader.getConnection(); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT r FROM v WHERE id = 3");
      assertEquals(1, leader.openCursors());
      assertTrue(rs.next());
      // SQLite renders the REAL itself when the rows stream; rows read whole render it in Java.
      assertEquals("1.0e+20", rs.getString(1), "a leader's auto-commit query streams from SQLite");
      assertFalse(rs.next());
      assertEquals(0, leader.openCursors(), "past the last row the read connection is back, before close()");
      assertFalse(rs.isClosed(), "the result set itself stays open until closed, as JDBC says");
      rs.close();
    }
    try (Connection c = onFollower.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT r FROM v WHERE id = 3")) {
      assertTrue(rs.next());
      assertEquals("1.0E20", rs.getString(1), "a follower reads whole");
    }
  }

  @Test
  void closingTheResultSetStatementOrConnectionGivesTheConnectionBack() throws SQLException {
    try (Connection c = onLeader.getConnection()) {
      PreparedStatement ps = c.prepareStatement("SELECT id FROM n ORDER BY id");
      ResultSet first = ps.executeQuery();
      assertTrue(first.next());
      assertEquals(1, leader.openCursors());
      first.close();
      assertEquals(0, leader.openCursors(), "ResultSet.close");

      ResultSet again = ps.executeQuery();
      assertTrue(again.next());
      ResultSet third = ps.executeQuery(); // running the statement again closes its last result
      assertTrue(again.isClosed());
      assertEquals(1, leader.openCursors(), "re-running a statement");
      assertTrue(third.next());
      ps.close();
      assertTrue(third.isClosed());
      assertEquals(0, leader.openCursors(), "Statement.close");

      Statement s = c.createStatement();
      ResultSet left = s.executeQuery("SELECT id FROM n ORDER BY id");
      assertTrue(left.next());
      ResultSet other = c.prepareStatement("SELECT id FROM n WHERE id > 10").executeQuery();
      assertEquals(2, leader.openCursors());
      c.close();
      assertEquals(0, leader.openCursors(), "Connection.close closes the result sets left open");
      assertTrue(left.isClosed());
      assertTrue(other.isClosed());
    }
  }

  @Test
  void aClosedResultSetReadsNothing() throws SQLException {
    try (Connection c = onLeader.getConnection(); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery("SELECT id, t FROM v ORDER BY id");
      assertTrue(rs.next());
      rs.close();
      for (var read : List.<ResultSetCall>of(rs::next, () -> rs.getLong(1), () -> rs.getString("t"), () -> rs.getObject(1),
          rs::getMetaData)) {
        assertEquals("08003", assertThrows(SQLException.class, read::call).getSQLState());
      }
      ResultSet open = s.executeQuery("SELECT id FROM v WHERE id = 3"); // may take the same read connection
      assertTrue(open.next());
      assertEquals("08003", assertThrows(SQLException.class, () -> rs.getLong(1)).getSQLState());
      assertEquals(3, open.getLong(1));
      open.close();
    }
  }

  private interface ResultSetCall {
    Object call() throws SQLException;
  }

  @Test
  void typesNullsAndMetadataAsFromRowsReadWhole() throws SQLException {
    try (Connection c = onLeader.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT i, r, t, b, NULL AS z FROM v ORDER BY id")) {
      assertTrue(rs.isBeforeFirst());
      ResultSetMetaData md = rs.getMetaData(); // types from the first row, read ahead
      assertEquals(5, md.getColumnCount());
      assertEquals(List.of(Types.BIGINT, Types.DOUBLE, Types.VARCHAR, Types.BLOB, Types.NULL),
          List.of(md.getColumnType(1), md.getColumnType(2), md.getColumnType(3), md.getColumnType(4), md.getColumnType(5)));
      assertEquals("r", md.getColumnLabel(2));

      assertTrue(rs.next(), "reading the metadata ahead does not skip the first row");
      assertTrue(rs.isFirst());
      assertEquals(1, rs.getRow());
      assertEquals(7, rs.getLong("i"));
      assertFalse(rs.wasNull());
      assertEquals(2.5, rs.getDouble(2));
      assertEquals(2, rs.getInt(2), "a REAL read as an int truncates");
      assertEquals("seven", rs.getString("T"));
      assertArrayEquals(new byte[] {1, 2}, rs.getBytes(4));
      assertEquals(Integer.valueOf(7), rs.getObject(1));
      assertEquals(Double.valueOf(2.5), rs.getObject(2));
      assertEquals(Long.valueOf(7), rs.getObject(1, Long.class));
      assertEquals(0, rs.getLong(5));
      assertTrue(rs.wasNull(), "wasNull after a typed getter read a NULL");

      assertTrue(rs.next());
      assertEquals(0, rs.getInt(1));
      assertTrue(rs.wasNull());
      assertEquals(0.0, rs.getDouble(2));
      assertTrue(rs.wasNull());
      assertNull(rs.getString(3));
      assertTrue(rs.wasNull());
      assertNull(rs.getBytes(4));
      assertNull(rs.getObject(1));
      assertEquals(Types.NULL, rs.getMetaData().getColumnType(1), "the type of the row the result set is on");

      assertTrue(rs.next());
      assertEquals(3000000000L, rs.getLong(1));
      assertEquals(Long.valueOf(3000000000L), rs.getObject(1));
      assertEquals(12, rs.getInt(3), "a TEXT holding a number reads as one");
      assertEquals("07009", assertThrows(SQLException.class, () -> rs.getLong(9)).getSQLState(), "an index out of range");
      assertFalse(rs.next());
      assertTrue(rs.isAfterLast());
      assertEquals("24000", assertThrows(SQLException.class, () -> rs.getLong(1)).getSQLState());
    }
  }

  @Test
  void maxRowsAndEmptyResults() throws SQLException {
    try (Connection c = onLeader.getConnection(); Statement s = c.createStatement()) {
      s.setMaxRows(3);
      ResultSet rs = s.executeQuery("SELECT id FROM n ORDER BY id");
      assertEquals(List.of(1L, 2L, 3L), ids(rs));
      assertEquals(0, leader.openCursors(), "stopping at maxRows gives the connection back");
      s.setMaxRows(0);
      ResultSet none = s.executeQuery("SELECT id FROM n WHERE id < 0");
      assertFalse(none.isBeforeFirst(), "an empty result is not before a first row");
      assertFalse(none.next());
      assertFalse(none.isAfterLast());
      assertEquals(0, leader.openCursors());
    }
  }

  @Test
  @Timeout(60) // a hang guard: queries waiting for read connections that nested result sets hold
  void queriesNestedDeeperThanTheReadPoolAllFinish() throws SQLException {
    int depth = 8; // the engine's read pool holds 4 connections
    try (Connection c = onLeader.getConnection()) {
      List<ResultSet> open = new ArrayList<>();
      for (int level = 0; level < depth; level++) {
        PreparedStatement ps = c.prepareStatement("SELECT id FROM n WHERE id > ? ORDER BY id");
        ps.setInt(1, level);
        ResultSet rs = ps.executeQuery();
        assertTrue(rs.next());
        assertEquals(level + 1, rs.getLong(1));
        open.add(rs);
      }
      for (int level = depth - 1; level >= 0; level--) {
        assertEquals(20 - level - 1, ids(open.get(level)).size(), "the rest of level " + level);
      }
    }
    assertEquals(0, leader.openCursors());
  }

  @Test
  void anErrorMidIterationIsAnSqlExceptionAndGivesTheConnectionBack() throws SQLException {
    try (Connection c = onLeader.getConnection(); Statement s = c.createStatement()) {
      ResultSet rs = s.executeQuery(
          "SELECT CASE WHEN id = 3 THEN abs(-9223372036854775807 - 1) ELSE id END FROM n ORDER BY id");
      assertTrue(rs.next());
      assertTrue(rs.next());
      SQLException e = assertThrows(SQLException.class, rs::next);
      assertEquals("42000", e.getSQLState(), e.getMessage());
      assertTrue(e.getMessage().contains("integer overflow"), e.getMessage());
      assertEquals(0, leader.openCursors());
      assertFalse(rs.next(), "after the error the result set is at its end");
      try (ResultSet after = s.executeQuery("SELECT count(*) FROM n")) {
        assertTrue(after.next());
        assertEquals(20, after.getInt(1));
      }
    }
  }
}
