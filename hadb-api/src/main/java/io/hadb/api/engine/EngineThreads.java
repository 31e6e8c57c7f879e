package io.hadb.api.engine;

import io.hadb.api.HadbException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Threads a host shares among the engines of the many databases it runs (DESIGN §9), instead of
 * a shipper thread and a snapshot thread per leading database. The host owns them: it shuts them
 * down after closing every engine that uses them.
 *
 * @param timer keeps time only: what runs on it is short and never blocks (it hands work on)
 * @param shipping runs the leaders' shipping passes (a capture and an upload each); bounded, FIFO
 * @param snapshots runs the leaders' scheduled snapshots (a file copy and its upload each);
 *     bounded, FIFO, apart from {@code shipping}: a snapshot waits for a shipping pass
 */
public record EngineThreads(ScheduledExecutorService timer, ExecutorService shipping, ExecutorService snapshots) {
  public EngineThreads {
    HadbException.requireArg(timer, "timer");
    HadbException.requireArg(shipping, "shipping");
    HadbException.requireArg(snapshots, "snapshots");
    if (shipping == snapshots) {
      throw HadbException.invalidArgument("shipping and snapshots need separate executors: a snapshot waits for"
          + " a shipping pass, and on one bounded pool snapshots could hold every thread while they wait");
    }
  }
}
