package io.hadb.coordinator.lease;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A single-threaded simulation of several nodes electing a leader on one lease-mem namespace
 * under an adversarial schedule: clock offsets and rate skews, partitions, lost replies, calls
 * that hang while the others go on, releases and crashes. After every action, and inside every
 * hung call, it checks the safety invariant: at most one node believes it leads (holds a term
 * whose fence deadline has not passed on its own clock). Epochs of successive terms must grow.
 */
final class LeaseSimulation implements AutoCloseable {
  sealed interface Action permits Advance, Step, StepAll, SetMode, Release, Restart, Hang {}

  record Advance(int millis) implements Action {}

  record Step(int node) implements Action {}

  record StepAll() implements Action {}

  record SetMode(int node, FaultyLeaseStore.Mode mode) implements Action {}

  record Release(int node) implements Action {}

  /** The node's process dies (it believes nothing any more) and starts again as a new instance. */
  record Restart(int node) implements Action {}

  /**
   * The node's next store call hangs for {@code millis} while time passes and the others step:
   * before it takes effect (a slow request), or after (a slow reply).
   */
  record Hang(int node, int millis, boolean afterEffect) implements Action {}

  record ClockSpec(long origin, long ratePpm, long wallOffsetSeconds) {}

  static final LeaseTimings TIMINGS = new LeaseTimings(
      Duration.ofMillis(1000), Duration.ofMillis(100), Duration.ofMillis(333), Duration.ofMillis(100));

  final SimTime time = new SimTime();
  final String db = "sim-" + UUID.randomUUID();
  final List<SimNode> nodes = new ArrayList<>();
  final List<SimTime.NodeClock> clocks = new ArrayList<>();
  final List<String> namespaces;
  final List<Long> claimedEpochs = new ArrayList<>();
  final List<String> trace = new ArrayList<>();
  private int restarts;

  /** @param namespaces one per node; a correct cluster gives every node the same one */
  LeaseSimulation(List<ClockSpec> specs, List<String> namespaces) {
    this.namespaces = namespaces;
    for (int i = 0; i < namespaces.size(); i++) {
      ClockSpec c = specs.get(i);
      clocks.add(time.node(c.origin(), c.ratePpm(), Duration.ofSeconds(c.wallOffsetSeconds())));
      nodes.add(newNode(i));
    }
  }

  private SimNode newNode(int i) {
    CoordinatorConfig cfg = CoordinatorConfig.candidate(db, "n" + i, "").withTimings(TIMINGS);
    SimNode n = new SimNode(time, cfg, clocks.get(i), namespaces.get(i));
    n.lease.addListener(new LeadershipListener() {
      @Override
      public void isLeader(Term term) {
        if (!claimedEpochs.isEmpty() && term.epoch() <= claimedEpochs.get(claimedEpochs.size() - 1)) {
          throw new AssertionError("epoch " + term.epoch() + " claimed after epoch "
              + claimedEpochs.get(claimedEpochs.size() - 1) + "\n" + String.join("\n", trace));
        }
        claimedEpochs.add(term.epoch());
      }

      @Override
      public void notLeader(Term term, DemotionReason reason) {}
    });
    return n;
  }

  void run(List<Action> actions) {
    for (Action a : actions) {
      trace.add(time.now() / 1_000_000 + " ms: " + a);
      apply(a);
      checkAtMostOneLeader();
    }
  }

  @Override
  public void close() {
    nodes.forEach(SimNode::close);
  }

  /** Heals every fault and steps everyone for three ttls: then exactly one node must lead. */
  void healAndSettle() {
    for (SimNode n : nodes) {
      n.store.mode(FaultyLeaseStore.Mode.UP);
      n.store.beforeEffect(() -> {});
      n.store.afterEffect(() -> {});
    }
    for (int i = 0; i < 3 * TIMINGS.ttl().toMillis() / 50; i++) {
      time.advanceMillis(50);
      nodes.forEach(SimNode::step);
      checkAtMostOneLeader();
    }
  }

  long leaders() {
    return nodes.stream().filter(SimNode::isLeader).count();
  }

  private void apply(Action a) {
    int n = nodes.size();
    if (a instanceof Advance adv) {
      time.advanceMillis(adv.millis());
    } else if (a instanceof Step s) {
      nodes.get(s.node() % n).step();
    } else if (a instanceof StepAll) {
      List.copyOf(nodes).forEach(SimNode::step);
    } else if (a instanceof SetMode m) {
      nodes.get(m.node() % n).store.mode(m.mode());
    } else if (a instanceof Release r) {
      nodes.get(r.node() % n).lease.release();
    } else if (a instanceof Restart r) {
      int i = r.node() % n;
      nodes.get(i).close();
      nodes.set(i, newNode(i));
      restarts++;
    } else if (a instanceof Hang h) {
      int i = h.node() % n;
      SimNode slow = nodes.get(i);
      boolean[] fired = {false};
      Runnable hook = () -> {
        if (fired[0]) {
          return;
        }
        fired[0] = true;
        for (int t = 0; t < h.millis(); t += 5) {
          time.advanceMillis(5);
          for (SimNode other : List.copyOf(nodes)) {
            if (other != slow) {
              other.step();
            }
          }
          checkAtMostOneLeader();
        }
      };
      if (h.afterEffect()) {
        slow.store.afterEffect(hook);
      } else {
        slow.store.beforeEffect(hook);
      }
    }
  }

  private void checkAtMostOneLeader() {
    List<String> leaders = nodes.stream().filter(SimNode::isLeader).map(SimNode::toString).toList();
    if (leaders.size() > 1) {
      throw new AssertionError("two leaders at " + time.now() / 1e6 + " ms: " + leaders + " (clocks "
          + clocks + ", restarts " + restarts + ")\ntrace:\n" + String.join("\n", trace));
    }
  }
}
