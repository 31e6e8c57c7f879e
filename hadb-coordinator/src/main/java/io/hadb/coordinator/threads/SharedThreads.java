package io.hadb.coordinator.threads;

import io.hadb.api.HadbException;
import io.hadb.api.engine.EngineThreads;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads of a node, shared by every database it hosts (DESIGN §9): one timer thread that only
 * keeps time and hands work on, a bounded pool that runs the work (lease steps, pulls, role
 * changes), and a small pool for callbacks that must not wait behind a store call (a lease's
 * listeners: a demotion is told while a renew hangs). Pool threads end after a few idle seconds.
 * Each database's serial work goes through {@link Lane}s on them, so the thread count is bounded
 * by {@code workers + 13} whatever the number of databases (with the engines' shipping and
 * snapshot pools, {@link #engineThreads()}), and an idle node holds the timer thread only.
 *
 * <p>A task that blocks (a store call) holds one worker while it runs; a node whose store hangs
 * runs at most {@code workers} such calls at once and queues the rest. What must happen on time
 * whatever the store does (a leader's self-fence at its deadline) runs on the timer thread, and
 * must be short and never block.
 *
 * <p>Every thread is a daemon: a node never keeps the application's JVM alive.
 */
public final class SharedThreads implements AutoCloseable {
  private static final long WORKER_IDLE_SECONDS = 5;
  private static final int CALLBACK_THREADS = 2;
  /**
   * Leaders' shipping passes at once. A pass is a capture (about a millisecond for SQLite) and
   * one upload (I/O), and a database has at most one queued, so a SYNC commit waits for at most
   * one pass of each other database with work, eight at a time: with 100 databases committing at
   * once and 20 ms uploads, about 250 ms; a store that hangs holds at most eight threads, never
   * the lease's. Eight is the forwarding server's handler count too: more uploads at once than
   * writes arriving at once gains nothing.
   */
  public static final int SHIPPING_THREADS = 8;
  /** Scheduled snapshots at once: each copies a whole file and uploads it, so two keep the disk busy. */
  public static final int SNAPSHOT_THREADS = 2;

  private final ScheduledThreadPoolExecutor timer;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor callbacks;
  private final ThreadPoolExecutor shipping;
  private final ThreadPoolExecutor snapshots;

  private SharedThreads(String name, int workers) {
    this.timer = new ScheduledThreadPoolExecutor(1, daemon(name + "-timer"));
    this.timer.setRemoveOnCancelPolicy(true);
    this.timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    this.timer.setContinueExistingPeriodicTasksAfterShutdownPolicy(false);
    this.workers = new ThreadPoolExecutor(workers, workers, WORKER_IDLE_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemon(name + "-work"));
    this.workers.allowCoreThreadTimeOut(true);
    this.callbacks = new ThreadPoolExecutor(CALLBACK_THREADS, CALLBACK_THREADS, WORKER_IDLE_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemon(name + "-callback"));
    this.callbacks.allowCoreThreadTimeOut(true);
    this.shipping = pool(SHIPPING_THREADS, name + "-ship");
    this.snapshots = pool(SNAPSHOT_THREADS, name + "-snapshot");
  }

  private static ThreadPoolExecutor pool(int threads, String name) {
    ThreadPoolExecutor p = new ThreadPoolExecutor(threads, threads, WORKER_IDLE_SECONDS, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), daemon(name));
    p.allowCoreThreadTimeOut(true);
    return p;
  }

  /**
   * The threads the engines of this node's databases share for shipping and snapshots (see
   * {@link EngineThreads}): the timer, and two bounded pools of their own, apart from the
   * workers so that uploads never hold up lease steps.
   */
  public EngineThreads engineThreads() {
    return new EngineThreads(timer, shipping, snapshots);
  }

  /**
   * @param name the threads' name prefix
   * @param workers the most work that runs at once (blocking store calls included)
   */
  public static SharedThreads create(String name, int workers) {
    HadbException.requireArg(name, "name");
    if (workers < 1) {
      throw HadbException.invalidArgument("workers must be at least 1, was " + workers);
    }
    return new SharedThreads(name, workers);
  }

  /** A serial lane for one part of one database ({@code name} for logs only). */
  public Lane lane(String name) {
    return new Lane(name, this, workers, false);
  }

  /** A lane that queues what it is given and runs nothing until {@link Lane#resume()}. */
  public Lane pausedLane(String name) {
    return new Lane(name, this, workers, true);
  }

  /**
   * A lane for short callbacks that never block on a store, run apart from the work so that a
   * hung store call does not hold them up.
   */
  public Lane callbackLane(String name) {
    return new Lane(name, this, callbacks, false);
  }

  /**
   * Runs {@code task} on the timer thread after {@code nanos}: only for short work that must
   * happen on time and never blocks.
   */
  public ScheduledFuture<?> onTime(Runnable task, long nanos) {
    return timer.schedule(task, Math.max(0, nanos), TimeUnit.NANOSECONDS);
  }

  /** Threads alive now (the timer and the pool threads that have not timed out). */
  public int threadsAlive() {
    return 1 + workers.getPoolSize() + callbacks.getPoolSize() + shipping.getPoolSize() + snapshots.getPoolSize();
  }

  /**
   * Stops both pools. The databases' lanes must be shut down first: work still queued here is
   * dropped, a task running now finishes on its own.
   */
  @Override
  public void close() {
    timer.shutdownNow();
    workers.shutdown();
    callbacks.shutdown();
    shipping.shutdown();
    snapshots.shutdown();
  }

  private static ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
