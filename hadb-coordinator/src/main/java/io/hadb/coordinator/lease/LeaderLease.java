package io.hadb.coordinator.lease;

import io.hadb.api.CasResult;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.Versioned;
import io.hadb.coordinator.Role;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One node's side of the lease protocol of DESIGN §6.1, as a step-driven state machine: each
 * {@link #step()} makes at most one read and one conditional write. {@link LeaseElector} runs the
 * steps on a schedule and on watch notices; tests call them directly with injected clocks.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Epoch.</b> The epoch of a term is the register version its claim wrote; the store's
 *       versions only grow, so epochs do too.
 *   <li><b>Follower expiry on its own clock.</b> A follower claims a held record only after the
 *       same version stayed unchanged for {@code max(record ttl, own ttl) + margin} on its own
 *       monotonic clock, counted from the moment it first saw that version. Wall clocks are never
 *       compared; the record's wall time is for diagnostics only.
 *   <li><b>Leader self-fence.</b> {@link #isLeader()} is true only until {@code start of the last
 *       successful renew + ttl − margin} on the leader's monotonic clock, computed at every call,
 *       so it turns false on time even while a renew call hangs on an unreachable store. Since
 *       the renew's write lands after it starts and a follower starts counting only after it sees
 *       that write, the leader's deadline precedes any follower's claim by at least
 *       {@code 2 × margin}.
 *   <li><b>Renew.</b> Every {@code renewInterval} by compare-and-set on the version the leader
 *       last wrote; a lost compare-and-set demotes at once. A renew whose outcome is unknown is
 *       resolved by reading: a record this participant wrote counts as renewed from the start of
 *       the first unconfirmed attempt (the earliest instant it can have landed); any other record
 *       demotes.
 *   <li><b>Release.</b> {@link #release()} stops leading first, then writes the record with the
 *       released flag; followers claim a released record at once.
 * </ul>
 *
 * <p>Thread-safety: steps and {@link #release()} are serialised; {@link #isLeader()},
 * {@link #checkFence()} and the getters may be called from any thread at any time.
 */
public final class LeaderLease implements Lease, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(LeaderLease.class.getName());

  private final CoordinatorConfig config;
  private final LeaseStore store;
  private final String key;
  private final LeaseTimings timings;
  private final MonotonicClock clock;
  private final InstantSource wall;
  private final CoordinatorMetrics metrics;
  private final Executor listenerExecutor;
  private final long instance;
  private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock stepLock = new ReentrantLock();
  private final Object stateLock = new Object();

  /** Non-null while this node leads; replaced, never mutated. Written under {@link #stateLock}. */
  private volatile Leadership leadership;

  private volatile ObservedLease observed;

  /** The version this node last wrote and saw confirmed while holding a term; 0 before the first. */
  private volatile long confirmedVersion;

  // Step state: touched only under stepLock.
  private long writeSeq;
  private long lastVersion;
  private long lastRenewStart;
  private long lastAttemptStart;
  private boolean lastAttemptFailed;
  private boolean unresolvedWrite;
  private boolean hasUnconfirmed;
  private long firstUnconfirmedStart;
  private long observedVersion = -1;
  private long observedAt;
  private long corruptVersionLogged = -1;
  private boolean holdingOff;
  private long holdOffUntil;
  private boolean closed;

  private record Leadership(Term term, long deadlineNanos) {}

  /**
   * @param listenerExecutor runs listener callbacks; callbacks are submitted in transition order
   *     while an internal lock is held, so a direct executor ({@code Runnable::run}) runs them
   *     under that lock (fine for tests; a real node passes a single-thread executor)
   */
  public LeaderLease(CoordinatorConfig config, LeaseStore store, MonotonicClock clock, InstantSource wall,
      CoordinatorMetrics metrics, Executor listenerExecutor) {
    this(config, HadbException.requireArg(config, "config").leaseKey(), store, clock, wall, metrics, listenerExecutor);
  }

  /** As above, on the register {@code key} rather than the database's (a node lease, DESIGN §9). */
  public LeaderLease(CoordinatorConfig config, String key, LeaseStore store, MonotonicClock clock, InstantSource wall,
      CoordinatorMetrics metrics, Executor listenerExecutor) {
    this.config = HadbException.requireArg(config, "config");
    this.store = HadbException.requireArg(store, "store");
    this.clock = HadbException.requireArg(clock, "clock");
    this.wall = HadbException.requireArg(wall, "wall");
    this.metrics = HadbException.requireArg(metrics, "metrics");
    this.listenerExecutor = HadbException.requireArg(listenerExecutor, "listenerExecutor");
    this.key = io.hadb.api.Keys.validate(key);
    this.timings = config.timings();
    long id;
    do {
      id = new SecureRandom().nextLong();
    } while (id == 0);
    this.instance = id;
  }

  @Override
  public void addListener(LeadershipListener listener) {
    listeners.add(HadbException.requireArg(listener, "listener"));
  }

  public void removeListener(LeadershipListener listener) {
    listeners.remove(listener);
  }

  // ------------------------------------------------------------------ queries (any thread)

  /** Whether this node leads now: it holds a term and its self-fence deadline has not passed. */
  @Override
  public boolean isLeader() {
    Leadership l = leadership;
    return l != null && l.deadlineNanos - clock.nanoTime() > 0;
  }

  /** The term this node leads now, if {@link #isLeader()}. */
  @Override
  public Optional<Term> term() {
    Leadership l = leadership;
    return l != null && l.deadlineNanos - clock.nanoTime() > 0 ? Optional.of(l.term) : Optional.empty();
  }

  /** The self-fence deadline (on the injected monotonic clock) while this node holds a term. */
  public OptionalLong fenceDeadlineNanos() {
    Leadership l = leadership;
    return l == null ? OptionalLong.empty() : OptionalLong.of(l.deadlineNanos);
  }

  /**
   * Throws {@link io.hadb.api.ErrorCode#FENCED} unless this node leads {@code epoch} now: the
   * check a write path makes at the moment it acts.
   */
  @Override
  public void requireLeader(long epoch) {
    Optional<Term> t = term();
    if (t.isEmpty() || t.get().epoch() != epoch) {
      throw HadbException.fenced("node " + config.nodeId() + " does not lead epoch " + epoch
          + (t.isPresent() ? " (it leads epoch " + t.get().epoch() + ")" : " (it is not the leader)"));
    }
  }

  /** The last record this node read (as a follower), to find the leader's address and epoch. */
  @Override
  public Optional<ObservedLease> observed() {
    return Optional.ofNullable(observed);
  }

  public Role role() {
    return isLeader() ? Role.LEADER : Role.FOLLOWER;
  }

  public CoordinatorMetrics metrics() {
    return metrics;
  }

  /** The register this lease runs on. */
  public String key() {
    return key;
  }

  /** The version of this node's last confirmed write (a claim or a renewal), 0 before the first. */
  public long confirmedVersion() {
    return confirmedVersion;
  }

  /** This participant's random id, written into every record it writes. */
  public long instance() {
    return instance;
  }

  @Override
  public CoordinatorConfig config() {
    return config;
  }

  /**
   * Demotes at once if the self-fence deadline has passed. Safe from any thread, even while a
   * step hangs in a store call: the watchdog of {@link LeaseElector} calls it at the deadline.
   *
   * @return nanoseconds left until the deadline while leading, else 0
   */
  public long checkFence() {
    Leadership l = leadership;
    if (l == null) {
      return 0;
    }
    long left = l.deadlineNanos - clock.nanoTime();
    if (left > 0) {
      return left;
    }
    demote(l, DemotionReason.FENCED);
    return 0;
  }

  // ------------------------------------------------------------------ steps

  /** One round: a leader renews when due; a follower reads the record and claims when allowed. */
  public void step() {
    step(false);
  }

  /** A round after a watch notice: a leader also reads, to learn at once if someone else wrote. */
  public void stepAfterChange() {
    step(true);
  }

  private void step(boolean changeNoticed) {
    stepLock.lock();
    try {
      if (closed) {
        return;
      }
      checkFence();
      Leadership l = leadership;
      if (l != null) {
        leaderStep(l, changeNoticed);
      } else {
        followerStep();
      }
    } finally {
      stepLock.unlock();
    }
  }

  /** How long the runner may wait before the next {@link #step()}. */
  public long nanosUntilNextStep() {
    stepLock.lock();
    try {
      long now = clock.nanoTime();
      if (leadership == null) {
        return timings.pollInterval().toNanos();
      }
      long due = lastRenewStart + timings.renewInterval().toNanos();
      if (lastAttemptFailed && due - (lastAttemptStart + timings.pollInterval().toNanos()) < 0) {
        due = lastAttemptStart + timings.pollInterval().toNanos();
      }
      return Math.max(0, due - now);
    } finally {
      stepLock.unlock();
    }
  }

  private void leaderStep(Leadership l, boolean changeNoticed) {
    if ((unresolvedWrite || changeNoticed) && !verifyByRead(l)) {
      // Demoted, or the read failed. With a write unresolved, a renew could use a stale version
      // and lose; after a mere watch notice, a failed read is no reason to skip the renew.
      if (leadership == null || unresolvedWrite) {
        return;
      }
    }
    long now = clock.nanoTime();
    if (now - lastRenewStart < timings.renewInterval().toNanos()) {
      return;
    }
    if (lastAttemptFailed && now - lastAttemptStart < timings.pollInterval().toNanos()) {
      return;
    }
    renew(l, now);
  }

  private void renew(Leadership l, long start) {
    lastAttemptStart = start;
    if (!hasUnconfirmed) {
      hasUnconfirmed = true;
      firstUnconfirmedStart = start;
    }
    byte[] value = LeaseRecordCodec.encode(record(false, l.term.epoch()));
    CasResult r;
    try {
      r = store.compareAndSet(key, lastVersion, value);
    } catch (HadbException e) {
      // The write may still land: resolve by reading before the next attempt.
      lastAttemptFailed = true;
      unresolvedWrite = true;
      metrics.renewFailed();
      LOG.log(System.Logger.Level.DEBUG, () -> "renew of " + key + " failed: " + e.getMessage());
      return;
    }
    if (!r.isWon()) {
      demote(l, DemotionReason.LOST_CAS);
      return;
    }
    confirmed(r.version());
    lastRenewStart = start;
    metrics.renewed();
    extend(l, start);
  }

  /**
   * Reads the record to resolve an unanswered renew or a watch notice. Returns whether this node
   * still leads with a known version.
   */
  private boolean verifyByRead(Leadership l) {
    Optional<Versioned> current;
    try {
      current = store.read(key);
    } catch (HadbException e) {
      if (unresolvedWrite) {
        metrics.renewFailed();
        lastAttemptFailed = true;
        lastAttemptStart = clock.nanoTime();
      }
      LOG.log(System.Logger.Level.DEBUG, () -> "read of " + key + " failed: " + e.getMessage());
      return false;
    }
    if (current.isEmpty()) {
      demote(l, DemotionReason.SUPERSEDED);
      return false;
    }
    Versioned v = current.get();
    if (v.version() == lastVersion) {
      unresolvedWrite = false; // nothing of ours landed since the last confirmed write
      return true;
    }
    LeaseRecord rec = decodeOrNull(v);
    if (rec != null && rec.writtenBy(instance) && !rec.released() && v.version() > lastVersion) {
      // One of our unanswered renews landed. It started no earlier than the first unconfirmed
      // attempt, so counting from there never extends the deadline past what followers allow.
      boolean extend = hasUnconfirmed;
      long since = firstUnconfirmedStart;
      confirmed(v.version());
      if (extend) {
        lastRenewStart = since;
        metrics.renewed();
        extend(l, since);
      }
      return true;
    }
    demote(l, DemotionReason.SUPERSEDED);
    return false;
  }

  private void confirmed(long version) {
    lastVersion = version;
    confirmedVersion = version;
    unresolvedWrite = false;
    hasUnconfirmed = false;
    lastAttemptFailed = false;
  }

  private void followerStep() {
    Optional<Versioned> current;
    try {
      current = store.read(key);
    } catch (HadbException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "read of " + key + " failed: " + e.getMessage());
      return;
    }
    // Timestamp the observation after the read returns, never before it is sent: a read can
    // take effect at any instant up to its return, so an earlier timestamp could predate the
    // very write it observed and make a live lease look expired (found by NeverTwoLeadersTest).
    long now = clock.nanoTime();
    if (current.isEmpty()) {
      observed = null;
      observedVersion = 0;
      if (mayClaim(now)) {
        claim(ClaimReason.ABSENT, 0);
      }
      return;
    }
    Versioned v = current.get();
    if (v.version() != observedVersion) {
      observedVersion = v.version();
      observedAt = now;
    }
    LeaseRecord rec = decodeOrNull(v);
    if (rec != null) {
      ObservedLease o = new ObservedLease(rec, v.version());
      observed = o;
      metrics.sawEpoch(o.epoch());
    }
    if (!mayClaim(now)) {
      return;
    }
    if (rec != null && rec.released()) {
      claim(ClaimReason.RELEASED, v.version());
    } else if (rec != null && rec.writtenBy(instance)) {
      claim(ClaimReason.OWN_RECORD, v.version());
    } else if (rec != null && rec.boundToSession() && !key.startsWith(NodeLeaseKey.ROOT)) {
      // A database record of a node that holds it through its node lease (DESIGN §9.1): it is never
      // renewed, so an unchanged version says nothing about its holder. Only a node on the same
      // protocol can judge it; claiming it on this rule could make two leaders.
      if (!warnedSessionBound) {
        warnedSessionBound = true;
        LOG.log(System.Logger.Level.ERROR, key + " is held by node " + rec.holder() + " through its node lease;"
            + " this node leases databases one register each and will not claim it. Open every node of a"
            + " database with the same nodeLease(...) setting");
      }
    } else {
      // A corrupt record is treated as held by an unknown node with our ttl: claimable only by
      // the same unchanged-version rule, never at once.
      Duration recordTtl = rec == null ? timings.ttl() : rec.ttl();
      if (now - observedAt >= timings.expiryWait(recordTtl).toNanos()) {
        claim(ClaimReason.EXPIRED, v.version());
      }
    }
  }

  private boolean warnedSessionBound; // step lock

  private boolean mayClaim(long now) {
    if (!config.mayLead()) {
      return false;
    }
    if (holdingOff && now - holdOffUntil < 0) {
      return false;
    }
    holdingOff = false;
    return true;
  }

  private void claim(ClaimReason reason, long expectedVersion) {
    long start = clock.nanoTime();
    byte[] value = LeaseRecordCodec.encode(record(false, 0));
    CasResult r;
    try {
      r = expectedVersion == 0 ? store.create(key, value) : store.compareAndSet(key, expectedVersion, value);
    } catch (HadbException e) {
      // If it landed, the next read shows our own record and we claim over it (OWN_RECORD).
      LOG.log(System.Logger.Level.DEBUG, () -> "claim of " + key + " failed: " + e.getMessage());
      return;
    }
    if (!r.isWon()) {
      return;
    }
    long deadline = start + timings.fenceAfter().toNanos();
    if (deadline - clock.nanoTime() <= 0) {
      // The claim took longer than ttl - margin: no time left to lead. The record is ours; the
      // next step claims over it with a fresh start.
      LOG.log(System.Logger.Level.WARNING, "claim of " + key + " took longer than ttl - margin; not leading");
      return;
    }
    confirmed(r.version());
    lastRenewStart = start;
    Leadership l = new Leadership(new Term(r.version(), config.nodeId(), config.address(), reason), deadline);
    synchronized (stateLock) {
      leadership = l;
      metrics.promoted(r.version());
      for (LeadershipListener listener : listeners) {
        listenerExecutor.execute(() -> listener.isLeader(l.term));
      }
    }
    LOG.log(System.Logger.Level.INFO, () -> "node " + config.nodeId() + " leads " + config.database()
        + " at epoch " + r.version() + " (" + reason + ")");
  }

  private void extend(Leadership l, long renewStart) {
    long deadline = renewStart + timings.fenceAfter().toNanos();
    synchronized (stateLock) {
      Leadership now = leadership;
      // Never resurrect a term the watchdog fenced meanwhile: the next step claims anew.
      if (now != null && now.term == l.term && deadline - now.deadlineNanos > 0) {
        leadership = new Leadership(l.term, deadline);
      }
    }
  }

  private boolean demote(Leadership l, DemotionReason reason) {
    synchronized (stateLock) {
      Leadership now = leadership;
      if (now == null || now.term != l.term) {
        return false;
      }
      leadership = null;
      metrics.demoted(reason == DemotionReason.FENCED);
      for (LeadershipListener listener : listeners) {
        listenerExecutor.execute(() -> listener.notLeader(l.term, reason));
      }
    }
    LOG.log(reason == DemotionReason.RELEASED ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
        () -> "node " + config.nodeId() + " stopped leading " + config.database() + " at epoch "
            + l.term.epoch() + ": " + reason);
    return true;
  }

  private LeaseRecord record(boolean released, long claimEpoch) {
    return new LeaseRecord(config.nodeId(), config.address(), timings.ttl(), released, claimEpoch, instance,
        ++writeSeq, wall.millis());
  }

  private LeaseRecord decodeOrNull(Versioned v) {
    try {
      return LeaseRecordCodec.decode(key, v.version(), v.value());
    } catch (HadbException e) {
      if (corruptVersionLogged != v.version()) {
        corruptVersionLogged = v.version();
        LOG.log(System.Logger.Level.WARNING, e.getMessage()
            + "; treating it as held by an unknown node until it stays unchanged for ttl + margin");
      }
      return null;
    }
  }

  // ------------------------------------------------------------------ release

  /**
   * Graceful release: stops leading at once, then marks the record released so a follower may
   * claim it without waiting for the ttl. This node then does not claim again for one ttl, which
   * gives the others the first chance. Returns whether the released record was written.
   */
  @Override
  public boolean release() {
    stepLock.lock();
    try {
      holdingOff = true;
      holdOffUntil = clock.nanoTime() + timings.ttl().toNanos();
      Leadership l = leadership;
      if (l != null && unresolvedWrite) {
        verifyByRead(l); // learn the version a lost-reply renew wrote, or the release would lose
        l = leadership;
      }
      if (l == null || !demote(l, DemotionReason.RELEASED)) {
        return false;
      }
      try {
        CasResult r = store.compareAndSet(key, lastVersion, LeaseRecordCodec.encode(record(true, l.term.epoch())));
        if (r.isWon()) {
          lastVersion = r.version();
          return true;
        }
        LOG.log(System.Logger.Level.WARNING, "release of " + key + " lost its compare-and-set;"
            + " followers take over after the ttl instead");
      } catch (HadbException e) {
        LOG.log(System.Logger.Level.WARNING, "release of " + key + " failed (" + e.getMessage()
            + "); followers take over after the ttl instead");
      }
      return false;
    } finally {
      stepLock.unlock();
    }
  }

  /** Releases the lease if held and stops taking steps. Idempotent. Does not close the store. */
  @Override
  public void close() {
    stepLock.lock();
    try {
      if (closed) {
        return;
      }
      release();
      closed = true;
    } finally {
      stepLock.unlock();
    }
  }

  @Override
  public String toString() {
    Leadership l = leadership;
    return "LeaderLease[" + config.database() + ", node " + config.nodeId()
        + (l == null ? ", follower" : ", leader at epoch " + l.term.epoch()) + "]";
  }
}
