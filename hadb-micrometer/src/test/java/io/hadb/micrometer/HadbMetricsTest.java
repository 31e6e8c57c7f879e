package io.hadb.micrometer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.coordinator.HaDatabase;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
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
      FunctionTimer commits = registry.get("hadb.commit").tag("database", "m").functionTimer();
      assertEquals(1.0, commits.count(), "the insert is one timed commit");
      assertTrue(commits.totalTime(TimeUnit.NANOSECONDS) > 0);
      assertEquals(0.0, registry.get("hadb.forward").functionTimer().count(), "a local database forwards nothing");
      assertEquals(0.0, registry.get("hadb.lag").gauge().value(), "a leader is the chain's head");
      assertEquals(16, registry.getMeters().size(),
          "every figure of MetricsSnapshot but the role is one meter, plus lag in time and the two timers");
      assertEquals(before <= db.appliedSeq(), true);
    }
  }
}
