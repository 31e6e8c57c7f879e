package io.hadb.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hadb.coordinator.HaDatabase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The binder's meters read the database's live figures on every scrape. */
class HadbMetricsTest {
  @TempDir Path dir;

  @Test
  void metersFollowTheDatabase() {
    try (HaDatabase db = HaDatabase.local(dir.resolve("m.db"), "CREATE TABLE t(x INTEGER);")) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      new HadbMetrics(db, "m").bindTo(registry);
      assertEquals(1.0, registry.get("hadb.leader").tag("database", "m").gauge().value(), "local mode leads");
      assertEquals(1.0, registry.get("hadb.epoch").gauge().value());
      double before = registry.get("hadb.applied.seq").gauge().value();
      db.execute("INSERT INTO t VALUES (1)");
      assertEquals(db.appliedSeq(), (long) registry.get("hadb.applied.seq").gauge().value());
      assertEquals(0.0, registry.get("hadb.forwards").functionCounter().count());
      assertEquals(13, registry.getMeters().size(), "every figure of MetricsSnapshot but the role is one meter");
      assertEquals(before <= db.appliedSeq(), true);
    }
  }
}
