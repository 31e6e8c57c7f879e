package io.hadb.coordinator.role;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.engine.Dialect;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.Replicator;
import io.hadb.api.engine.RequestTable;
import io.hadb.coordinator.Role;
import io.hadb.coordinator.RoleListener;
import io.hadb.coordinator.forward.CommitGate;
import io.hadb.coordinator.lease.DemotionReason;
import io.hadb.coordinator.lease.Lease;
import io.hadb.coordinator.lease.LeadershipListener;
import io.hadb.coordinator.lease.Term;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import io.hadb.coordinator.threads.Lane;
import io.hadb.coordinator.threads.SharedThreads;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Turns lease transitions into engine roles for one {@code HaDatabase} node (DESIGN §6.2): a
 * follower pulls the chain every poll interval; on a claim the role thread stops pulling and runs
 * {@link Promotion} (catch up → seal → publish from seal + 1), applies the schema once, and only
 * then reports {@link #acceptingEpoch()}; on a lost lease it clears that first, stops publishing
 * and pulls again. A promotion that fails releases the lease so another node can try.
 *
 * <p>One lock orders the pull loop and the role changes: the engine may not pull while
 * publishing, nor start publishing mid-pull.
 *
 * <p>From the moment promotion lets the engine publish until a pull after the demotion has
 * brought the file back to the chain, the file may hold commits the chain never gets;
 * {@link #localCopyFollowsChain()} says so, so that reads go elsewhere meanwhile (DESIGN §6.2).
 */
public final class RoleDriver implements LeadershipListener {
  private static final System.Logger LOG = System.getLogger(RoleDriver.class.getName());
  private static final int MAX_SEAL_ATTEMPTS = 5;
  private static final long PULL_WARN_EVERY_NANOS = 10_000_000_000L;
  /**
   * While a push feed covers a follower, how often it still reads storage (DESIGN §9.2): the
   * safety read that catches a changeset a push could have missed.
   */
  public static final Duration DEFAULT_SAFETY_READ = Duration.ofMinutes(4);
  /**
   * How long a graceful hand-off waits for transactions' commits that passed their leadership
   * check to finish (each one a local commit and, in SYNC, its upload).
   */
  static final Duration COMMITS_WAIT = Duration.ofSeconds(10);

  private final String name;
  private final Executor executor;
  private final Replicator replicator;
  private final Dialect dialect;
  private final SchemaScript schema;
  private final Durability durability;
  private final CoordinatorMetrics metrics;
  private final ReentrantLock roleLock = new ReentrantLock();
  private final SharedThreads threads;
  private final boolean ownThreads;
  private final Lane roleThread; // role changes, one at a time
  private final Lane pullThread; // pulls and request-table pruning, one at a time
  private final List<RoleListener> listeners = new CopyOnWriteArrayList<>();
  private final CommitGate commits = new CommitGate();
  private volatile Lease lease; // set once the elector exists
  private volatile long acceptingEpoch; // 0: not accepting writes
  private volatile boolean mayHoldUnpublished; // set when publishing starts, cleared by a pull after it stopped
  private boolean publishing; // guarded by roleLock
  private long lastPullWarning; // pull thread only
  private volatile boolean closed;
  private final List<Lane.Repeating> repeating = new CopyOnWriteArrayList<>();
  private ChangesetFeed feed = ChangesetFeed.NONE; // set before start()
  private long safetyReadNanos = DEFAULT_SAFETY_READ.toNanos();
  private final AtomicBoolean applyQueued = new AtomicBoolean();
  private final AtomicLong maxPushed = new AtomicLong();
  private volatile boolean storageReadDue;
  private long nextSafetyRead; // pull thread only, under roleLock

  /** A driver on threads of its own (closed by {@link #shutdown()}). */
  public RoleDriver(String name, Executor executor, Replicator replicator, Dialect dialect, SchemaScript schema,
      Durability durability, CoordinatorMetrics metrics) {
    this(name, executor, replicator, dialect, schema, durability, metrics, null);
  }

  /**
   * A driver on a node's shared threads (DESIGN §9): it holds no thread while no pull or role
   * change runs. Null makes threads of its own.
   */
  public RoleDriver(String name, Executor executor, Replicator replicator, Dialect dialect, SchemaScript schema,
      Durability durability, CoordinatorMetrics metrics, SharedThreads shared) {
    this.name = name;
    this.executor = executor;
    this.replicator = replicator;
    this.dialect = dialect;
    this.schema = schema;
    this.durability = durability;
    this.metrics = metrics;
    this.ownThreads = shared == null;
    this.threads = shared != null ? shared : SharedThreads.create("hadb-role-" + name, 2);
    // The elector may report a claim before start() hands over its lease: hold role work until then.
    this.roleThread = threads.pausedLane("role-" + name);
    this.pullThread = threads.lane("pull-" + name);
  }

  /**
   * While leading, deletes request-table records older than {@code retention}, every tenth of it
   * (at most hourly): a retry older than that would apply again, so keep it far above any
   * client's deadline.
   */
  public void pruneRequests(RequestTable requests, Duration retention) {
    long every = Math.min(Duration.ofHours(1).toNanos(), Math.max(1, retention.toNanos() / 10));
    repeating.add(pullThread.scheduleWithFixedDelay(() -> pruneOnce(requests, retention), every, every,
        TimeUnit.NANOSECONDS));
  }

  private void pruneOnce(RequestTable requests, Duration retention) {
    long epoch = acceptingEpoch;
    if (closed || epoch == 0 || !roleLock.tryLock()) {
      return;
    }
    try {
      Lease l = lease;
      if (acceptingEpoch == epoch && l != null && l.isLeader()) {
        requests.prune(executor, System.currentTimeMillis() - retention.toMillis());
      }
    } catch (HadbException e) {
      LOG.log(Level.WARNING, name + ": pruning the request table failed: " + e.getMessage());
    } finally {
      roleLock.unlock();
    }
  }

  /**
   * Follows {@code feed} (push, DESIGN §9.2): while it covers this database, the pull loop reads
   * storage once per {@code safetyRead} only, and applies what the feed offers the replicator as
   * it arrives. Call before {@link #start}.
   */
  public void feed(ChangesetFeed feed, Duration safetyRead) {
    this.feed = HadbException.requireArg(feed, "feed");
    this.safetyReadNanos = Math.max(1, safetyRead.toNanos());
  }

  /**
   * The feed offered the replicator the changeset at {@code seq}: apply it now (on the pull
   * thread), and read storage if something before it is missing. Never blocks.
   */
  public void pushed(long seq) {
    maxPushed.accumulateAndGet(seq, Math::max);
    applySoon();
  }

  /** Read storage on the pull thread now, not at the next tick (a subscription began, or a push was lost). */
  public void readStorageSoon() {
    storageReadDue = true;
    applySoon();
  }

  private void applySoon() {
    if (!closed && applyQueued.compareAndSet(false, true)) {
      try {
        pullThread.execute(() -> {
          applyQueued.set(false);
          follow(false);
        });
      } catch (java.util.concurrent.RejectedExecutionException e) {
        // closing
      }
    }
  }

  /** Starts the follower pull loop; {@code lease} is the elector's, consulted before acting. */
  public void start(Lease lease, Duration pollInterval) {
    this.lease = lease;
    roleThread.resume();
    long every = Math.max(1, pollInterval.toNanos());
    repeating.add(pullThread.scheduleWithFixedDelay(this::pullOnce, 0, every, TimeUnit.NANOSECONDS));
  }

  /**
   * Whether the local file holds only what the chain holds: false from the moment this node may
   * commit as leader until a pull after its demotion rebuilt the file from the chain (which
   * drops what the chain never got). While false, a read of the file as a follower could show a
   * commit that is about to vanish.
   */
  public boolean localCopyFollowsChain() {
    return !mayHoldUnpublished;
  }

  /** The epoch for which promotion reached ACCEPTING_WRITES and the lease is not known lost; 0 if none. */
  public long acceptingEpoch() {
    return acceptingEpoch;
  }

  /** The gate transactions' commits pass; {@link #stop()} shuts it (DESIGN §12). */
  public CommitGate commits() {
    return commits;
  }

  public void addListener(RoleListener l) {
    listeners.add(HadbException.requireArg(l, "listener"));
  }

  public void removeListener(RoleListener l) {
    listeners.remove(l);
  }

  @Override
  public void isLeader(Term term) {
    submit(() -> promote(term));
  }

  @Override
  public void notLeader(Term term, DemotionReason reason) {
    // At once, not behind a queued promotion: local writes and forwarded ones stop here.
    if (acceptingEpoch == term.epoch()) {
      acceptingEpoch = 0;
    }
    submit(() -> demote(term, reason));
  }

  /**
   * The engine refused or lost a write with FENCED while this node leads {@code epoch}: its
   * publishing stopped on its own (another writer's changeset or seal took its seq). The lease
   * alone would keep this node "leader" with a dead publisher, so step down and release.
   */
  public void publishingFailed(long epoch, HadbException why) {
    submit(() -> {
      long dropped;
      roleLock.lock();
      try {
        if (acceptingEpoch != epoch || !publishing) {
          return;
        }
        LOG.log(Level.WARNING, name + ": publishing failed at epoch " + epoch + " (" + why.getMessage()
            + "); stepping down");
        dropped = stopPublishingLocked(epoch);
        Lease l = lease;
        if (l != null) {
          l.release(); // before the rebuild, which can take long: another node may take over meanwhile
        }
        followAgainLocked();
      } finally {
        roleLock.unlock();
      }
      fireDropped(epoch, dropped);
      fire(Role.FOLLOWER, epoch);
    });
  }

  private void submit(Runnable r) {
    if (closed) {
      return;
    }
    try {
      roleThread.execute(r);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  private void promote(Term term) {
    roleLock.lock();
    try {
      Lease l = lease;
      if (closed || l == null || !l.isLeader() || l.term().map(Term::epoch).orElse(0L) != term.epoch()) {
        return; // stale: lost again before its turn came
      }
      publishing = true; // from here on the pull loop stays away, whatever promote() leaves behind
      Promotion.Result r = new Promotion(replicator, l::requireLeader, MAX_SEAL_ATTEMPTS).promote(term.epoch());
      if (r.accepted()) {
        mayHoldUnpublished = true; // the schema below, then every accepted write, commits here first
      } else {
        publishing = false;
        LOG.log(Level.WARNING, name + ": promotion at epoch " + term.epoch() + " stopped in " + r.phase()
            + " (" + (r.cause() == null ? "?" : r.cause().getMessage()) + "); releasing the lease");
        l.release();
        return;
      }
      try {
        l.requireLeader(term.epoch());
        if (schema.applyOnce(executor, dialect) && durability == Durability.SYNC) {
          replicator.sync();
        }
      } catch (HadbException e) {
        LOG.log(Level.WARNING, name + ": applying the schema at epoch " + term.epoch() + " failed ("
            + e.getMessage() + "); stepping down");
        long dropped = stopPublishingLocked(term.epoch());
        l.release();
        followAgainLocked();
        fireDropped(term.epoch(), dropped); // under the lock: rare, and listeners take no lock of ours
        return;
      }
      acceptingEpoch = term.epoch();
      metrics.leading(replicator.appliedSeq());
      LOG.log(Level.INFO, name + ": leading at epoch " + term.epoch() + ", sealed at seq " + r.sealSeq());
    } finally {
      roleLock.unlock();
    }
    fire(Role.LEADER, term.epoch());
  }

  private void demote(Term term, DemotionReason reason) {
    long dropped;
    roleLock.lock();
    try {
      if (acceptingEpoch == term.epoch()) {
        acceptingEpoch = 0;
      }
      if (!publishing) {
        return;
      }
      dropped = stopPublishingLocked(term.epoch());
      followAgainLocked();
      LOG.log(Level.INFO, name + ": follower again after epoch " + term.epoch() + " (" + reason + ")");
    } finally {
      roleLock.unlock();
    }
    fireDropped(term.epoch(), dropped);
    fire(Role.FOLLOWER, term.epoch());
  }

  /**
   * Stops publishing. The engine drops the commits the chain lacks when the file is next rebuilt
   * ({@link #followAgainLocked}); their count goes to the metrics and the log here, and to the
   * listeners through {@link #fireDropped} once the lock is released. Returns that count.
   */
  private long stopPublishingLocked(long epoch) {
    acceptingEpoch = 0;
    publishing = false;
    replicator.stopPublishing();
    return countDropped(epoch);
  }

  /**
   * The first pull after a demotion: it rebuilds a file holding commits the chain never got, so
   * the node is a working follower again. A failure is left to the pull loop, which retries.
   */
  private void followAgainLocked() {
    try {
      replicator.pull();
      mayHoldUnpublished = false;
    } catch (HadbException e) {
      LOG.log(Level.WARNING, name + ": first pull after demotion failed (the pull loop retries): " + e.getMessage());
    }
  }

  /** Reads the count of the stopPublishing() just made (only then: the engine keeps the last one). */
  private long countDropped(long epoch) {
    long dropped = replicator.droppedCommits();
    if (dropped > 0) {
      metrics.droppedCommits(dropped);
      LOG.log(Level.WARNING, name + ": demoted from epoch " + epoch + " with " + dropped
          + " local commit(s) the chain never got; they are dropped (the copy is rebuilt from the chain)");
    }
    return dropped;
  }

  private void fireDropped(long epoch, long dropped) {
    if (dropped > 0) {
      notifyListeners(l -> l.commitsDropped(epoch, dropped));
    }
  }

  private void fire(Role role, long epoch) {
    notifyListeners(l -> l.roleChanged(role, epoch));
  }

  /** Calls every listener; one that throws is logged and does not keep the others from hearing. */
  private void notifyListeners(Consumer<RoleListener> call) {
    for (RoleListener l : listeners) {
      try {
        call.accept(l);
      } catch (RuntimeException e) {
        LOG.log(Level.WARNING, name + ": role listener failed: " + e);
      }
    }
  }

  private void pullOnce() {
    follow(true);
  }

  /**
   * One step of following: on a tick ({@code tick}), storage unless the feed covers this
   * database and its safety read is not due; on a push, the offered changesets only. Either way
   * storage when asked for ({@link #readStorageSoon}) or when a pushed changeset does not follow
   * the local copy (one before it was missed).
   */
  private void follow(boolean tick) {
    if (closed || !roleLock.tryLock()) {
      return; // a role change runs: it pulls itself (a pushed changeset waits for the next tick)
    }
    try {
      if (publishing) {
        return;
      }
      long before = replicator.appliedSeq();
      long now = System.nanoTime();
      boolean covered = feed.covers();
      boolean fromStorage = storageReadDue || (tick && (!covered || now - nextSafetyRead >= 0));
      long seq = before;
      if (!fromStorage) {
        seq = replicator.pullOffered();
        fromStorage = seq < maxPushed.get();
        if (!fromStorage && covered) {
          // Covered: the leader pushes each changeset once durable, in order, so what was pushed
          // is the chain's head but for a changeset still on its way (DESIGN §9.2).
          metrics.caughtUp(now);
        }
      }
      if (fromStorage) {
        storageReadDue = false;
        seq = replicator.pull();
        metrics.caughtUp(now);
        mayHoldUnpublished = false; // a pull rebuilds a file that held unpublished commits
        // Covered: the next safety read one interval on. Not: spread, so that databases covered
        // at once (a link opening) do not read storage together ever after.
        nextSafetyRead = now + (covered ? safetyReadNanos
            : (long) (safetyReadNanos * (0.5 + ThreadLocalRandom.current().nextDouble())));
      }
      metrics.pulled(before, seq);
    } catch (HadbException e) {
      long now = System.nanoTime();
      if (lastPullWarning == 0 || now - lastPullWarning > PULL_WARN_EVERY_NANOS) {
        lastPullWarning = now;
        LOG.log(Level.WARNING, name + ": pull failed (retrying every poll): " + e.getMessage());
      }
    } finally {
      roleLock.unlock();
    }
  }

  /**
   * Graceful hand-off, first half: stop accepting writes, let the transactions' commits already
   * past their leadership check finish (bounded), ship what is committed, stop publishing. The
   * caller then releases the lease so a follower claims at once with everything in the chain.
   * An open transaction not committing meanwhile finds the term over at its next call and applies
   * nothing; stopping publishing waits for its write lock (DESIGN §12).
   */
  public void stop() {
    closed = true;
    acceptingEpoch = 0;
    int left = commits.shutAndAwait(COMMITS_WAIT);
    if (left > 0) {
      LOG.log(Level.WARNING, name + ": handing over with " + left + " transaction commit(s) unfinished after "
          + COMMITS_WAIT.toSeconds() + " s; they answer UNKNOWN_OUTCOME unless shipped");
    }
    // shutdown, not shutdownNow: an interrupt inside the engine's file I/O would close its channel
    repeating.forEach(Lane.Repeating::cancel);
    pullThread.shutdown();
    roleLock.lock();
    try {
      if (publishing) {
        try {
          replicator.sync();
        } catch (HadbException e) {
          LOG.log(Level.WARNING, name + ": closing before everything shipped: " + e.getMessage());
        }
        publishing = false;
        replicator.stopPublishing();
        countDropped(lease == null ? 0 : lease.term().map(Term::epoch).orElse(0L));
      }
    } finally {
      roleLock.unlock();
    }
  }

  /** Second half, after the lease is released: no more role work. */
  public void shutdown() {
    roleThread.shutdown();
    try {
      roleThread.awaitTermination(5, TimeUnit.SECONDS);
      pullThread.shutdown();
      pullThread.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (ownThreads) {
      threads.close();
    }
  }
}
