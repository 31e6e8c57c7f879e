package io.hadb.coordinator.lease;

import io.hadb.api.CasResult;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.Versioned;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this node knows of other nodes' node leases (DESIGN §9): a database record names its
 * holder's node and the session of that node's lease the claim was made in, and stands for as
 * long as that session lives. This class reads a peer's node lease, judges a session live, ended
 * or expired by the rules of DESIGN §6.1 on this node's own monotonic clock, and breaks an
 * expired one.
 *
 * <ul>
 *   <li><b>Ended</b>: the peer's register, read at a version at or past the session's claim,
 *       holds something other than that session's claim or renewals: a release, a break, a later
 *       session. A session never resumes: its renewals are compare-and-sets on the version it last
 *       wrote, the peer starts a new one only after the old one's deadline passed or its renewal
 *       lost, and it demoted every database of the old one first. A view older than the session
 *       (an earlier version, or the register not yet created) judges nothing: read again.
 *   <li><b>Expired</b>: the same version of the session's record stayed unchanged for
 *       {@code max(record ttl, own ttl) + margin}, counted from this node's first sight of it (a
 *       read that returned it, or a push link heartbeat naming it, both after it landed) to a read
 *       that still returned it. The peer's self-fence deadline precedes that by at least
 *       {@code 2 × margin}.
 *   <li><b>Break</b>: an expired session is ended by a compare-and-set from the version seen to a
 *       released record. Only then may a database record of that session be claimed: without the
 *       break, a renewal of the peer that was sent before its deadline and lands after the claim
 *       would extend the session past it (the database record and the node lease are two
 *       registers, and a claim of one does not fence a write of the other).
 * </ul>
 *
 * Reading less often can only make a judgement later, never earlier. Thread-safe.
 */
public final class PeerLeases {
  private static final System.Logger LOG = System.getLogger(PeerLeases.class.getName());

  /** A session as this node sees it now. */
  public enum Status {
    /** Never read: read before judging. */
    UNKNOWN,
    /** The session holds: its records stand. */
    LIVE,
    /** The session is over: its records may be claimed. */
    ENDED,
    /** Unchanged for the expiry wait at the last read: break it, then it is ENDED. */
    EXPIRED
  }

  private final LeaseStore store;
  private final LeaseTimings timings;
  private final MonotonicClock clock;
  private final InstantSource wall;
  private final String selfId;
  private final long selfInstance;
  private final boolean breakBeforeClaim;
  private final java.util.function.UnaryOperator<String> keyOf;
  private final Map<String, Peer> peers = new ConcurrentHashMap<>();

  /**
   * @param selfId this node's id, written as the holder of a record that breaks a peer's lease
   * @param selfInstance this node's lease participant id, written with it
   */
  public PeerLeases(LeaseStore store, LeaseTimings timings, MonotonicClock clock, InstantSource wall, String selfId,
      long selfInstance) {
    this(store, timings, clock, wall, selfId, selfInstance, true, NodeLeaseKey::of);
  }

  /**
   * For the tests: {@code keyOf} maps a node id to its node lease key (simulations keep apart in
   * one namespace by a prefix); {@code breakBeforeClaim == false} is a deliberately broken variant,
   * the negative control of the property that checks this protocol.
   */
  PeerLeases(LeaseStore store, LeaseTimings timings, MonotonicClock clock, InstantSource wall, String selfId,
      long selfInstance, boolean breakBeforeClaim, java.util.function.UnaryOperator<String> keyOf) {
    this.store = HadbException.requireArg(store, "store");
    this.timings = HadbException.requireArg(timings, "timings");
    this.clock = HadbException.requireArg(clock, "clock");
    this.wall = HadbException.requireArg(wall, "wall");
    this.selfId = HadbException.requireArg(selfId, "selfId");
    this.selfInstance = selfInstance;
    this.breakBeforeClaim = breakBeforeClaim;
    this.keyOf = keyOf;
  }

  /** One peer's node lease as last seen. Fields guarded by the object's monitor. */
  private static final class Peer {
    final String key;
    boolean read; // at least one read answered
    long version; // 0: absent
    LeaseRecord record; // null: absent or corrupt
    long firstSeenAt; // own clock: first sight of this version
    long lastReadAt; // own clock: the last read that returned it
    boolean linked; // a push link from the peer is healthy
    long linkVersion; // the version the peer's link last named; 0: none
    long linkFirstSeenAt; // own clock: the first heartbeat naming linkVersion

    Peer(String key) {
      this.key = key;
    }
  }

  private Peer peer(String nodeId) {
    return peers.computeIfAbsent(nodeId, id -> new Peer(keyOf.apply(id)));
  }

  /**
   * Reads {@code nodeId}'s node lease now. A store failure leaves the last observation as it was
   * (it then judges nothing newer). An absent register reads as version 0, below every session.
   */
  public void refresh(String nodeId) {
    Peer p = peer(nodeId);
    Optional<Versioned> v = store.read(p.key);
    // Timestamp after the read returned: it may have taken effect at any instant before (DESIGN §6.1).
    long now = clock.nanoTime();
    synchronized (p) {
      observe(p, v, now);
    }
  }

  private void observe(Peer p, Optional<Versioned> v, long now) {
    long version = v.map(Versioned::version).orElse(0L);
    if (!p.read || version != p.version) {
      p.version = version;
      // A heartbeat that named this version earlier was a sight of it too (after it landed).
      p.firstSeenAt = version != 0 && version == p.linkVersion && p.linkFirstSeenAt - now < 0 ? p.linkFirstSeenAt : now;
      p.record = v.map(x -> decodeOrNull(p.key, x)).orElse(null);
    }
    p.read = true;
    p.lastReadAt = now;
  }

  /**
   * A push link from {@code nodeId} named its node lease at {@code version}: the write landed
   * before the peer sent that, so the heartbeat's arrival is a sight of it, as a read's return is.
   * It only dates the first sight of a version a later read returns; a read must still show it
   * unchanged before anything expires. So a follower that reads a linked peer's lease rarely
   * starts counting from the last heartbeat, not from its first read after the link broke.
   */
  public void sawViaLink(String nodeId, long version) {
    Peer p = peer(nodeId);
    long now = clock.nanoTime();
    synchronized (p) {
      if (version != p.linkVersion) {
        p.linkVersion = version;
        p.linkFirstSeenAt = now;
      }
    }
  }

  /** Whether a healthy push link from {@code nodeId} stands (its node lease may then be read less often). */
  public void linked(String nodeId, boolean healthy) {
    Peer p = peer(nodeId);
    synchronized (p) {
      p.linked = healthy;
    }
  }

  public boolean isLinked(String nodeId) {
    Peer p = peers.get(nodeId);
    if (p == null) {
      return false;
    }
    synchronized (p) {
      return p.linked;
    }
  }

  /**
   * The session {@code session} of {@code nodeId} as of the last read (see the class comment).
   * A view older than the session (a version below it: sessions are versions of the peer's
   * register) says nothing about it: UNKNOWN, read again.
   */
  public Status status(String nodeId, long session) {
    Peer p = peer(nodeId);
    synchronized (p) {
      if (!p.read || p.version < session) {
        return Status.UNKNOWN;
      }
      LeaseRecord r = p.record;
      if (r != null && (r.released() || r.epochAt(p.version) != session)) {
        // A version at or after the session's claim that is not one of its renewals: the session
        // was released, broken or superseded, and none of its renewals can land after that.
        return Status.ENDED;
      }
      // Held in that session, or corrupt (held by an unknown node with our ttl): expired only after
      // the unchanged-version wait, measured up to the last read that still returned it.
      Duration ttl = r == null ? timings.ttl() : r.ttl();
      return p.lastReadAt - p.firstSeenAt >= timings.expiryWait(ttl).toNanos() ? Status.EXPIRED : Status.LIVE;
    }
  }

  /**
   * Ends {@code nodeId}'s expired session by writing a released record over the version seen
   * expired. Returns the status afterwards: ENDED when the break won (or was not needed), LIVE
   * when the peer wrote meanwhile (it renewed: the session goes on).
   */
  public Status breakExpired(String nodeId, long session) {
    Peer p = peer(nodeId);
    long version;
    synchronized (p) {
      Status s = status(nodeId, session);
      if (s != Status.EXPIRED) {
        return s;
      }
      version = p.version;
    }
    if (!breakBeforeClaim) {
      return Status.ENDED; // the negative control: claims on a judgement alone
    }
    LeaseRecord released = new LeaseRecord(selfId, "", timings.ttl(), true, session, selfInstance, 0, wall.millis());
    CasResult r;
    try {
      r = store.compareAndSet(p.key, version, LeaseRecordCodec.encode(released));
    } catch (HadbException e) {
      // Unknown whether it landed: judge again from a fresh read (a landed break reads as released).
      LOG.log(System.Logger.Level.DEBUG, () -> "breaking " + p.key + " failed: " + e.getMessage());
      refreshQuietly(nodeId);
      Status after = status(nodeId, session);
      return after == Status.ENDED ? Status.ENDED : Status.LIVE;
    }
    if (r.isWon()) {
      LOG.log(System.Logger.Level.INFO, () -> "node " + nodeId + "'s lease expired (session " + session
          + " unchanged for the expiry wait): ended it, its databases may be claimed");
      long now = clock.nanoTime();
      synchronized (p) {
        p.version = r.version();
        p.record = released;
        p.firstSeenAt = now;
        p.lastReadAt = now;
      }
      return Status.ENDED;
    }
    refreshQuietly(nodeId);
    Status after = status(nodeId, session);
    return after == Status.ENDED ? Status.ENDED : Status.LIVE;
  }

  private void refreshQuietly(String nodeId) {
    try {
      refresh(nodeId);
    } catch (HadbException e) {
      LOG.log(System.Logger.Level.DEBUG, () -> "read of node " + nodeId + "'s lease failed: " + e.getMessage());
    }
  }

  /** The node lease record of {@code nodeId} as last read, if it decoded. */
  public Optional<LeaseRecord> record(String nodeId) {
    Peer p = peers.get(nodeId);
    if (p == null) {
      return Optional.empty();
    }
    synchronized (p) {
      return Optional.ofNullable(p.record);
    }
  }

  private static LeaseRecord decodeOrNull(String key, Versioned v) {
    try {
      return LeaseRecordCodec.decode(key, v.version(), v.value());
    } catch (HadbException e) {
      LOG.log(System.Logger.Level.WARNING, e.getMessage() + "; treating it as held until it stays unchanged for"
          + " ttl + margin");
      return null;
    }
  }
}
