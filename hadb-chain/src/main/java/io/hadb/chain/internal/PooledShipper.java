package io.hadb.chain.internal;

import io.hadb.api.engine.EngineThreads;
import java.lang.System.Logger.Level;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * A leader's shipper as passes on a host's shared threads instead of a thread of its own (DESIGN
 * §9). The ledger queues a pass when there is work and none is queued; a pass does what one turn
 * of the shipper thread's loop does (one capture, one upload, the snapshot checks) and, while
 * work remains, queues the next one at the tail of the pool's queue.
 *
 * <p>Fairness: a database has at most one pass queued or running, and a pass ships everything
 * committed so far as one changeset (group commit), so a SYNC commit waits for at most one pass
 * of each other database with work, spread over the pool's threads, plus its own next pass;
 * never for another database's backlog. A slow upload (a retrying store) holds one thread; the
 * others go on.
 *
 * <p>One difference from a thread of its own: in ASYNC mode a pass held back for the ship
 * interval waits on the timer, and a {@code sync()} arriving meanwhile waits for the rest of that
 * interval (at most {@code shipInterval}, 5 ms by default) instead of cutting it short. SYNC
 * commits are never held back.
 */
final class PooledShipper {
  private static final System.Logger LOG = System.getLogger(PooledShipper.class.getName());

  /** What a pass asks for next. */
  record Next(int kind, long holdNanos) {
    static final Next AGAIN = new Next(0, 0);
    static final Next IDLE = new Next(1, 0);
    static final Next END = new Next(2, 0);

    static Next later(long nanos) {
      return new Next(3, nanos);
    }
  }

  private final EngineThreads threads;
  private final Supplier<Next> pass;
  private final Runnable atEnd;
  private final String name;
  private final CountDownLatch ended = new CountDownLatch(1);

  /** {@code pass} runs one pass; {@code atEnd} runs (on a pool thread) when one ends publishing. */
  PooledShipper(EngineThreads threads, Supplier<Next> pass, Runnable atEnd, String name) {
    this.threads = threads;
    this.pass = pass;
    this.atEnd = atEnd;
    this.name = name;
  }

  /** Queues a pass (the ledger calls this, under its monitor: never blocks). */
  void queue() {
    try {
      threads.shipping().execute(this::run);
    } catch (RejectedExecutionException e) {
      // The host closed its threads before this database: finish on a thread of its own rather
      // than leave writers waiting for a pass that never comes.
      LOG.log(Level.WARNING, "shared shipping threads closed while " + name + " still publishes; shipping on a"
          + " thread of its own until it stops");
      Thread t = new Thread(this::runAlone, "hadb-ship-" + name);
      t.setDaemon(true);
      t.start();
    }
  }

  private void run() {
    Next next = pass.get();
    switch (next.kind()) {
      case 0 -> queue();
      case 1 -> { }
      case 2 -> end();
      default -> later(next.holdNanos());
    }
  }

  private void later(long nanos) {
    try {
      threads.timer().schedule(this::queue, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      queue();
    }
  }

  private void runAlone() {
    while (true) {
      Next next = pass.get();
      if (next == Next.END || next == Next.IDLE) {
        if (next == Next.END) {
          end();
        }
        return;
      }
      if (next.kind() == 3) {
        try {
          TimeUnit.NANOSECONDS.sleep(next.holdNanos());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void end() {
    atEnd.run();
    ended.countDown();
  }

  /** Waits up to {@code millis} for the pass that ends publishing. */
  void awaitEnd(long millis) {
    try {
      ended.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
