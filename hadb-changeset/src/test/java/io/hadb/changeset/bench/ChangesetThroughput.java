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
 * SHA-256 over the same bytes measured in the same ops:
 *
 * <pre>
 * changeset_encode_mb_s=N sha256_mb_s=N ratio=encode/sha256
 * changeset_decode_mb_s=N sha256_mb_s=N ratio=decode/sha256
 * changeset_zstd_encode_mb_s=N sha256_mb_s=N ratio=...
 * changeset_zstd_decode_mb_s=N sha256_mb_s=N ratio=...
 * </pre>
 *
 * MB is 10^6 bytes of the plain object (header + page records), whatever the encoding, per
 * CPU-second of the benchmark thread (see {@link PairClock}); the same figures per wall-clock
 * second follow as {@code # wall} lines. Settings
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
    Map<String, RunResult> byMethod = new HashMap<>();
    for (RunResult r : results) {
      String method = r.getParams().getBenchmark();
      byMethod.put(method.substring(method.lastIndexOf('.') + 1), r);
    }
    System.out.println();
    System.out.println("# MB/s per CPU-second of the benchmark thread; each changeset op is"
        + " followed by raw SHA-256 over the same bytes in the same op:");
    for (String clock : new String[] {"Cpu", "Wall"}) {
      if (clock.equals("Wall")) {
        System.out.println("# the same per wall-clock second (swings with other processes):");
      }
      String prefix = clock.equals("Wall") ? "# wall " : "";
      line(prefix, "changeset_encode_mb_s", byMethod.get("encodePlain"), clock, mbPerOp);
      line(prefix, "changeset_decode_mb_s", byMethod.get("decodePlain"), clock, mbPerOp);
      line(prefix, "changeset_zstd_encode_mb_s", byMethod.get("encodeZstd"), clock, mbPerOp);
      line(prefix, "changeset_zstd_decode_mb_s", byMethod.get("decodeZstd"), clock, mbPerOp);
    }
  }

  private static void line(
      String prefix, String name, RunResult r, String clock, double mbPerOp) {
    double ops = secondary(r, "ops");
    double changeset = ops * mbPerOp * 1e9 / secondary(r, "changeset" + clock + "Nanos");
    double sha = ops * mbPerOp * 1e9 / secondary(r, "sha256" + clock + "Nanos");
    System.out.println(String.format(Locale.ROOT, "%s%s=%.1f sha256_mb_s=%.1f ratio=%.3f",
        prefix, name, changeset, sha, changeset / sha));
  }

  private static double secondary(RunResult r, String name) {
    return r.getSecondaryResults().get(name).getScore();
  }
}
