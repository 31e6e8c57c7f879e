package io.hadb.storage.local;

import io.hadb.api.StorageBackend;
import java.util.concurrent.locks.LockSupport;

/**
 * One contender of the cross-process putIfAbsent race: at wall-clock instant
 * {@code t0 + round * intervalMillis} it tries to create {@code key(round)} with a body whose
 * seed names this contender. Both JVMs run on one machine, so they share that clock and start
 * each round together.
 */
final class RaceWorker {
  static final int BODY_BYTES = 48 * 1024;

  private RaceWorker() {}

  static String key(String run, int round) {
    return "race/" + run + "/k" + String.format("%05d", round);
  }

  /** The seed of a contender's body: process tag, thread and round, all recoverable. */
  static long seed(int processTag, int thread, int round) {
    return ((long) processTag << 40) | ((long) thread << 24) | round;
  }

  static int processOf(long seed) {
    return (int) (seed >>> 40);
  }

  /** Returns, per round, whether this contender won. */
  static boolean[] run(StorageBackend store, String run, int processTag, int thread, int rounds,
      long t0, long intervalMillis) {
    boolean[] won = new boolean[rounds];
    for (int r = 0; r < rounds; r++) {
      waitUntil(t0 + r * intervalMillis);
      won[r] = store.putIfAbsent(key(run, r), Content.body(seed(processTag, thread, r), BODY_BYTES));
    }
    return won;
  }

  private static void waitUntil(long epochMillis) {
    long left;
    while ((left = epochMillis - System.currentTimeMillis()) > 2) {
      LockSupport.parkNanos((left - 2) * 1_000_000L);
    }
    while (System.currentTimeMillis() < epochMillis) {
      Thread.onSpinWait();
    }
  }
}
