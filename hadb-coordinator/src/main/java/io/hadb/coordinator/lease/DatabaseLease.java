package io.hadb.coordinator.lease;

import io.hadb.api.CasResult;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.Versioned;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One database's lease on a node that hosts many (DESIGN §9): the register {@code <database>/lease}
 * holds a record naming the holder node and the session of that node's lease the claim was made
 * in, and the record stands for as long as that session lives. The holder never renews it; its
 * node lease, renewed once for all its databases, keeps every such record alive.
 *
 * <h2>Guarantees</h2>
 *
 * <ul>
 *   <li><b>Epoch.</b> The register version the claim wrote, as with {@link LeaderLease}.
 *   <li><b>Leads only inside its session.</b> {@link #isLeader()} is true only while this node's
 *       node lease holds the session the claim was made in (its self-fence deadline computed at
 *       every call, DESIGN §6.1). A session that ends, for whatever reason, ends every database led
 *       in it.
 *   <li><b>Claims only what no live session holds.</b> A record is claimed when it is absent or
 *       released; names this node (any session of this node but the current one is over); names
 *       another node whose session {@link PeerLeases} finds ended, or expired and then broken; or
 *       is a register renewed by its holder (format 1) whose version stayed unchanged for
 *       {@code ttl + margin}. Racing claims are compare-and-sets on one version: one wins.
 *   <li><b>Release.</b> As {@link LeaderLease#release()}: demote first, then write the record
 *       released; this node then holds off claiming it for one ttl.
 * </ul>
 *
 * Why two leaders cannot overlap: a claim of a record of session S of node N happens after S
 * ended or was broken; N leads nothing of S after its deadline, which precedes the break by at
 * least {@code 2 × margin} (DESIGN §6.1), and no renewal can extend S past a break (it is a
 * compare-and-set on the version the break replaced). N leads a database in S only if its claim
 * in S won the record's compare-and-set, which a later claim must overwrite.
 *
 * <p>{@link #step()} reads the record and claims when allowed; a leader need not step at all.
 * {@link #verify()} is a leader's occasional read of its own record. Thread-safety as
 * {@link LeaderLease}.
 */
public final class DatabaseLease implements Lease, AutoCloseable {
  private static final System.Logger LOG = System.getLogger(DatabaseLease.class.getName());

  private final CoordinatorConfig config;
  private final String key;
  private final LeaseStore store;
  private final LeaderLease node;
  private final PeerLeases peers;
  private final MonotonicClock clock;
  private final InstantSource wall;
  private final CoordinatorMetrics metrics;
  private final Executor listenerExecutor;
  private final List<LeadershipListener> listeners = new CopyOnWriteArrayList<>();
  private final ReentrantLock stepLock = new ReentrantLock();
  private final Object stateLock = new Object();

  /** Non-null while this node holds the record; replaced, never mutated. Written under {@link #stateLock}. */
  private volatile Holding held;

  private volatile ObservedLease observed;

  // Step state: touched only under stepLock.
  private long writeSeq;
  private long observedVersion = -1;
  private long observedAt;
  private boolean holdingOff;
  private long holdOffUntil;
  private boolean closed;

  /**
   * @param term the term this node leads
   * @param session the session of this node's node lease the claim was made in
   * @param version the record's version, which only a claim or a release of this node changes
   */
  private record Holding(Term term, long session, long version) {}

  /** What holds the record, as a step last found it: the runner schedules steps and peer reads by it. */
  public sealed interface Holder permits Leading, HeldByPeer, HeldOtherwise, Free {}

  /** This node leads. */
  public record Leading(long epoch) implements Holder {}

  /** Node {@code nodeId}'s session {@code session} holds the record. */
  public record HeldByPeer(String nodeId, long session) implements Holder {}

  /** A register renewed by its holder, a corrupt record, or this node's own record of an old session. */
  public record HeldOtherwise() implements Holder {}

  /** Absent or released: claimable now, or as soon as this node may claim. */
  public record Free() implements Holder {}

  private volatile Holder holder = new HeldOtherwise();

  /**
   * @param node this node's node lease: its live term is the session claims are made in
   * @param peers what this node knows of other nodes' node leases
   */
  public DatabaseLease(CoordinatorConfig config, LeaseStore store, LeaderLease node, PeerLeases peers,
      MonotonicClock clock, InstantSource wall, CoordinatorMetrics metrics, Executor listenerExecutor) {
    this.config = HadbException.requireArg(config, "config");
    this.key = config.leaseKey();
    this.store = HadbException.requireArg(store, "store");
    this.node = HadbException.requireArg(node, "node");
    this.peers = HadbException.requireArg(peers, "peers");
    this.clock = HadbException.requireArg(clock, "clock");
    this.wall = HadbException.requireArg(wall, "wall");
    this.metrics = HadbException.requireArg(metrics, "metrics");
    this.listenerExecutor = HadbException.requireArg(listenerExecutor, "listenerExecutor");
  }

  // ------------------------------------------------------------------ queries (any thread)

  @Override
  public boolean isLeader() {
    Holding h = held;
    return h != null && sessionLive(h.session);
  }

  @Override
  public Optional<Term> term() {
    Holding h = held;
    return h != null && sessionLive(h.session) ? Optional.of(h.term) : Optional.empty();
  }

  @Override
  public void requireLeader(long epoch) {
    Optional<Term> t = term();
    if (t.isEmpty() || t.get().epoch() != epoch) {
      throw HadbException.fenced("node " + config.nodeId() + " does not lead " + config.database() + " at epoch "
          + epoch + (t.isPresent() ? " (it leads epoch " + t.get().epoch() + ")" : " (it is not the leader)"));
    }
  }

  @Override
  public Optional<ObservedLease> observed() {
    return Optional.ofNullable(observed);
  }

  @Override
  public CoordinatorConfig config() {
    return config;
  }

  public CoordinatorMetrics metrics() {
    return metrics;
  }

  /** What holds the record as the last step or claim found it. */
  public Holder holder() {
    Holding h = held;
    return h != null && sessionLive(h.session) ? new Leading(h.term.epoch()) : holder;
  }

  @Override
  public void addListener(LeadershipListener listener) {
    listeners.add(HadbException.requireArg(listener, "listener"));
  }

  private boolean sessionLive(long session) {
    Optional<Term> t = node.term();
    return t.isPresent() && t.get().epoch() == session;
  }

  private long liveSession() {
    return node.term().map(Term::epoch).orElse(0L);
  }

  // ------------------------------------------------------------------ steps

  /**
   * Called when a session of this node's node lease ended: a database led in it is led no more
   * (its {@link #isLeader()} already says so; this tells the listeners).
   */
  public void sessionEnded(long session) {
    Holding h = held;
    if (h != null && h.session == session) {
      demote(h, DemotionReason.FENCED);
    }
  }

  /** One round: read the record, claim it when allowed. A leader does nothing. */
  public void step() {
    stepLock.lock();
    try {
      if (closed) {
        return;
      }
      Holding h = held;
      if (h != null) {
        if (sessionLive(h.session)) {
          return;
        }
        demote(h, DemotionReason.FENCED);
      }
      followerStep();
    } finally {
      stepLock.unlock();
    }
  }

  /**
   * A leader's occasional read of its record: anything but the version it wrote means someone
   * wrote the register (an operator, a node of another version) and this node stops leading.
   */
  public void verify() {
    stepLock.lock();
    try {
      Holding h = held;
      if (closed || h == null) {
        return;
      }
      Optional<Versioned> v;
      try {
        v = store.read(key);
      } catch (HadbException e) {
        LOG.log(System.Logger.Level.DEBUG, () -> "read of " + key + " failed: " + e.getMessage());
        return;
      }
      if (v.isEmpty() || v.get().version() != h.version) {
        demote(h, DemotionReason.SUPERSEDED);
      }
    } finally {
      stepLock.unlock();
    }
  }

  private void followerStep() {
    Optional<Versioned> current;
    try {
      current = store.read(key);
    } catch (HadbException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "read of " + key + " failed: " + e.getMessage());
      return;
    }
    long now = clock.nanoTime(); // after the read returned (DESIGN §6.1)
    if (current.isEmpty()) {
      observed = null;
      observedVersion = 0;
      holder = new Free();
      claimIfAllowed(now, ClaimReason.ABSENT, 0);
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
    if (rec != null && rec.released()) {
      holder = new Free();
      claimIfAllowed(now, ClaimReason.RELEASED, v.version());
    } else if (rec != null && rec.boundToSession() && rec.holder().equals(config.nodeId())) {
      // A session of this node other than the live one is over (this node holds its node lease);
      // the live one's record here is a claim of ours whose answer was lost.
      holder = new HeldOtherwise();
      claimIfAllowed(now, ClaimReason.OWN_RECORD, v.version());
    } else if (rec != null && rec.boundToSession()) {
      holder = new HeldByPeer(rec.holder(), rec.session());
      if (config.mayLead() && sessionOver(rec.holder(), rec.session())) {
        claimIfAllowed(now, ClaimReason.EXPIRED, v.version());
      }
    } else {
      // A register its holder renews (another protocol's, DESIGN §6.1), or a corrupt record (held by
      // an unknown node with our ttl): claimable after the unchanged-version wait.
      holder = new HeldOtherwise();
      Duration recordTtl = rec == null ? config.timings().ttl() : rec.ttl();
      if (now - observedAt >= config.timings().expiryWait(recordTtl).toNanos()) {
        claimIfAllowed(now, ClaimReason.EXPIRED, v.version());
      }
    }
  }

  /** Whether the peer's session is over, breaking it when it expired. */
  private boolean sessionOver(String peer, long session) {
    try {
      PeerLeases.Status s = peers.status(peer, session);
      if (s == PeerLeases.Status.UNKNOWN) {
        peers.refresh(peer);
        s = peers.status(peer, session);
      }
      if (s == PeerLeases.Status.EXPIRED) {
        s = peers.breakExpired(peer, session);
      }
      return s == PeerLeases.Status.ENDED;
    } catch (HadbException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "node " + peer + "'s lease cannot be read: " + e.getMessage());
      return false;
    }
  }

  private void claimIfAllowed(long now, ClaimReason reason, long expectedVersion) {
    if (!config.mayLead()) {
      return;
    }
    if (holdingOff && now - holdOffUntil < 0) {
      return;
    }
    holdingOff = false;
    long session = liveSession();
    if (session == 0) {
      return; // no node lease yet: nothing to claim in
    }
    byte[] value = LeaseRecordCodec.encode(record(false, 0, session));
    CasResult r;
    try {
      r = expectedVersion == 0 ? store.create(key, value) : store.compareAndSet(key, expectedVersion, value);
    } catch (HadbException e) {
      // If it landed, the next read shows this node's record and it claims over it (OWN_RECORD).
      LOG.log(System.Logger.Level.DEBUG, () -> "claim of " + key + " failed: " + e.getMessage());
      return;
    }
    if (!r.isWon()) {
      return;
    }
    Holding l = new Holding(new Term(r.version(), config.nodeId(), config.address(), reason), session, r.version());
    synchronized (stateLock) {
      held = l;
      metrics.promoted(r.version());
      for (LeadershipListener listener : listeners) {
        listenerExecutor.execute(() -> listener.isLeader(l.term));
      }
    }
    LOG.log(System.Logger.Level.INFO, () -> "node " + config.nodeId() + " leads " + config.database() + " at epoch "
        + r.version() + " in session " + session + " (" + reason + ")");
    if (!sessionLive(session)) {
      demote(l, DemotionReason.FENCED); // the session ended while the claim was on its way
    }
  }

  private boolean demote(Holding h, DemotionReason reason) {
    synchronized (stateLock) {
      if (held != h) {
        return false;
      }
      held = null;
      metrics.demoted(reason == DemotionReason.FENCED);
      for (LeadershipListener listener : listeners) {
        listenerExecutor.execute(() -> listener.notLeader(h.term, reason));
      }
    }
    LOG.log(reason == DemotionReason.RELEASED ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
        () -> "node " + config.nodeId() + " stopped leading " + config.database() + " at epoch " + h.term.epoch()
            + ": " + reason);
    return true;
  }

  private LeaseRecord record(boolean released, long claimEpoch, long session) {
    return new LeaseRecord(config.nodeId(), config.address(), config.timings().ttl(), released, claimEpoch,
        node.instance(), ++writeSeq, wall.millis(), session);
  }

  private LeaseRecord decodeOrNull(Versioned v) {
    try {
      return LeaseRecordCodec.decode(key, v.version(), v.value());
    } catch (HadbException e) {
      LOG.log(System.Logger.Level.WARNING, e.getMessage()
          + "; treating it as held by an unknown node until it stays unchanged for ttl + margin");
      return null;
    }
  }

  // ------------------------------------------------------------------ release

  @Override
  public boolean release() {
    stepLock.lock();
    try {
      holdingOff = true;
      holdOffUntil = clock.nanoTime() + config.timings().ttl().toNanos();
      Holding h = held;
      if (h == null || !demote(h, DemotionReason.RELEASED)) {
        return false;
      }
      try {
        CasResult r = store.compareAndSet(key, h.version,
            LeaseRecordCodec.encode(record(true, h.term.epoch(), h.session)));
        if (r.isWon()) {
          holder = new Free();
          return true;
        }
        LOG.log(System.Logger.Level.WARNING, "release of " + key + " lost its compare-and-set");
      } catch (HadbException e) {
        LOG.log(System.Logger.Level.WARNING, "release of " + key + " failed (" + e.getMessage()
            + "); the record stands until this node's session ends");
      }
      return false;
    } finally {
      stepLock.unlock();
    }
  }

  /** Releases the record if held and stops stepping. Idempotent. Does not close the store. */
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

  /**
   * Stops stepping without writing anything: the node is closing and releases its node lease,
   * which ends every record of its session at once.
   */
  public void abandon() {
    stepLock.lock();
    try {
      closed = true;
      Holding h = held;
      if (h != null) {
        demote(h, DemotionReason.RELEASED);
      }
    } finally {
      stepLock.unlock();
    }
  }

  @Override
  public String toString() {
    Holding h = held;
    return "DatabaseLease[" + config.database() + ", node " + config.nodeId()
        + (h == null ? ", follower" : ", leader at epoch " + h.term.epoch() + " in session " + h.session) + "]";
  }
}
