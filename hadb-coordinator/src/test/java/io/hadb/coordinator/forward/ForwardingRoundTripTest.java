package io.hadb.coordinator.forward;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hadb.api.engine.Executor;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Prints the forwarded write round trip on loopback beside a local write on the same kind of
 * file, in the same run (absolute figures on a shared machine are noise; the ratio and the
 * forwarding overhead are what to read). Asserts only that every write landed once.
 */
class ForwardingRoundTripTest {
  static final int WARMUP = 200;
  static final int N = 1000;

  @TempDir Path dir;

  @Test
  void forwardedWriteRoundTrip() {
    String db = "rtt-" + UUID.randomUUID();
    try (ForwardNode leader = ForwardNode.sqlite(db, "leader", dir.resolve("leader.db")).claim();
        Executor local = ForwardNode.open(dir.resolve("local.db"))) {
      leader.executor.execute(ForwardingServerTest.SCHEMA, List.of());
      local.execute(ForwardingServerTest.SCHEMA, List.of());
      ForwardingClient c = new ForwardingClient(db, LeaderLocator.fromLeaseStore(leader.store, db), ForwardNode.SECRET,
          ForwardingOptions.defaults(), new CoordinatorMetrics());
      long[] fwd = new long[N];
      long[] loc = new long[N];
      long[] read = new long[N];
      for (int i = -WARMUP; i < N; i++) {
        if (i % 100 == 0) {
          leader.step(); // renew: the test's lease is stepped by hand
        }
        List<SqlValue> p = List.of(SqlValue.of("v" + i));
        long t0 = System.nanoTime();
        c.execute("INSERT INTO t(v) VALUES (?)", p);
        long t1 = System.nanoTime();
        local.executeBatch(List.of(new io.hadb.api.engine.SqlStatement("INSERT INTO t(v) VALUES (?)", p)));
        long t2 = System.nanoTime();
        c.query("SELECT 1", List.of());
        long t3 = System.nanoTime();
        if (i >= 0) {
          fwd[i] = t1 - t0;
          loc[i] = t2 - t1;
          read[i] = t3 - t2;
        }
      }
      assertEquals(N + WARMUP, leader.count("t"));
      Arrays.sort(fwd);
      Arrays.sort(loc);
      Arrays.sort(read);
      System.out.printf("forwarded write round trip over %d writes: p50 %.3f ms, p99 %.3f ms;"
          + " local batch of one on the leader's engine: p50 %.3f ms, p99 %.3f ms; forwarding adds %.3f ms at p50%n",
          N, fwd[N / 2] / 1e6, fwd[N * 99 / 100] / 1e6, loc[N / 2] / 1e6, loc[N * 99 / 100] / 1e6,
          (fwd[N / 2] - loc[N / 2]) / 1e6);
      System.out.printf("forwarded read (SELECT 1, the HTTP round trip alone): p50 %.3f ms, p99 %.3f ms%n",
          read[N / 2] / 1e6, read[N * 99 / 100] / 1e6);
    }
  }
}
