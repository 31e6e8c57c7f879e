package io.hadb.changeset.bench;

import java.util.Collection;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs {@link ChangesetThroughputBenchmark} and prints one line per figure, each beside raw
 * SHA-256 measured in the same run:
 *
 * <pre>
 * changeset_encode_mb_s=N sha256_mb_s=N ratio=encode/sha256
 * changeset_decode_mb_s=N sha256_mb_s=N ratio=decode/sha256
 * changeset_zstd_encode_mb_s=N sha256_mb_s=N ratio=...
 * changeset_zstd_decode_mb_s=N sha256_mb_s=N ratio=...
 * </pre>
 *
 * MB is 10^6 bytes of the plain object (header + page records), whatever the encoding. Settings
 * come from system properties: {@code bench.warmups} (3), {@code bench.iterations} (5),
 * {@code bench.seconds} (1 per iteration), {@code bench.forks} (1), {@code bench.pages} (256).
 */
public final class ChangesetThroughput {
  private ChangesetThroughput() {}

  public static void main(String[] args) throws RunnerException {
    int pages = Integer.getInteger("bench.pages", 256);
    int seconds = Integer.getInteger("bench.seconds", 1);
    Options opts = new OptionsBuilder()
        .include(ChangesetThroughputBenchmark.class.getName() + "\\.")
        .param("pages", String.valueOf(pages))
        .warmupIterations(Integer.getInteger("bench.warmups", 3))
        .warmupTime(TimeValue.seconds(seconds))
        .measurementIterations(Integer.getInteger("bench.iterations", 5))
        .measurementTime(TimeValue.seconds(seconds))
        .forks(Integer.getInteger("bench.forks", 1))
        .shouldFailOnError(true)
        .build();
    Collection<RunResult> results = new Runner(opts).run();

    double mbPerOp = ChangesetThroughputBenchmark.bytesPerOp(pages) / 1e6;
    Map<String, Double> cpu = new HashMap<>();
    Map<String, Double> wall = new HashMap<>();
    for (RunResult r : results) {
      String method = r.getParams().getBenchmark();
      method = method.substring(method.lastIndexOf('.') + 1);
      double opsPerSecond = r.getPrimaryResult().getScore();
      double cpuNanos = r.getSecondaryResults().get("cpuNanos").getScore();
      double ops = r.getSecondaryResults().get("ops").getScore();
      wall.put(method, opsPerSecond * mbPerOp);
      cpu.put(method, ops * mbPerOp * 1e9 / cpuNanos);
    }
    System.out.println();
    System.out.println("# MB/s per CPU-second of the benchmark thread (steady under machine load):");
    lines("", cpu);
    System.out.println("# MB/s per wall-clock second (swings with the load of other processes):");
    lines("# wall ", wall);
  }

  private static void lines(String prefix, Map<String, Double> mbs) {
    double sha = mbs.get("sha256");
    line(prefix, "changeset_encode_mb_s", mbs.get("encodePlain"), sha);
    line(prefix, "changeset_decode_mb_s", mbs.get("decodePlain"), sha);
    line(prefix, "changeset_zstd_encode_mb_s", mbs.get("encodeZstd"), sha);
    line(prefix, "changeset_zstd_decode_mb_s", mbs.get("decodeZstd"), sha);
  }

  private static void line(String prefix, String name, double value, double sha) {
    System.out.println(String.format(Locale.ROOT, "%s%s=%.1f sha256_mb_s=%.1f ratio=%.3f",
        prefix, name, value, sha, value / sha));
  }
}
