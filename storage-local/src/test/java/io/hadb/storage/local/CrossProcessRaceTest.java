package io.hadb.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * putIfAbsent is atomic across processes: this JVM and a forked one, two threads each, race to
 * create the same keys of one directory, round after round, each round started at the same
 * wall-clock instant in both. Every key must have exactly one winner among the four contenders,
 * and the stored bytes must be that winner's, complete.
 */
class CrossProcessRaceTest {
  static final long INTERVAL_MS = 15;
  static final int ROUNDS = 256;
  static final int THREADS = 2;

  @TempDir Path tmp;

  @Test
  void putIfAbsent_has_exactly_one_winner_per_key_across_two_jvms() throws Exception {
    Path root = tmp.resolve("store");
    Path runDir = Files.createDirectories(tmp.resolve("run"));
    Path log = tmp.resolve("child.log");
    String uri = "file://" + root;
    String run = "r" + Long.toHexString(System.nanoTime());
    try (StorageBackend store = StorageBackends.open(uri)) {
      Process child = ChildJvm.start(log, "race", uri, runDir.toString(), run,
          Integer.toString(ROUNDS), Integer.toString(THREADS));
      try {
        ChildJvm.await("the child to be ready", child, log, Duration.ofSeconds(60),
            () -> Files.exists(runDir.resolve("ready")));
        long t0 = System.currentTimeMillis() + 500;
        Path goTmp = runDir.resolve("go.tmp");
        Files.writeString(goTmp, Long.toString(t0));
        Files.move(goTmp, runDir.resolve("go"));

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        List<Future<boolean[]>> mine = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
          int thread = t;
          mine.add(pool.submit(() -> RaceWorker.run(store, run, 1, thread, ROUNDS, t0, INTERVAL_MS)));
        }
        int[][] wins = new int[ROUNDS][];
        for (int r = 0; r < ROUNDS; r++) {
          wins[r] = new int[] {0};
        }
        int[] winnerSeedProcess = new int[ROUNDS];
        long[] winnerSeed = new long[ROUNDS];
        for (int t = 0; t < THREADS; t++) {
          boolean[] won = mine.get(t).get();
          for (int r = 0; r < ROUNDS; r++) {
            if (won[r]) {
              wins[r][0]++;
              winnerSeed[r] = RaceWorker.seed(1, t, r);
            }
          }
        }
        pool.shutdown();

        ChildJvm.await("the child's results", child, log, Duration.ofSeconds(120),
            () -> Files.exists(runDir.resolve("child.results")));
        assertEquals(0, child.waitFor(), () -> "child failed:\n" + ChildJvm.output(log));
        for (String line : Files.readAllLines(runDir.resolve("child.results"))) {
          String[] parts = line.split(" ");
          int t = Integer.parseInt(parts[0]);
          int r = Integer.parseInt(parts[1]);
          wins[r][0]++;
          winnerSeed[r] = RaceWorker.seed(2, t, r);
        }

        int byParent = 0;
        int byChild = 0;
        for (int r = 0; r < ROUNDS; r++) {
          int round = r;
          assertEquals(1, wins[r][0], () -> "key " + RaceWorker.key(run, round) + " had "
              + wins[round][0] + " winners across both JVMs (exactly 1 required)");
          Optional<InputStream> in = store.getStream(RaceWorker.key(run, r));
          assertTrue(in.isPresent(), "the won key " + RaceWorker.key(run, r) + " is missing");
          Content.Checked stored;
          try (InputStream s = in.get()) {
            stored = Content.verify(s, RaceWorker.key(run, r));
          }
          assertEquals(winnerSeed[r], stored.seed(),
              "key " + RaceWorker.key(run, r) + " holds another contender's bytes than the winner's");
          winnerSeedProcess[r] = RaceWorker.processOf(stored.seed());
          if (winnerSeedProcess[r] == 1) {
            byParent++;
          } else {
            byChild++;
          }
        }
        assertEquals(ROUNDS, store.listAll("race/" + run + "/").size());
        System.out.printf("cross-process race: %d rounds, %d contenders per key (2 JVMs x %d threads),"
            + " exactly one winner each; won by this JVM %d, by the forked JVM %d%n",
            ROUNDS, 2 * THREADS, THREADS, byParent, byChild);
        // Not a correctness rule, but proof the two JVMs really raced: if one of them always won,
        // the rounds were not overlapping and the test above would prove nothing.
        assertTrue(byParent > 0 && byChild > 0,
            "one JVM won every round (parent " + byParent + ", child " + byChild
                + "): the rounds did not overlap, so no cross-process race was exercised");
        // No temp file may be left behind by the losers.
        try (var files = Files.walk(root)) {
          List<Path> temps = files.filter(p -> p.getFileName().toString().startsWith("~")).toList();
          assertEquals(List.of(), temps, "temp files left behind");
        }
      } finally {
        if (child.isAlive()) {
          ChildJvm.kill(child);
        }
      }
    }
  }
}
