package io.hadb.coordinator.threads;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One database's serial work on a node's {@link SharedThreads}: tasks run one at a time, in the
 * order given, on whichever worker is free, and no thread is held while the lane is empty. It
 * stands where a database once had a single-threaded executor of its own (its lease steps, its
 * lease events, its role changes, its pulls), with the same ordering and the same shutdown.
 */
public final class Lane implements Executor {
  private static final System.Logger LOG = System.getLogger(Lane.class.getName());

  private final String name;
  private final SharedThreads threads;
  private final Executor pool;
  private final ArrayDeque<Runnable> queue = new ArrayDeque<>(); // guarded by this
  private boolean running; // a drain is submitted or running; guarded by this
  private boolean paused; // guarded by this
  private boolean shutdown; // guarded by this

  Lane(String name, SharedThreads threads, Executor pool, boolean paused) {
    this.name = name;
    this.threads = threads;
    this.pool = pool;
    this.paused = paused;
  }

  /** Queues {@code task}; throws {@link RejectedExecutionException} once the lane is shut down. */
  @Override
  public void execute(Runnable task) {
    synchronized (this) {
      if (shutdown) {
        throw new RejectedExecutionException(name + " is shut down");
      }
      queue.add(task);
      if (running || paused) {
        return;
      }
      running = true;
    }
    submitDrain();
  }

  /** Runs {@code task} on this lane after {@code delay}; dropped if the lane is shut down by then. */
  public ScheduledFuture<?> schedule(Runnable task, long delay, TimeUnit unit) {
    return threads.onTime(() -> executeQuietly(task), unit.toNanos(delay));
  }

  /**
   * Runs {@code task} on this lane after {@code initialDelay}, then again {@code delay} after each
   * run ends, until cancelled or the lane is shut down.
   */
  public Repeating scheduleWithFixedDelay(Runnable task, long initialDelay, long delay, TimeUnit unit) {
    Repeating r = new Repeating(task, unit.toNanos(delay));
    r.arm(unit.toNanos(initialDelay));
    return r;
  }

  /** A task run again and again on this lane; {@link #cancel()} stops it. */
  public final class Repeating {
    private final Runnable task;
    private final long delayNanos;
    private volatile boolean cancelled;
    private volatile ScheduledFuture<?> next;

    Repeating(Runnable task, long delayNanos) {
      this.task = task;
      this.delayNanos = Math.max(1, delayNanos);
    }

    void arm(long nanos) {
      if (cancelled || isShutdown()) {
        return;
      }
      try {
        next = threads.onTime(() -> executeQuietly(this::runOnce), nanos);
      } catch (RejectedExecutionException e) {
        // the node is closing
      }
    }

    private void runOnce() {
      if (cancelled) {
        return;
      }
      try {
        task.run();
      } finally {
        arm(delayNanos);
      }
    }

    public void cancel() {
      cancelled = true;
      ScheduledFuture<?> f = next;
      if (f != null) {
        f.cancel(false);
      }
    }
  }

  private void executeQuietly(Runnable task) {
    try {
      execute(task);
    } catch (RejectedExecutionException e) {
      // shut down meanwhile: a delayed task is dropped, as a single-threaded scheduler drops it
    }
  }

  /** Runs what was queued while paused, and everything from then on. */
  public void resume() {
    synchronized (this) {
      if (!paused) {
        return;
      }
      paused = false;
      if (running || queue.isEmpty()) {
        return;
      }
      running = true;
    }
    submitDrain();
  }

  private void submitDrain() {
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      synchronized (this) {
        running = false;
        queue.clear();
        notifyAll();
      }
      throw e;
    }
  }

  private void drain() {
    while (true) {
      Runnable next;
      synchronized (this) {
        next = paused ? null : queue.poll();
        if (next == null) {
          running = false;
          notifyAll();
          return;
        }
      }
      try {
        next.run();
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "a task of " + name + " failed", e);
      }
    }
  }

  /**
   * No new tasks; what is queued still runs (a paused lane is resumed for it), delayed tasks not
   * yet due are dropped.
   */
  public void shutdown() {
    synchronized (this) {
      shutdown = true;
    }
    resume();
  }

  /** No new tasks and nothing queued runs any more; a task running now finishes. */
  public void shutdownNow() {
    synchronized (this) {
      shutdown = true;
      queue.clear();
    }
  }

  public synchronized boolean isShutdown() {
    return shutdown;
  }

  /** Waits until the lane is shut down and has run what it must; false on timeout. */
  public synchronized boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
    long deadline = System.nanoTime() + unit.toNanos(timeout);
    while (!shutdown || running || (!paused && !queue.isEmpty())) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      TimeUnit.NANOSECONDS.timedWait(this, left);
    }
    return true;
  }

  @Override
  public String toString() {
    return "Lane[" + name + "]";
  }
}
