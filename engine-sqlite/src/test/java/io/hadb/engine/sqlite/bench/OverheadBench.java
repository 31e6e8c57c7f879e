package io.hadb.engine.sqlite.bench;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.engine.sqlite.Durability;
import io.hadb.engine.sqlite.SqliteEngine;
import io.hadb.engine.sqlite.SqliteOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;

/**
 * DESIGN §7 benchmark, one run: raw sqlite-jdbc against the engine as a replicating ASYNC leader
 * on storage-local, on the same disk, over a table of {@code rows} rows (default 100,000).
 *
 * <p>Raw uses plain JDBC with the engine's connection pragmas (WAL, {@code synchronous=NORMAL},
 * 64 MB cache) and prepared statements kept open, as a careful JDBC user would. One difference
 * is deliberate: raw keeps SQLite's own {@code wal_autocheckpoint=1000}, because with the
 * engine's {@code 0} raw would never checkpoint at all; the engine checkpoints after shipping
 * every {@code checkpointPages=1000} frames, the same cadence.
 *
 * <p>Each operation alternates raw and HA for {@value #ROUNDS} rounds and keeps the best round of
 * each (other builds share this machine, and the best round is the least disturbed one). Output:
 * {@code op=<name> raw_ops_s=<n> ha_ops_s=<n> ratio=<ha/raw>} per operation, then
 * {@code lag_ms_p50=<n> lag_ms_p99=<n>} and {@code sync_commits_s=<n>} (see {@link LagBench}).
 */
public final class OverheadBench {
  static final int ROUNDS = 5;

  private OverheadBench() {}

  public static void main(String[] args) throws Exception {
    int rows = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    Path dir = Files.createTempDirectory("hadb-sqlite-bench");
    try {
      run(dir, rows);
    } finally {
      try (var files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
    }
  }

  /** Lets the shipper's checkpoint after the big populate finish before anything is timed. */
  static void awaitQuiet(SqliteEngine leader) throws InterruptedException {
    leader.replicator().sync();
    Thread.sleep(2000);
  }

  static void run(Path dir, int rows) throws Exception {
    SqliteOptions options = SqliteOptions.defaults().withDurability(Durability.ASYNC);
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store"));
        RawDb raw = RawDb.open(dir.resolve("raw.db"));
        SqliteEngine leader = SqliteEngine.open(dir.resolve("ha.db"), storage, "bench/", options)) {
      leader.replicator().startPublishing(1, 1);
      BenchOps rawOps = new BenchOps.Raw(raw.connection(), rows);
      BenchOps haOps = new BenchOps.Ha(leader.executor(), rows);
      rawOps.populate();
      haOps.populate();
      leader.replicator().sync();
      awaitQuiet(leader);
      for (BenchOps.Op op : BenchOps.Op.values()) {
        double best = 0;
        double bestHa = 0;
        for (int round = 0; round < ROUNDS; round++) {
          // Alternate who goes first, so neither always runs right after the other's writes.
          if (round % 2 == 0) {
            best = Math.max(best, rawOps.measure(op));
            bestHa = Math.max(bestHa, haOps.measure(op));
          } else {
            bestHa = Math.max(bestHa, haOps.measure(op));
            best = Math.max(best, rawOps.measure(op));
          }
        }
        System.out.printf(Locale.ROOT, "op=%s raw_ops_s=%.0f ha_ops_s=%.0f ratio=%.3f%n",
            op.label(), best, bestHa, bestHa / best);
      }
      leader.replicator().sync();
      LagBench.lag(dir, storage, leader, options);
    }
    LagBench.syncCommits(dir, 16);
  }
}
