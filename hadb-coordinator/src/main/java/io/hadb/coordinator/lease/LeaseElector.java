package io.hadb.coordinator.lease;

import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.Subscription;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import io.hadb.coordinator.threads.Lane;
import io.hadb.coordinator.threads.SharedThreads;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@link LeaderLease} for one node: steps on its own schedule (renew every renewInterval
 * while leading, read every pollInterval while following), an extra step on every watch notice
 * when the store can watch (so a released lease is taken over at once), and a watchdog that
 * demotes the leader exactly at its self-fence deadline even while a renew hangs on an
 * unreachable store. Listener callbacks run in order, one at a time.
 *
 * <p>Steps and callbacks run on two {@link Lane}s of the node's {@link SharedThreads} and the
 * watchdog on its timer thread, so an elector holds no thread of its own while nothing is due
 * (DESIGN §9). An elector started without a node's threads makes its own and closes them.
 */
public final class LeaseElector implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LeaseElector.class.getName());

  private static final java.time.Duration CLOSE_WAIT = java.time.Duration.ofSeconds(10);

  private final LeaderLease lease;
  private final LeaseStore store;
  private final SharedThreads threads;
  private final boolean ownThreads;
  private final Lane steps;
  private final Lane events;
  private volatile Subscription watch; // written on the step thread only
  private final boolean watchWanted;
  private boolean watchUnsupported;
  private boolean watchTried;
  private long lastWatchAttempt;
  private ScheduledFuture<?> fenceCheck;
  private volatile boolean closed;

  private LeaseElector(CoordinatorConfig config, String key, boolean watchWanted, LeaseStore store,
      MonotonicClock clock, InstantSource wall, CoordinatorMetrics metrics, SharedThreads shared) {
    String name = config.database() + "-" + config.nodeId();
    this.store = store;
    this.watchWanted = watchWanted;
    this.ownThreads = shared == null;
    this.threads = shared != null ? shared : SharedThreads.create("hadb-lease-" + name, 1);
    this.steps = threads.lane("lease-" + name);
    this.events = threads.callbackLane("lease-events-" + name);
    this.lease = new LeaderLease(config, key, store, clock, wall, metrics, events);
  }

  /** Starts electing with the system clocks. */
  public static LeaseElector start(CoordinatorConfig config, LeaseStore store) {
    return start(config, store, MonotonicClock.system(), InstantSource.system(), new CoordinatorMetrics());
  }

  /** Starts electing with injected clocks; {@code listeners} are registered before the first step. */
  public static LeaseElector start(CoordinatorConfig config, LeaseStore store, MonotonicClock clock,
      InstantSource wall, CoordinatorMetrics metrics, LeadershipListener... listeners) {
    HadbException.requireArg(config, "config");
    return startOn(config.leaseKey(), true, config, store, clock, wall, metrics, null, listeners);
  }

  /** Starts electing on a node's shared threads (which the caller closes after this elector). */
  public static LeaseElector start(CoordinatorConfig config, LeaseStore store, MonotonicClock clock,
      InstantSource wall, CoordinatorMetrics metrics, SharedThreads threads, LeadershipListener... listeners) {
    HadbException.requireArg(config, "config");
    HadbException.requireArg(threads, "threads");
    return startOn(config.leaseKey(), true, config, store, clock, wall, metrics, threads, listeners);
  }

  /**
   * Starts electing on the register {@code key} (a node lease, DESIGN §9). Without {@code watch}
   * no watch is set up: only this node renews a node lease and only a peer that found it expired
   * writes it, which the next renew learns from, so a notice of every renew would cost a read.
   */
  public static LeaseElector startOn(String key, boolean watch, CoordinatorConfig config, LeaseStore store,
      MonotonicClock clock, InstantSource wall, CoordinatorMetrics metrics, SharedThreads threads,
      LeadershipListener... listeners) {
    HadbException.requireArg(store, "store");
    LeaseElector e = new LeaseElector(config, key, watch, store, clock, wall, metrics, threads);
    for (LeadershipListener l : listeners) {
      e.lease.addListener(l);
    }
    e.begin();
    return e;
  }

  private void begin() {
    steps.execute(this::loop);
  }

  /**
   * Subscribes to the lease key when the store can watch. A store that could not be reached is
   * asked again at most once per ttl (on the step thread), so a node that started during an
   * outage regains instant takeover once the store is back.
   */
  private void watchIfPossible() {
    if (watch != null || watchUnsupported || !watchWanted) {
      return;
    }
    long now = System.nanoTime();
    if (watchTried && now - lastWatchAttempt < lease.config().timings().ttl().toNanos()) {
      return;
    }
    watchTried = true;
    lastWatchAttempt = now;
    try {
      Optional<Subscription> w = store.watch(lease.key(), this::changed);
      watch = w.orElse(null);
      watchUnsupported = w.isEmpty();
    } catch (HadbException e) {
      // Watching is an optimisation: without it a released lease is found by the next poll.
      LOG.log(System.Logger.Level.WARNING, "cannot watch " + lease.key()
          + " yet, polling (will retry): " + e.getMessage());
    }
  }

  /** Whether a watch subscription is active (steps then also run on every change notice). */
  public boolean watching() {
    return watch != null;
  }

  private void changed() {
    if (!closed) {
      try {
        steps.execute(() -> runStep(true));
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private void loop() {
    if (!closed) {
      watchIfPossible();
    }
    runStep(false);
    if (!closed) {
      try {
        steps.schedule(this::loop, lease.nanosUntilNextStep(), TimeUnit.NANOSECONDS);
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  private void runStep(boolean afterChange) {
    if (closed) {
      return;
    }
    try {
      if (afterChange) {
        lease.stepAfterChange();
      } else {
        lease.step();
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "lease step of " + lease + " failed", e);
    }
    armWatchdog();
  }

  /** Schedules a fence check at the current deadline; each step re-arms it for the new one. */
  private synchronized void armWatchdog() {
    if (closed || lease.fenceDeadlineNanos().isEmpty()) {
      return;
    }
    if (fenceCheck != null) {
      fenceCheck.cancel(false);
    }
    long left = lease.checkFence();
    if (left > 0) {
      fenceCheck = threads.onTime(this::fenceCheck, left);
    }
  }

  private void fenceCheck() {
    long left = lease.checkFence();
    if (left > 0) {
      synchronized (this) {
        if (!closed) {
          fenceCheck = threads.onTime(this::fenceCheck, left);
        }
      }
    }
  }

  public LeaderLease lease() {
    return lease;
  }

  public boolean isLeader() {
    return lease.isLeader();
  }

  public void addListener(LeadershipListener listener) {
    lease.addListener(listener);
  }

  /**
   * Stops stepping, releases the lease if held (followers take over at once), and stops the
   * threads. The store is the caller's to close.
   */
  @Override
  public void close() {
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
    }
    if (watch != null) {
      watch.close();
    }
    steps.shutdown();
    awaitQuietly(steps);
    lease.close();
    synchronized (this) {
      if (fenceCheck != null) {
        fenceCheck.cancel(false);
      }
    }
    events.shutdown();
    awaitQuietly(events);
    if (ownThreads) {
      threads.close();
    }
  }

  private void awaitQuietly(Lane ex) {
    try {
      // Only a running step is awaited; the store's own call timeout bounds it in practice.
      if (!ex.awaitTermination(CLOSE_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        LOG.log(System.Logger.Level.WARNING, "lease threads of " + lease + " did not stop in time");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return "LeaseElector[" + lease + "]";
  }
}
