package io.hadb.engine.sqlite;

import io.hadb.api.HadbException;
import java.time.Duration;

/**
 * Tuning for one SQLite database.
 *
 * @param readConnections size of the local read pool (1–64)
 * @param busyTimeout how long a connection waits on SQLite's locks before failing with TIMEOUT
 */
public record SqliteOptions(int readConnections, Duration busyTimeout) {
  public SqliteOptions {
    if (readConnections < 1 || readConnections > 64) {
      throw HadbException.invalidArgument("readConnections must be between 1 and 64, was " + readConnections);
    }
    HadbException.requireArg(busyTimeout, "busyTimeout");
    if (busyTimeout.isNegative()) {
      throw HadbException.invalidArgument("busyTimeout must not be negative, was " + busyTimeout);
    }
  }

  public static SqliteOptions defaults() {
    return new SqliteOptions(4, Duration.ofSeconds(5));
  }

  public SqliteOptions withReadConnections(int n) {
    return new SqliteOptions(n, busyTimeout);
  }
}
