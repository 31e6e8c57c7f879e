package io.hadb.coordinator.forward;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.net.InetSocketAddress;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Three real {@link ForwardingServer}s on loopback in front of a model of the engine and the
 * chain, driven by a seeded fault schedule: each write that reaches a node that leads draws what
 * happens to it (durable, committed and not confirmed, refused, the node dying or freezing after
 * the commit, …), and each 421 draws the hint it carries (none, a stale leader, the current one).
 * Leadership moves the way a failover moves it: a new term with a higher epoch, a new leader that
 * answers "taking over" for a few requests, a dead or frozen leader left in the lease for a few
 * reads. After any write, the client may be cut off for the rest of its call (the lease names
 * nobody, every node refuses), so that its last word is whatever it concluded so far. The model
 * counts how many times each request id reached the chain, which is what the error contract of
 * DESIGN §6.4 is about.
 */
final class ModelCluster implements AutoCloseable {
  /** The database every node of the model serves. */
  static final String DB = "model";

  enum Fate {
    DURABLE, DURABLE_SYNC_FAILS, DROPPED_SYNC_FAILS, DURABLE_ENGINE_UNKNOWN, DROPPED_ENGINE_UNKNOWN, BUSY, SQL_ERROR,
    DURABLE_THEN_DIE, DROPPED_THEN_DIE, FREEZE_BEFORE_COMMIT, FREEZE_AFTER_COMMIT
  }

  private enum Hint { NONE, STALE, CURRENT }

  static final int NODES = 3;

  private final Random random;
  private final boolean unconfirmedAsNotLeader;
  private final List<String> log = new CopyOnWriteArrayList<>();
  private final Node[] nodes = new Node[NODES];
  private final List<LeaderAddress> pastLeaders = new ArrayList<>();
  private final Map<String, List<ExecResult>> chain = new HashMap<>();
  private final Map<String, Integer> chainApplies = new HashMap<>();
  private final CountDownLatch thaw = new CountDownLatch(1);
  private final List<CountDownLatch> frozenDone = new CopyOnWriteArrayList<>();
  private final ThreadLocal<Boolean> syncFails = ThreadLocal.withInitial(() -> false);
  private int leader;
  private long epoch = 1;
  private int promoting;
  private int leaseMovesIn = -1; // lease reads until a dead or frozen leader is replaced; -1: none pending
  private boolean healed;
  private boolean cutOff;
  private long nextRowId = 1;
  private boolean firstApply = true;

  /**
   * @param unconfirmedAsNotLeader the broken engine of the negative control: a commit it cannot
   *     confirm is reported NOT_LEADER, as engines did before the error contract; the first
   *     application of a write is always such a commit
   */
  ModelCluster(long seed, boolean unconfirmedAsNotLeader) {
    this.random = new Random(seed);
    this.unconfirmedAsNotLeader = unconfirmedAsNotLeader;
    for (int i = 0; i < NODES; i++) {
      nodes[i] = new Node(i);
    }
    leader = random.nextInt(NODES);
    nodes[leader].local.putAll(chain);
  }

  /** What a client without a lease of its own reads from the lease record. */
  LeaderLocator locator() {
    return () -> {
      synchronized (this) {
        if (cutOff) {
          throw HadbException.unavailable("the lease store cannot be reached", null);
        }
        if (leaseMovesIn > 0 && --leaseMovesIn == 0) {
          moveLease("its lease expired");
        }
        return Optional.of(new LeaderAddress(nodes[leader].address, epoch));
      }
    };
  }

  /** From now on every write is durable and every node that leads accepts at once: a cluster at peace. */
  synchronized void heal() {
    healed = true;
    cutOff = false;
    promoting = 0;
    if (nodes[leader].dead || leaseMovesIn > 0) {
      moveLease("healing");
    }
  }

  synchronized int chainApplies(String id) {
    return chainApplies.getOrDefault(id, 0);
  }

  synchronized Optional<List<ExecResult>> inChain(String id) {
    return Optional.ofNullable(chain.get(id));
  }

  List<String> log() {
    return List.copyOf(log);
  }

  /** Wakes frozen leaders (their writes are refused or stay unconfirmed, as a fenced leader's are). */
  void thawAndWait() throws InterruptedException {
    thaw.countDown();
    for (CountDownLatch done : frozenDone) {
      if (!done.await(10, TimeUnit.SECONDS)) {
        throw new AssertionError("a frozen handler did not finish after the thaw");
      }
    }
  }

  @Override
  public void close() {
    try {
      thawAndWait();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      for (Node n : nodes) {
        n.server.close();
      }
    }
  }

  // ------------------------------------------------------------------ the model

  private <T extends Enum<T>> T draw(T[] values) {
    return values[random.nextInt(values.length)];
  }

  /** A new term on another live node: the chain as it is, the old leader's unconfirmed commits gone. */
  private void moveLease(String why) {
    pastLeaders.add(new LeaderAddress(nodes[leader].address, epoch));
    List<Integer> live = new ArrayList<>();
    for (Node n : nodes) {
      if (!n.dead && n.index != leader) {
        live.add(n.index);
      }
    }
    if (live.isEmpty()) {
      live.add(leader); // the only node left claims again
    }
    leader = live.get(random.nextInt(live.size()));
    epoch++;
    promoting = healed ? 0 : random.nextInt(3);
    leaseMovesIn = -1;
    nodes[leader].local.clear();
    nodes[leader].local.putAll(chain);
    log.add("lease moves to n" + leader + " at epoch " + epoch + " (" + why + "), taking over for " + promoting
        + " request(s)");
  }

  private List<ExecResult> commit(Node n, String id, boolean durable) {
    List<ExecResult> results = List.of(new ExecResult(1, nextRowId++));
    n.local.put(id, results);
    if (durable) {
      chain.put(id, results);
      chainApplies.merge(id, 1, Integer::sum);
    }
    log.add("n" + n.index + " commits " + id + (durable ? ", durable" : ", never durable"));
    return results;
  }

  private HadbException unconfirmed(String what) {
    return unconfirmedAsNotLeader ? HadbException.notLeader(what + " (reported as not leading)", null)
        : HadbException.unknownOutcome(what, null);
  }

  private long liveNodes() {
    int live = 0;
    for (Node n : nodes) {
      live += n.dead ? 0 : 1;
    }
    return live;
  }

  /** One node: a real forwarding server over the model's view of its leadership and engine. */
  private final class Node implements LeaderView, RequestTable {
    private final CommitGate commits = new CommitGate();
    final int index;
    final ForwardingServer server;
    final String address;
    final Map<String, List<ExecResult>> local = new HashMap<>();
    volatile boolean dead;

    Node(int index) {
      this.index = index;
      this.server = ForwardingServer.bind(new InetSocketAddress("127.0.0.1", 0), ForwardNode.SECRET);
      this.address = server.address();
      CommitSeqSource seq = () -> {
        if (syncFails.get()) {
          syncFails.set(false);
          throw HadbException.notLeader("this node stopped publishing before the commit was in storage", null);
        }
        return 1;
      };
      server.start(new LeaderEndpoint(DB, new NoSql(), this, this, seq, new CoordinatorMetrics(), InstantSource.system()));
    }

    // LeaderView

    @Override
    public OptionalLong leadingEpoch() {
      synchronized (ModelCluster.this) {
        if (leader != index || dead || leaseMovesIn >= 0 || cutOff) {
          return OptionalLong.empty();
        }
        if (promoting > 0) {
          promoting--;
          log.add("n" + index + " answers: taking over");
          return OptionalLong.empty();
        }
        return OptionalLong.of(epoch);
      }
    }

    @Override
    public void requireLeader(long e) {
      synchronized (ModelCluster.this) {
        if (leader != index || epoch != e) {
          throw HadbException.fenced("n" + index + " does not lead epoch " + e);
        }
      }
    }

    @Override
    public CommitGate commits() {
      return commits;
    }

    @Override
    public Optional<LeaderAddress> leaderHint() {
      synchronized (ModelCluster.this) {
        if (cutOff) {
          return Optional.empty();
        }
        if (leader == index && leaseMovesIn < 0) {
          return Optional.of(new LeaderAddress(address, epoch));
        }
        Hint h = healed ? Hint.CURRENT : draw(Hint.values());
        if (h == Hint.STALE && !pastLeaders.isEmpty()) {
          return Optional.of(pastLeaders.get(random.nextInt(pastLeaders.size())));
        }
        return h == Hint.NONE ? Optional.empty() : Optional.of(new LeaderAddress(nodes[leader].address, epoch));
      }
    }

    // RequestTable: the model engine

    @Override
    public List<ExecResult> apply(Executor executor, String requestId, List<SqlStatement> statements, long atMillis) {
      Fate fate;
      List<ExecResult> results = null;
      synchronized (ModelCluster.this) {
        if (local.containsKey(requestId)) {
          throw new HadbException(ErrorCode.SQL_ERROR, "UNIQUE constraint failed: request id " + requestId);
        }
        // The broken engine's lie only matters for a commit it cannot confirm, so the negative
        // control starts every write there (later applications draw as usual): the checker must
        // still tell the lie from the truth, and it is caught in a few schedules, not hundreds.
        fate = healed ? Fate.DURABLE
            : unconfirmedAsNotLeader && firstApply ? Fate.DURABLE_ENGINE_UNKNOWN : draw(Fate.values());
        firstApply = false;
        if (!healed && random.nextInt(5) == 0) {
          cutOff = true;
          log.add("the client is cut off from here on");
        }
        if ((fate == Fate.DURABLE_THEN_DIE || fate == Fate.DROPPED_THEN_DIE) && liveNodes() < 2) {
          fate = Fate.DURABLE;
        }
        log.add("n" + index + " runs " + requestId + ": " + fate);
        switch (fate) {
          case BUSY:
            throw HadbException.timeout("the write lock is busy", null);
          case SQL_ERROR:
            throw new HadbException(ErrorCode.SQL_ERROR, "no such table: t");
          case DURABLE:
            return commit(this, requestId, true);
          case DURABLE_SYNC_FAILS:
            syncFails.set(true);
            return commit(this, requestId, true);
          case DROPPED_SYNC_FAILS:
            syncFails.set(true);
            results = commit(this, requestId, false);
            moveLease("n" + index + " was fenced");
            return results;
          case DURABLE_ENGINE_UNKNOWN:
            commit(this, requestId, true);
            throw unconfirmed("committed locally, but the upload's answer was lost");
          case DROPPED_ENGINE_UNKNOWN:
            commit(this, requestId, false);
            moveLease("n" + index + " was fenced");
            throw unconfirmed("committed locally, but another writer took its seq");
          case DURABLE_THEN_DIE:
          case DROPPED_THEN_DIE:
            results = commit(this, requestId, fate == Fate.DURABLE_THEN_DIE);
            dead = true;
            leaseMovesIn = 1 + random.nextInt(3);
            break;
          case FREEZE_BEFORE_COMMIT:
            leaseMovesIn = 1 + random.nextInt(3);
            break;
          case FREEZE_AFTER_COMMIT:
            commit(this, requestId, false);
            leaseMovesIn = 1 + random.nextInt(3);
            break;
          default:
            throw new AssertionError(fate);
        }
      }
      if (dead) {
        server.close(); // its connections drop: the client never hears of the commit
        return results;
      }
      CountDownLatch done = new CountDownLatch(1);
      frozenDone.add(done);
      try {
        thaw.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        done.countDown();
      }
      // Woken after the lease moved on: its lease check refuses, or its commit stays unconfirmed.
      throw fate == Fate.FREEZE_BEFORE_COMMIT ? HadbException.fenced("n" + index + " lost its lease while frozen")
          : unconfirmed("committed locally before a freeze; the lease moved on meanwhile");
    }

    @Override
    public Optional<List<ExecResult>> lookup(Executor executor, String requestId) {
      synchronized (ModelCluster.this) {
        return Optional.ofNullable(local.get(requestId));
      }
    }

    @Override
    public long prune(Executor executor, long beforeMillis) {
      return 0;
    }
  }

  /** The model engine is the request table; the executor is never asked to run SQL. */
  private static final class NoSql implements Executor {
    @Override
    public ExecResult execute(String sql, List<SqlValue> params) {
      throw new AssertionError("not used");
    }

    @Override
    public QueryResult query(String sql, List<SqlValue> params) {
      throw new AssertionError("not used");
    }

    @Override
    public List<ExecResult> executeBatch(List<SqlStatement> statements) {
      throw new AssertionError("not used");
    }

    @Override
    public boolean isMutation(String sql) {
      return true;
    }

    @Override
    public void close() {}
  }
}
