package io.hadb.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.ReadConsistency;
import io.hadb.coordinator.Role;
import io.hadb.api.engine.SqlValue;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransactionRollbackException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A leadership change before commit fails the commit with SQLState 40001 and applies nothing,
 * for a transaction on the leader's own file and for a follower's transaction run on the leader.
 * The leader steps down by a graceful close, which stops accepting at once and then waits for the
 * open transaction's write lock; the commit then finds the term over and rolls back (the
 * rollback does not wait for the upload publishing no longer makes). A commit racing the
 * hand-off tells the truth whichever comes first (DESIGN §12): success and the row is in the new
 * leader's copy, or 40001 and it is not; never 08007, since the hand-off waits for a commit past
 * its leadership check.
 */
class LeadershipChangeTest {
  private static final String SCHEMA = "CREATE TABLE t(id INTEGER PRIMARY KEY, v TEXT NOT NULL);";

  @TempDir Path dir;

  @Test
  void leaderTransactionFailsWith40001WhenItsTermEnds() throws Exception {
    try (Cluster cluster = new Cluster(dir, SCHEMA)) {
      HaDatabase[] lf = cluster.leaderAndFollower();
      runAcrossStepDown(HaDataSource.of(lf[0]), lf[0], lf[1]);
    }
  }

  @Test
  void followerTransactionFailsWith40001WhenTheLeadersTermEnds() throws Exception {
    try (Cluster cluster = new Cluster(dir, SCHEMA)) {
      HaDatabase[] lf = cluster.leaderAndFollower();
      runAcrossStepDown(HaDataSource.of(lf[1]).withTransactionLifetime(Duration.ofSeconds(20)), lf[0], lf[1]);
    }
  }

  @Test
  void leaderCommitRacingTheHandOffTellsTheTruth() throws Exception {
    try (Cluster cluster = new Cluster(dir, SCHEMA)) {
      HaDatabase[] lf = cluster.leaderAndFollower();
      raceTheHandOff(HaDataSource.of(lf[0]), lf[0], lf[1]);
    }
  }

  @Test
  void followerCommitRacingTheHandOffTellsTheTruth() throws Exception {
    try (Cluster cluster = new Cluster(dir, SCHEMA)) {
      HaDatabase[] lf = cluster.leaderAndFollower();
      raceTheHandOff(HaDataSource.of(lf[1]).withTransactionLifetime(Duration.ofSeconds(20)), lf[0], lf[1]);
    }
  }

  /** The commit and the close start together; the answer must match what the new leader holds. */
  private static void raceTheHandOff(HaDataSource ds, HaDatabase leader, HaDatabase other) throws Exception {
    SQLException failed = null;
    Thread closer;
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO t(v) VALUES ('raced')");
      }
      closer = new Thread(leader::close, "closer");
      closer.start();
      try {
        c.commit();
      } catch (SQLException e) {
        failed = e;
      }
    }
    closer.join(Cluster.WAIT.toMillis());
    Cluster.await("the other node leads", () -> other.role() == Role.LEADER);
    long rows = ((SqlValue.Int) other.query(ReadConsistency.LOCAL, "SELECT count(*) FROM t WHERE v = 'raced'")
        .rows().get(0).get(0)).value();
    if (failed == null) {
      assertEquals(1, rows, "the commit succeeded, so the new leader holds its row");
    } else {
      assertEquals("40001", failed.getSQLState(), failed.getMessage());
      assertEquals(0, rows, "40001 says nothing applied");
    }
  }

  private static void runAcrossStepDown(HaDataSource ds, HaDatabase leader, HaDatabase other) throws Exception {
    Thread closer;
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      try (Statement s = c.createStatement()) {
        s.executeUpdate("INSERT INTO t(v) VALUES ('doomed')");
      }
      closer = new Thread(leader::close, "closer");
      closer.start();
      Cluster.await("the leader stopped accepting", () -> leader.role() != Role.LEADER);
      SQLException e = assertThrows(SQLException.class, c::commit);
      assertEquals("40001", e.getSQLState(), e.getMessage());
      assertEquals(SQLTransactionRollbackException.class, e.getClass());
    }
    closer.join(Cluster.WAIT.toMillis());
    Cluster.await("the other node leads", () -> other.role() == Role.LEADER);
    long rows = ((SqlValue.Int) other.query(ReadConsistency.LOCAL, "SELECT count(*) FROM t WHERE v = 'doomed'")
        .rows().get(0).get(0)).value();
    assertEquals(0, rows, "nothing of the transaction applied");
    try (Connection c = HaDataSource.of(other).getConnection()) {
      c.setAutoCommit(false);
      c.createStatement().executeUpdate("INSERT INTO t(v) VALUES ('retried')");
      c.commit();
    }
    assertEquals(1, ((SqlValue.Int) other.query(ReadConsistency.LOCAL, "SELECT count(*) FROM t").rows().get(0).get(0))
        .value(), "the retry on the new leader applied");
  }
}
