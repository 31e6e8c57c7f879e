package io.hadb.coordinator.lease;

import io.hadb.api.LeaseStores;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@link LeaseSimulation} for nodes that each host several databases under one node lease
 * (DESIGN §9): every node renews its own node lease ({@link LeaderLease} on its node key), knows
 * the others' through {@link PeerLeases}, and holds a {@link DatabaseLease} per database. The
 * schedule interleaves node lease steps, database steps, peer reads and breaks, releases,
 * restarts, partitions, lost replies and calls that hang while the others go on. After every
 * action and inside every hung call it checks, per database, that at most one node leads, and
 * that the epochs of successive terms of a database grow.
 */
final class NodeLeaseSimulation implements AutoCloseable {
  sealed interface Action permits Advance, Step, StepNode, StepDb, ReadPeer, StepAll, SetMode, Release, Verify,
      CloseNode, Restart, Hang {}

  record Advance(int millis) implements Action {}

  /** The node's node lease step, then a step of each of its databases. */
  record Step(int node) implements Action {}

  record StepNode(int node) implements Action {}

  record StepDb(int node, int db) implements Action {}

  /** The node reads another node's node lease (as its runner does on its own schedule). */
  record ReadPeer(int node, int peer) implements Action {}

  record StepAll() implements Action {}

  record SetMode(int node, FaultyLeaseStore.Mode mode) implements Action {}

  record Release(int node, int db) implements Action {}

  /** A leader's occasional read of its own record. */
  record Verify(int node, int db) implements Action {}

  /** A graceful close of the whole node: its databases stop, then its node lease is released. */
  record CloseNode(int node) implements Action {}

  record Restart(int node) implements Action {}

  record Hang(int node, int millis, boolean afterEffect) implements Action {}

  static final LeaseTimings TIMINGS = LeaseSimulation.TIMINGS;

  final SimTime time = new SimTime();
  final String prefix = "nsim-" + UUID.randomUUID() + "-";
  final int dbCount;
  final boolean breakBeforeClaim;
  final List<Host> hosts = new ArrayList<>();
  final List<SimTime.NodeClock> clocks = new ArrayList<>();
  final Map<Integer, Long> lastEpoch = new HashMap<>();
  final List<String> trace = new ArrayList<>();

  /** One node: its store client, node lease, peer view and database leases. */
  final class Host {
    final String id;
    final FaultyLeaseStore store;
    final LeaderLease nodeLease;
    final PeerLeases peers;
    final List<DatabaseLease> dbs = new ArrayList<>();
    boolean closed;

    Host(int i) {
      this.id = "n" + i;
      SimTime.NodeClock clock = clocks.get(i);
      this.store = new FaultyLeaseStore(LeaseStores.open("mem://" + SimNode.NAMESPACE));
      CoordinatorConfig cfg = CoordinatorConfig.candidate("node-" + id, id, "").withTimings(TIMINGS);
      this.nodeLease = new LeaderLease(cfg, prefix + NodeLeaseKey.of(id), store, clock, clock, new CoordinatorMetrics(),
          Runnable::run);
      this.peers = new PeerLeases(store, TIMINGS, clock, clock, id, nodeLease.instance(), breakBeforeClaim,
          peer -> prefix + NodeLeaseKey.of(peer));
      for (int d = 0; d < dbCount; d++) {
        int db = d;
        CoordinatorConfig dc = CoordinatorConfig.candidate(prefix + "db" + d, id, "").withTimings(TIMINGS);
        DatabaseLease l = new DatabaseLease(dc, store, nodeLease, peers, clock, clock, new CoordinatorMetrics(),
            Runnable::run);
        l.addListener(new LeadershipListener() {
          @Override
          public void isLeader(Term term) {
            Long last = lastEpoch.get(db);
            if (last != null && term.epoch() <= last) {
              throw new AssertionError("db" + db + ": epoch " + term.epoch() + " claimed after epoch " + last
                  + "\n" + String.join("\n", trace));
            }
            lastEpoch.put(db, term.epoch());
          }

          @Override
          public void notLeader(Term term, DemotionReason reason) {}
        });
        dbs.add(l);
      }
      nodeLease.addListener(new LeadershipListener() {
        @Override
        public void isLeader(Term term) {}

        @Override
        public void notLeader(Term term, DemotionReason reason) {
          dbs.forEach(d -> d.sessionEnded(term.epoch()));
        }
      });
    }

    void step() {
      if (closed) {
        return;
      }
      nodeLease.step();
      dbs.forEach(DatabaseLease::step);
    }

    void close() {
      closed = true;
      dbs.forEach(DatabaseLease::abandon);
      nodeLease.close();
    }

    boolean leads(int db) {
      return dbs.get(db).isLeader();
    }

    @Override
    public String toString() {
      StringBuilder b = new StringBuilder(id + "(node " + (nodeLease.isLeader() ? "s" + nodeLease.term().get().epoch()
          : "-"));
      for (int d = 0; d < dbs.size(); d++) {
        if (leads(d)) {
          b.append(", leads db").append(d).append(" e").append(dbs.get(d).term().get().epoch());
        }
      }
      return b.append(")").toString();
    }
  }

  /** The key prefix keeps simulations apart in the shared mem namespace; {@code breakBeforeClaim} false is the broken variant. */
  NodeLeaseSimulation(List<LeaseSimulation.ClockSpec> specs, int nodeCount, int dbCount, boolean breakBeforeClaim) {
    this.dbCount = dbCount;
    this.breakBeforeClaim = breakBeforeClaim;
    for (int i = 0; i < nodeCount; i++) {
      LeaseSimulation.ClockSpec c = specs.get(i);
      clocks.add(time.node(c.origin(), c.ratePpm(), Duration.ofSeconds(c.wallOffsetSeconds())));
    }
    for (int i = 0; i < nodeCount; i++) {
      hosts.add(new Host(i));
    }
  }

  void run(List<Action> actions) {
    for (Action a : actions) {
      trace.add(time.now() / 1_000_000 + " ms: " + a);
      apply(a);
      check();
    }
  }

  @Override
  public void close() {
    hosts.forEach(h -> h.store.close());
  }

  /** Heals every fault and lets every node step and read its peers for four ttls. */
  void healAndSettle() {
    for (Host h : hosts) {
      h.store.mode(FaultyLeaseStore.Mode.UP);
      h.store.beforeEffect(() -> {});
      h.store.afterEffect(() -> {});
    }
    for (int i = 0; i < 4 * TIMINGS.ttl().toMillis() / 50; i++) {
      time.advanceMillis(50);
      for (Host h : List.copyOf(hosts)) {
        if (!h.closed) {
          readPeers(h);
        }
        h.step();
      }
      check();
    }
  }

  private void readPeers(Host h) {
    for (Host other : hosts) {
      if (other != h) {
        try {
          h.peers.refresh(other.id);
        } catch (io.hadb.api.HadbException e) {
          // store down for this node: the last view stands
        }
      }
    }
  }

  /** How many nodes lead database {@code db} now. */
  long leaders(int db) {
    return hosts.stream().filter(h -> h.leads(db)).count();
  }

  private Host host(int i) {
    return hosts.get(i % hosts.size());
  }

  private void apply(Action a) {
    if (a instanceof Advance adv) {
      time.advanceMillis(adv.millis());
    } else if (a instanceof Step s) {
      host(s.node()).step();
    } else if (a instanceof StepNode s) {
      Host h = host(s.node());
      if (!h.closed) {
        h.nodeLease.step();
      }
    } else if (a instanceof StepDb s) {
      Host h = host(s.node());
      if (!h.closed) {
        h.dbs.get(s.db() % dbCount).step();
      }
    } else if (a instanceof ReadPeer r) {
      Host h = host(r.node());
      Host p = host(r.peer());
      if (h != p && !h.closed) {
        try {
          h.peers.refresh(p.id);
        } catch (io.hadb.api.HadbException e) {
          // unreachable store: nothing learned
        }
      }
    } else if (a instanceof StepAll) {
      List.copyOf(hosts).forEach(Host::step);
    } else if (a instanceof SetMode m) {
      host(m.node()).store.mode(m.mode());
    } else if (a instanceof Release r) {
      host(r.node()).dbs.get(r.db() % dbCount).release();
    } else if (a instanceof Verify v) {
      host(v.node()).dbs.get(v.db() % dbCount).verify();
    } else if (a instanceof CloseNode c) {
      host(c.node()).close();
    } else if (a instanceof Restart r) {
      int i = r.node() % hosts.size();
      hosts.get(i).closed = true; // the process is gone: it believes nothing any more
      hosts.get(i).store.close();
      hosts.set(i, new Host(i));
    } else if (a instanceof Hang h) {
      Host slow = host(h.node());
      boolean[] fired = {false};
      Runnable hook = () -> {
        if (fired[0]) {
          return;
        }
        fired[0] = true;
        for (int t = 0; t < h.millis(); t += 5) {
          time.advanceMillis(5);
          for (Host other : List.copyOf(hosts)) {
            if (other != slow) {
              if (t % 50 == 0 && !other.closed) {
                readPeers(other);
              }
              other.step();
            }
          }
          check();
        }
      };
      if (h.afterEffect()) {
        slow.store.afterEffect(hook);
      } else {
        slow.store.beforeEffect(hook);
      }
    }
  }

  private void check() {
    for (int d = 0; d < dbCount; d++) {
      int db = d;
      List<String> leaders = hosts.stream().filter(h -> h.leads(db)).map(Host::toString).toList();
      if (leaders.size() > 1) {
        throw new AssertionError("two leaders of db" + d + " at " + time.now() / 1e6 + " ms: " + leaders
            + " (clocks " + clocks + ")\ntrace:\n" + String.join("\n", trace));
      }
    }
  }
}
