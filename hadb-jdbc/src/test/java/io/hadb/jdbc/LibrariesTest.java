package io.hadb.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.hadb.coordinator.HaDatabase;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Real libraries on the hadb DataSource of a leader and a follower (one cluster for the class),
 * each behind HikariCP: Flyway migrates the replicated database from the follower and finds
 * nothing to do on the leader; Spring's JdbcTemplate in a TransactionTemplate and JDBI's
 * inTransaction run read-modify-write transfers on both nodes at once, and no money is made or
 * lost.
 */
class LibrariesTest {
  @TempDir static Path dir;
  static Cluster cluster;
  static HaDatabase leader;
  static HaDatabase follower;
  static HikariDataSource poolOnLeader;
  static HikariDataSource poolOnFollower;

  @BeforeAll
  static void start() throws Exception {
    cluster = new Cluster(dir, ""); // the schema comes from Flyway
    HaDatabase[] lf = cluster.leaderAndFollower();
    leader = lf[0];
    follower = lf[1];
    poolOnLeader = pool(HaDataSource.of(leader), "leader");
    poolOnFollower = pool(HaDataSource.of(follower), "follower");
  }

  private static HikariDataSource pool(DataSource ds, String name) {
    HikariConfig c = new HikariConfig();
    c.setDataSource(ds);
    c.setPoolName("hadb-" + name);
    c.setMaximumPoolSize(4);
    c.setAutoCommit(true);
    return new HikariDataSource(c);
  }

  @AfterAll
  static void stop() {
    if (poolOnLeader != null) {
      poolOnLeader.close();
      poolOnFollower.close();
    }
    cluster.close();
  }

  private static synchronized void migrate() {
    Flyway.configure().dataSource(poolOnFollower).locations("classpath:db/migration").load().migrate();
  }

  @Test
  void flywayMigratesTheReplicatedDatabaseOnce() {
    migrate();
    MigrateResult again = Flyway.configure().dataSource(poolOnLeader).locations("classpath:db/migration").load()
        .migrate();
    assertEquals(0, again.migrationsExecuted, "the leader finds every version applied through the follower");
    JdbcTemplate onLeader = new JdbcTemplate(poolOnLeader);
    assertEquals(3, onLeader.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE success = 1",
        Integer.class));
    assertEquals(2, onLeader.queryForObject("SELECT count(*) FROM account", Integer.class), "V2 ran once");
  }

  @Test
  void jdbcTemplateAndJdbiTransfersOnBothNodesConserveMoney() throws Exception {
    migrate();
    int transfers = Integer.getInteger("hadb.jdbc.transfers", 10);
    JdbcTemplate jtLeader = new JdbcTemplate(poolOnLeader);
    long before = jtLeader.queryForObject("SELECT sum(balance) FROM account", Long.class);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (DataSource ds : List.of(poolOnLeader, poolOnFollower)) {
        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
        JdbcTemplate jt = new JdbcTemplate(ds);
        done.add(pool.submit(() -> {
          for (int i = 0; i < transfers; i++) {
            tx.executeWithoutResult(s -> {
              long alice = jt.queryForObject("SELECT balance FROM account WHERE owner = 'alice'", Long.class);
              jt.update("UPDATE account SET balance = ? WHERE owner = 'alice'", alice - 1);
              long bob = jt.queryForObject("SELECT balance FROM account WHERE owner = 'bob'", Long.class);
              jt.update("UPDATE account SET balance = ? WHERE owner = 'bob'", bob + 1);
              jt.update("INSERT INTO audit(note) VALUES (?)", "spring alice->bob");
            });
          }
          return null;
        }));
        Jdbi jdbi = Jdbi.create(ds);
        done.add(pool.submit(() -> {
          for (int i = 0; i < transfers; i++) {
            jdbi.useTransaction(h -> {
              long bob = h.createQuery("SELECT balance FROM account WHERE owner = 'bob'").mapTo(Long.class).one();
              h.createUpdate("UPDATE account SET balance = :b WHERE owner = 'bob'").bind("b", bob - 2).execute();
              long alice = h.createQuery("SELECT balance FROM account WHERE owner = 'alice'").mapTo(Long.class).one();
              h.createUpdate("UPDATE account SET balance = :a WHERE owner = 'alice'").bind("a", alice + 2).execute();
              h.createUpdate("INSERT INTO audit(note) VALUES (:n)").bind("n", "jdbi bob->alice").execute();
            });
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
    assertEquals(before, jtLeader.queryForObject("SELECT sum(balance) FROM account", Long.class), "money conserved");
    long spring = jtLeader.queryForObject("SELECT count(*) FROM audit WHERE note LIKE 'spring%'", Long.class);
    long jdbi = jtLeader.queryForObject("SELECT count(*) FROM audit WHERE note LIKE 'jdbi%'", Long.class);
    assertTrue(spring >= 2L * transfers && jdbi >= 2L * transfers, spring + " " + jdbi);
    long aliceNow = jtLeader.queryForObject("SELECT balance FROM account WHERE owner = 'alice'", Long.class);
    long aliceAudit = jtLeader.queryForObject("SELECT count(*) FROM audit WHERE note = 'jdbi bob->alice'", Long.class) * 2
        - jtLeader.queryForObject("SELECT count(*) FROM audit WHERE note = 'spring alice->bob'", Long.class);
    assertEquals(100 + aliceAudit, aliceNow, "every committed transfer applied exactly once, none lost");
  }
}
