package io.hadb.spring.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.HadbException;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.Role;
import io.hadb.jdbc.HaDataSource;
import java.nio.file.Path;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.actuate.health.Status;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A real Spring Boot application with the starter: the HaDatabase and its DataSource come from
 * {@code hadb.*} properties, Boot's JdbcTemplate and transaction manager run on them, the health
 * indicator says UP on the leader, and closing the context hands the database off (closed).
 */
class StarterAppTest {
  @TempDir Path dir;

  @SpringBootApplication
  static class App {}

  @Test
  void bootAppRunsOnTheReplicatedDatabase() {
    SpringApplication app = new SpringApplication(App.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    HaDatabase db;
    try (ConfigurableApplicationContext ctx = app.run(
        "--hadb.path=" + dir.resolve("app.db"),
        "--hadb.database=app",
        "--hadb.lease=file://" + dir.resolve("leases") + "?fsync=false",
        "--hadb.storage=file://" + dir.resolve("chain"),
        "--hadb.secret=a-shared-secret-of-32-characters",
        "--hadb.schema=CREATE TABLE greeting(id INTEGER PRIMARY KEY, text TEXT NOT NULL);")) {
      db = ctx.getBean(HaDatabase.class);
      assertTrue(ctx.getBean(DataSource.class) instanceof HaDataSource, "the starter's DataSource is Boot's");
      JdbcTemplate jdbc = ctx.getBean(JdbcTemplate.class);
      TransactionTemplate tx = new TransactionTemplate(ctx.getBean(PlatformTransactionManager.class));
      tx.executeWithoutResult(s -> {
        jdbc.update("INSERT INTO greeting(text) VALUES (?)", "hello");
        jdbc.update("INSERT INTO greeting(text) VALUES (?)", "world");
      });
      assertEquals(2, jdbc.queryForObject("SELECT count(*) FROM greeting", Integer.class));
      HadbHealthIndicator health = ctx.getBean(HadbHealthIndicator.class);
      assertEquals(Role.LEADER, db.role());
      assertEquals(Status.UP, health.health().getStatus());
      assertEquals("LEADER", health.health().getDetails().get("role"));
    }
    HadbException closed = assertThrows(HadbException.class, () -> db.query("SELECT 1"));
    assertEquals(io.hadb.api.ErrorCode.CLOSED, closed.code(), "the context closed the database: hand-off done");
  }
}
