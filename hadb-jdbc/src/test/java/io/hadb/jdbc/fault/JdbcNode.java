package io.hadb.jdbc.fault;

import io.hadb.api.Durability;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.Role;
import io.hadb.coordinator.lease.LeaseTimings;
import io.hadb.jdbc.HaDataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

/**
 * One node of {@link JdbcFailoverFaultTest} in a JVM of its own: opens the database (SYNC, ttl
 * 1 s, file: lease and storage under {@code dir}), then runs transactions through JDBC until
 * killed: each inserts a ledger row under a fresh id and adds one to a counter, in one
 * transaction. It prints {@code ACK <id>} once the commit returned, retries a transaction that
 * failed 40001 under the same id (nothing of it applied), and after 08007 (outcome unknown)
 * retries the same id until it is answered: applied now, or found applied (its ledger row's key
 * refuses it, 23000), printed {@code ACK <id>} either way. Prints {@code LEADER} when it leads.
 */
public final class JdbcNode {
  private JdbcNode() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    String name = args[1];
    HaDatabase db = HaDatabase.builder()
        .database("bank").nodeId(name).secret("a-shared-secret-of-32-characters")
        .timings(LeaseTimings.ofTtl(Duration.ofSeconds(1))).durability(Durability.SYNC)
        .environment(Map.of()).closeOnShutdown(true)
        .lease("file://" + dir.resolve("leases") + "?fsync=false")
        .storage("file://" + dir.resolve("chain"))
        .open(dir.resolve(name + ".db"), "CREATE TABLE ledger(id TEXT PRIMARY KEY, node TEXT NOT NULL);"
            + " CREATE TABLE counter(n INTEGER NOT NULL); INSERT INTO counter VALUES (0);");
    db.awaitReady(Duration.ofSeconds(60));
    db.addRoleListener((role, epoch) -> {
      if (role == Role.LEADER) {
        System.out.println("LEADER");
      }
    });
    if (db.role() == Role.LEADER) {
      System.out.println("LEADER");
    }
    System.out.println("READY");
    HaDataSource ds = HaDataSource.of(db).withTransactionLifetime(Duration.ofSeconds(10));
    for (long i = 0; ; i++) {
      String id = name + "-" + i;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (true) {
        try {
          transfer(ds, id, name);
          System.out.println("ACK " + id);
          break;
        } catch (SQLException e) {
          String state = e.getSQLState();
          if ("23000".equals(state)) {
            System.out.println("ACK " + id); // an earlier attempt with an unknown outcome applied
            break;
          }
          if (System.nanoTime() > deadline) {
            System.out.println("GAVEUP " + id + " " + state + " " + e.getMessage());
            break;
          }
          Thread.sleep(20); // 40001, 08007, 08006: the same id again
        }
      }
    }
  }

  private static void transfer(HaDataSource ds, String id, String node) throws SQLException {
    try (Connection c = ds.getConnection()) {
      c.setAutoCommit(false);
      long n;
      try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT n FROM counter")) {
        rs.next();
        n = rs.getLong(1);
      }
      try (PreparedStatement ins = c.prepareStatement("INSERT INTO ledger(id, node) VALUES (?, ?)")) {
        ins.setString(1, id);
        ins.setString(2, node);
        ins.executeUpdate();
      }
      try (PreparedStatement up = c.prepareStatement("UPDATE counter SET n = ?")) {
        up.setLong(1, n + 1);
        up.executeUpdate();
      }
      c.commit();
    }
  }
}
