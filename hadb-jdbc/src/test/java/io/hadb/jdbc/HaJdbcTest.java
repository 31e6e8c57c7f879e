package io.hadb.jdbc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.coordinator.HaDatabase;
import java.nio.file.Path;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDBC surface on a leader and a follower of one cluster (shared by the class): auto-commit
 * reads and writes, types, generated keys, batches, metadata, SQLStates, and read-modify-write
 * transactions from both nodes at once that lose no increment.
 */
class HaJdbcTest {
  private static final String SCHEMA = """
      CREATE TABLE account(id INTEGER PRIMARY KEY, owner TEXT NOT NULL UNIQUE, balance INTEGER NOT NULL);
      CREATE TABLE item(id INTEGER PRIMARY KEY, name TEXT, price REAL, data BLOB, at TEXT);
      """;

  @TempDir static Path dir;
  static Cluster cluster;
  static HaDatabase leader;
  static HaDatabase follower;
  static HaDataSource onLeader;
  static HaDataSource onFollower;

  @BeforeAll
  static void start() throws Exception {
    cluster = new Cluster(dir, SCHEMA);
    HaDatabase[] lf = cluster.leaderAndFollower();
    leader = lf[0];
    follower = lf[1];
    onLeader = HaDataSource.of(leader);
    onFollower = HaDataSource.of(follower);
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void autoCommitWritesAndReadsOnBothNodes() throws SQLException {
    for (HaDataSource ds : List.of(onLeader, onFollower)) {
      try (Connection c = ds.getConnection();
          PreparedStatement ins = c.prepareStatement("INSERT INTO item(name, price, data, at) VALUES (?, ?, ?, ?)",
              Statement.RETURN_GENERATED_KEYS)) {
        ins.setString(1, "pen");
        ins.setDouble(2, 1.5);
        ins.setBytes(3, new byte[] {1, 2, 3});
        ins.setObject(4, java.time.LocalDate.of(2026, 12, 6));
        assertEquals(1, ins.executeUpdate());
        long id;
        try (ResultSet keys = ins.getGeneratedKeys()) {
          assertTrue(keys.next(), "a generated key");
          id = keys.getLong(1);
        }
        try (PreparedStatement q = c.prepareStatement("SELECT name, price, data, at, NULL AS missing FROM item WHERE id = ?")) {
          q.setLong(1, id);
          try (ResultSet rs = q.executeQuery()) {
            assertTrue(rs.next(), "READ_YOUR_WRITES sees the write on " + ds);
            assertEquals("pen", rs.getString("name"));
            assertEquals(1.5, rs.getDouble(2));
            assertArrayEquals(new byte[] {1, 2, 3}, rs.getBytes("DATA"));
            assertEquals(java.time.LocalDate.of(2026, 12, 6), rs.getObject("at", java.time.LocalDate.class));
            assertNull(rs.getObject("missing"));
            assertTrue(rs.wasNull());
            assertEquals(5, rs.getMetaData().getColumnCount());
            assertFalse(rs.next());
          }
        }
      }
    }
  }

  @Test
  void batchIsOneAtomicWriteInAutoCommit() throws SQLException {
    try (Connection c = onFollower.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO account(owner, balance) VALUES (?, ?)")) {
      ps.setString(1, "batch-a");
      ps.setInt(2, 1);
      ps.addBatch();
      ps.setString(1, "batch-b");
      ps.setInt(2, 2);
      ps.addBatch();
      assertArrayEquals(new int[] {1, 1}, ps.executeBatch());
      ps.setString(1, "batch-c");
      ps.setInt(2, 3);
      ps.addBatch();
      ps.setString(1, "batch-a"); // duplicate owner: the whole batch fails
      ps.setInt(2, 4);
      ps.addBatch();
      BatchUpdateException e = assertThrows(BatchUpdateException.class, ps::executeBatch);
      assertEquals("23000", e.getSQLState());
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT count(*) FROM account WHERE owner LIKE 'batch-%'")) {
        rs.next();
        assertEquals(2, rs.getInt(1), "batch-c did not apply: all or nothing");
      }
    }
  }

  @Test
  void sqlStatesTellWhatToDo() throws SQLException {
    try (Connection c = onFollower.getConnection(); Statement s = c.createStatement()) {
      assertEquals("42000", assertThrows(SQLException.class, () -> s.executeQuery("SELECT * FORM account")).getSQLState());
      s.executeUpdate("INSERT INTO account(owner, balance) VALUES ('dup', 0)");
      SQLException dup = assertThrows(SQLException.class,
          () -> s.executeUpdate("INSERT INTO account(owner, balance) VALUES ('dup', 0)"));
      assertEquals("23000", dup.getSQLState(), dup.getMessage());
      assertTrue(dup instanceof java.sql.SQLIntegrityConstraintViolationException);
      SQLFeatureNotSupportedException call = assertThrows(SQLFeatureNotSupportedException.class,
          () -> c.prepareCall("call x()"));
      assertEquals("0A000", call.getSQLState());
      assertTrue(call.getMessage().contains("Connection.prepareCall"), call.getMessage());
    }
  }

  @Test
  void metadataValidityAndTheDriverUrl() throws SQLException {
    HaDriver.register("jdbc-test", follower);
    try (Connection c = DriverManager.getConnection("jdbc:hadb:jdbc-test")) {
      assertTrue(c.isValid(1));
      assertEquals("SQLite", c.getMetaData().getDatabaseProductName());
      assertTrue(c.getMetaData().getDatabaseMajorVersion() >= 3, c.getMetaData().getDatabaseProductVersion());
      assertTrue(c.getMetaData().supportsTransactions());
      assertEquals(Connection.TRANSACTION_SERIALIZABLE, c.getTransactionIsolation());
    } finally {
      HaDriver.unregister("jdbc-test");
    }
    SQLException unknown = assertThrows(SQLException.class, () -> DriverManager.getConnection("jdbc:hadb:nope"));
    assertTrue(unknown.getMessage().contains("HaDriver.register"), unknown.getMessage());
    Connection closed = onLeader.getConnection();
    closed.close();
    assertFalse(closed.isValid(1));
    assertEquals("08003", assertThrows(SQLException.class, closed::createStatement).getSQLState());
  }

  @Test
  void transactionSeesItsOwnWritesAndRollsBack() throws SQLException {
    for (HaDataSource ds : List.of(onLeader, onFollower)) {
      String owner = "rollback-" + (ds == onLeader ? "leader" : "follower");
      try (Connection c = ds.getConnection()) {
        c.setAutoCommit(false);
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO account(owner, balance) VALUES (?, 5)")) {
          ins.setString(1, owner);
          ins.executeUpdate();
        }
        assertEquals(1, count(c, owner), "the transaction sees its own insert");
        SQLException bad = assertThrows(SQLException.class, () -> c.createStatement().executeUpdate("INSERT INTO nope VALUES (1)"));
        assertEquals("42000", bad.getSQLState());
        assertEquals(1, count(c, owner), "a refused statement leaves the transaction open");
        c.rollback();
        c.setAutoCommit(true);
        assertEquals(0, count(c, owner), "rolled back");
      }
    }
  }

  /**
   * Read-modify-write from both nodes at once, each increment a transaction that reads the
   * balance and writes it back plus one: with a transaction that did not hold the leader's write
   * lock from its read to its commit, increments would be lost.
   */
  /**
   * A follower's transaction left open (its connection never used again) holds the leader's
   * write lock for its lifetime only: then the leader rolls it back, a write on the leader goes
   * through, and the abandoned connection's commit fails 40001 with nothing applied.
   */
  @Test
  void anAbandonedFollowerTransactionIsRolledBackOnTheLeaderAfterItsLifetime() throws Exception {
    try (Connection abandoned = onFollower.withTransactionLifetime(java.time.Duration.ofSeconds(1)).getConnection()) {
      abandoned.setAutoCommit(false);
      abandoned.createStatement().executeUpdate("INSERT INTO item(name) VALUES ('abandoned')");
      // Waits for the write lock, which the abandoned transaction holds until its lifetime ends;
      // bounded, so a lock kept for good fails here rather than hanging.
      java.util.concurrent.CompletableFuture.runAsync(() -> leader.execute(
          "INSERT INTO item(name) VALUES ('after the abandoned one')")).get(Cluster.WAIT.toSeconds(),
          java.util.concurrent.TimeUnit.SECONDS);
      SQLException e = assertThrows(SQLException.class, abandoned::commit);
      assertEquals("40001", e.getSQLState(), e.getMessage());
    }
    try (Connection c = onLeader.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM item WHERE name = 'abandoned'")) {
      assertTrue(rs.next());
      assertEquals(0, rs.getLong(1), "nothing of the abandoned transaction applied");
    }
  }

  @Test
  void readModifyWriteTransactionsOnBothNodesLoseNothing() throws Exception {
    int perThread = Integer.getInteger("hadb.jdbc.increments", 15);
    try (Connection c = onLeader.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("INSERT INTO account(owner, balance) VALUES ('counter', 0)");
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (HaDataSource ds : List.of(onLeader, onFollower, onLeader, onFollower)) {
        done.add(pool.submit(() -> {
          for (int i = 0; i < perThread; i++) {
            increment(ds);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    try (Connection c = onLeader.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT balance FROM account WHERE owner = 'counter'")) {
      rs.next();
      assertEquals(4 * perThread, rs.getInt(1));
    }
  }

  /**
   * Versioned migrations run on both nodes at once: each version applies once (the seed row is
   * there once, the trigger works), and a script edited after it applied fails the next run.
   */
  @Test
  void migrationsApplyOnceFromAnyNode() throws Exception {
    Migrations m = Migrations.fromClasspath(getClass().getClassLoader(), "hadb-migrations");
    ExecutorService pool = Executors.newFixedThreadPool(2);
    List<Long> applied = new ArrayList<>();
    try {
      Future<List<Long>> a = pool.submit(() -> m.migrate(onLeader));
      Future<List<Long>> b = pool.submit(() -> m.migrate(onFollower));
      applied.addAll(a.get());
      applied.addAll(b.get());
    } finally {
      pool.shutdown();
    }
    applied.sort(null);
    assertEquals(List.of(1L, 2L), applied, "each version applied by exactly one of the two nodes");
    assertEquals(List.of(), m.migrate(onFollower), "nothing pending");
    try (Connection c = onFollower.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("UPDATE note SET body = 'edited' WHERE id = 1");
      try (ResultSet rs = s.executeQuery("SELECT count(*), max(edits), max(body) FROM note")) {
        rs.next();
        assertEquals(1, rs.getInt(1), "the seed row once");
        assertEquals(1, rs.getInt(2), "the trigger from V2 ran");
      }
    }
    Migrations edited = Migrations.of(List.of(new Migrations.Migration(1, "create note",
        "CREATE TABLE note(id INTEGER PRIMARY KEY);")));
    SQLException changed = assertThrows(SQLException.class, () -> edited.migrate(onLeader));
    assertTrue(changed.getMessage().contains("changed after it was applied"), changed.getMessage());
  }

  private static void increment(HaDataSource ds) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      long balance;
      try (Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("SELECT balance FROM account WHERE owner = 'counter'")) {
        rs.next();
        balance = rs.getLong(1);
      }
      try (PreparedStatement up = c.prepareStatement("UPDATE account SET balance = ? WHERE owner = 'counter'")) {
        up.setLong(1, balance + 1);
        assertEquals(1, up.executeUpdate());
      }
      c.commit();
    }
  }

  private static int count(Connection c, String owner) throws SQLException {
    try (PreparedStatement q = c.prepareStatement("SELECT count(*) FROM account WHERE owner = ?")) {
      q.setString(1, owner);
      try (ResultSet rs = q.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
