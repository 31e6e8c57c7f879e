package io.hadb.api.engine;

import io.hadb.api.HadbException;
import java.time.Instant;

/** What a restore brings back: the chain's end, a given seq, or the state at a moment. */
public sealed interface RestorePoint {
  record Latest() implements RestorePoint {}

  record AtSeq(long seq) implements RestorePoint {
    public AtSeq {
      if (seq < 1) {
        throw HadbException.invalidArgument("seq must be at least 1, was " + seq);
      }
    }
  }

  /** The last changeset created at or before {@code time} (the leader's clock when it shipped). */
  record AtTime(Instant time) implements RestorePoint {
    public AtTime {
      HadbException.requireArg(time, "time");
    }
  }

  static RestorePoint latest() {
    return new Latest();
  }

  static RestorePoint seq(long seq) {
    return new AtSeq(seq);
  }

  static RestorePoint time(Instant t) {
    return new AtTime(t);
  }
}
