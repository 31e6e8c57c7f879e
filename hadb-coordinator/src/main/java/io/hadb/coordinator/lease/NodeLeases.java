package io.hadb.coordinator.lease;

import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import io.hadb.coordinator.threads.Lane;
import io.hadb.coordinator.threads.SharedThreads;
import java.time.Duration;
import java.time.InstantSource;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The leases of every database of a node on one node lease (DESIGN §9.1): the node renews its own
 * register, {@link NodeLeaseKey}, once per renew interval whatever the number of databases it
 * leads, and each database is a {@link DatabaseLease} bound to the node lease's session.
 *
 * <p>One tick per poll interval for the whole node decides which databases need a store call:
 * <ul>
 *   <li>the node leases of the peers that hold this node's follower databases are read, one read
 *       per peer however many of its databases this node follows;
 *   <li>a follower database whose record names a session its peer holds (LIVE at that read) is
 *       not read at all, but for a safety check every {@link #SAFETY_CHECK}: the record cannot
 *       change while that session lives unless its holder releases it, which the safety check (or
 *       the end of the session) finds later. Reading less only delays a claim (DESIGN §9.1);
 *   <li>a database whose record is free, held otherwise, or names a session that is not LIVE
 *       steps at once (reads its record, claims when allowed);
 *   <li>a leader database reads its own record every {@link #SAFETY_CHECK} (an operator's write,
 *       a node of another version) and nothing else: its lease lives in the node's.
 * </ul>
 * Safety checks are spread over their interval, so a thousand databases do not read at one
 * instant. A session that ends demotes every database of it at once (their {@code isLeader()}
 * already says so; {@link DatabaseLease#sessionEnded} tells their listeners).
 */
public final class NodeLeases implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NodeLeases.class.getName());

  /** How often a database whose holder's session is live reads its record anyway. */
  public static final Duration SAFETY_CHECK = Duration.ofSeconds(60);

  private final String nodeId;
  private final LeaseStore store;
  private final LeaseTimings timings;
  private final MonotonicClock clock;
  private final InstantSource wall;
  private final SharedThreads threads;
  private final LeaseElector node;
  private final PeerLeases peers;
  private final Lane tickLane;
  private final Lane.Repeating ticks;
  private final Map<String, Hosted> hosted = new ConcurrentHashMap<>();
  private volatile boolean closed;

  /** One database of the node: its lease, its lane, when it last read its record. */
  private static final class Hosted {
    final DatabaseLease lease;
    final Lane lane;
    volatile long lastRead; // own clock
    volatile boolean queued; // a step is on its lane

    Hosted(DatabaseLease lease, Lane lane, long lastRead) {
      this.lease = lease;
      this.lane = lane;
      this.lastRead = lastRead;
    }
  }

  private NodeLeases(String nodeId, String address, LeaseStore store, LeaseTimings timings, MonotonicClock clock,
      InstantSource wall, SharedThreads threads) {
    this.nodeId = nodeId;
    this.store = store;
    this.timings = timings;
    this.clock = clock;
    this.wall = wall;
    this.threads = threads;
    CoordinatorConfig cfg = CoordinatorConfig.candidate("hadb-node", nodeId, address).withTimings(timings);
    // The node lease runs on threads of its own (a timer, one worker, the callbacks): its renewal
    // must never wait behind the databases' work on the shared pool. Measured: 1,000 databases
    // promoting at once on the shared workers held a renewal past its deadline, ending the
    // session and demoting every database of it.
    this.node = LeaseElector.startOn(NodeLeaseKey.of(nodeId), false, cfg, store, clock, wall, new CoordinatorMetrics(),
        null, new LeadershipListener() {
          @Override
          public void isLeader(Term term) {
            LOG.log(System.Logger.Level.INFO, () -> "node " + nodeId + " holds its node lease, session "
                + term.epoch());
            tickSoon();
          }

          @Override
          public void notLeader(Term term, DemotionReason reason) {
            LOG.log(System.Logger.Level.WARNING, () -> "node " + nodeId + " lost its node lease, session "
                + term.epoch() + " (" + reason + "): every database it led there stops leading");
            for (Hosted h : hosted.values()) {
              h.lease.sessionEnded(term.epoch());
            }
            tickSoon();
          }
        });
    this.peers = new PeerLeases(store, timings, clock, wall, nodeId, node.lease().instance());
    this.tickLane = threads.lane("node-leases-" + nodeId);
    long every = Math.max(1, timings.pollInterval().toNanos());
    this.ticks = tickLane.scheduleWithFixedDelay(this::tick, 0, every, TimeUnit.NANOSECONDS);
  }

  /**
   * Starts the node lease of {@code nodeId} and the tick that runs its databases' leases.
   *
   * @param address the node's forwarding address, written into its database records
   */
  public static NodeLeases start(String nodeId, String address, LeaseStore store, LeaseTimings timings,
      MonotonicClock clock, InstantSource wall, SharedThreads threads) {
    HadbException.requireArg(nodeId, "nodeId");
    HadbException.requireArg(store, "store");
    HadbException.requireArg(timings, "timings");
    HadbException.requireArg(threads, "threads");
    return new NodeLeases(nodeId, address, store, timings, clock, wall, threads);
  }

  /**
   * The lease of database {@code config.database()} on this node; {@code listeners} are told of
   * each gain and loss in order. {@link #remove} it when the database closes.
   */
  public DatabaseLease open(CoordinatorConfig config, CoordinatorMetrics metrics, LeadershipListener... listeners) {
    HadbException.requireArg(config, "config");
    if (!config.timings().equals(timings)) {
      throw HadbException.invalidArgument("database " + config.database() + " has lease timings " + config.timings()
          + " but its node runs " + timings + ": the databases of a node share its node lease and its timings");
    }
    DatabaseLease lease = new DatabaseLease(config, store, node.lease(), peers, clock, wall, metrics,
        threads.callbackLane("lease-events-" + config.database()));
    for (LeadershipListener l : listeners) {
      lease.addListener(l);
    }
    // A safety check due at a random instant of its first interval spreads the reads of many databases.
    long spread = ThreadLocalRandom.current().nextLong(Math.max(1, SAFETY_CHECK.toNanos()));
    Hosted h = new Hosted(lease, threads.lane("lease-" + config.database()), clock.nanoTime() - spread);
    if (hosted.putIfAbsent(config.database(), h) != null) {
      throw HadbException.invalidArgument("database " + config.database() + " has a lease on this node already");
    }
    step(h); // the first read at once: a fresh database is claimed without waiting for a tick
    return lease;
  }

  /** Releases {@code database}'s record if this node leads it, and stops running its lease. */
  public void remove(String database) {
    Hosted h = hosted.remove(database);
    if (h == null) {
      return;
    }
    h.lease.close();
    h.lane.shutdown();
    try {
      h.lane.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** This node's own node lease (its session is what database records name). */
  public LeaderLease nodeLease() {
    return node.lease();
  }

  public PeerLeases peers() {
    return peers;
  }

  private void tickSoon() {
    try {
      tickLane.execute(this::tick);
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // closing
    }
  }

  /** One round for the whole node: read the peers that matter, then step the databases that need it. */
  private void tick() {
    if (closed) {
      return;
    }
    Set<String> peersToRead = ConcurrentHashMap.newKeySet();
    for (Hosted h : hosted.values()) {
      if (h.lease.holder() instanceof DatabaseLease.HeldByPeer p) {
        peersToRead.add(p.nodeId());
      }
    }
    for (String p : peersToRead) {
      try {
        peers.refresh(p);
      } catch (HadbException e) {
        LOG.log(System.Logger.Level.DEBUG, () -> "read of node " + p + "'s lease failed: " + e.getMessage());
      }
    }
    long now = clock.nanoTime();
    long safety = SAFETY_CHECK.toNanos();
    for (Hosted h : hosted.values()) {
      DatabaseLease.Holder holder = h.lease.holder();
      boolean due = now - h.lastRead >= safety;
      boolean needed;
      if (holder instanceof DatabaseLease.Leading) {
        needed = due;
      } else if (holder instanceof DatabaseLease.HeldByPeer p) {
        needed = due || peers.status(p.nodeId(), p.session()) != PeerLeases.Status.LIVE;
      } else {
        needed = true;
      }
      if (needed) {
        step(h);
      }
    }
  }

  private void step(Hosted h) {
    if (h.queued) {
      return;
    }
    h.queued = true;
    try {
      h.lane.execute(() -> {
        h.queued = false;
        if (closed) {
          return;
        }
        h.lastRead = clock.nanoTime();
        if (h.lease.holder() instanceof DatabaseLease.Leading) {
          h.lease.verify();
        } else {
          h.lease.step();
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      h.queued = false; // removed meanwhile
    }
  }

  /**
   * Stops every database's lease without writing (their records end with the node's session),
   * then releases the node lease: peers may claim this node's databases at once. Databases that
   * closed first have released their records already.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    ticks.cancel();
    tickLane.shutdown();
    for (Hosted h : hosted.values()) {
      h.lease.abandon();
      h.lane.shutdown();
    }
    hosted.clear();
    node.close();
  }

  @Override
  public String toString() {
    return "NodeLeases[" + nodeId + ", " + hosted.size() + " databases]";
  }
}
