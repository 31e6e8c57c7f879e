package io.hadb.api.engine;

/**
 * Progress of long work (a snapshot upload, a restore): bytes and objects done of the total known
 * so far. Called from the working thread, so it must return quickly; totals may grow while the
 * work discovers more (a restore learns the chain's length as it lists).
 */
@FunctionalInterface
public interface Progress {
  /** Ignores every update. */
  Progress NONE = (bytesDone, bytesTotal, objectsDone, objectsTotal) -> { };

  void update(long bytesDone, long bytesTotal, long objectsDone, long objectsTotal);
}
