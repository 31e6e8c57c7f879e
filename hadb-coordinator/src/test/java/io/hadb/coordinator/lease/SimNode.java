package io.hadb.coordinator.lease;

import io.hadb.api.LeaseStores;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * One simulated node: its own clocks, its own (fault-injectable) client of a shared mem lease
 * namespace, its {@link LeaderLease} stepped by the test, and a log of its role changes with the
 * true time at which each happened.
 */
final class SimNode implements AutoCloseable {
  record Event(long trueNanos, boolean leader, Term term, DemotionReason reason) {}

  static final String NAMESPACE = "coordinator-tests";

  final String id;
  final SimTime time;
  final SimTime.NodeClock clock;
  final FaultyLeaseStore store;
  final CoordinatorMetrics metrics = new CoordinatorMetrics();
  final LeaderLease lease;
  final List<Event> events = new CopyOnWriteArrayList<>();

  SimNode(SimTime time, CoordinatorConfig config, SimTime.NodeClock clock) {
    this(time, config, clock, NAMESPACE);
  }

  SimNode(SimTime time, CoordinatorConfig config, SimTime.NodeClock clock, String namespace) {
    this.id = config.nodeId();
    this.time = time;
    this.clock = clock;
    this.store = new FaultyLeaseStore(LeaseStores.open("mem://" + namespace));
    this.lease = new LeaderLease(config, store, clock, clock, metrics, Runnable::run);
    lease.addListener(new LeadershipListener() {
      @Override
      public void isLeader(Term term) {
        events.add(new Event(time.now(), true, term, null));
      }

      @Override
      public void notLeader(Term term, DemotionReason reason) {
        events.add(new Event(time.now(), false, term, reason));
      }
    });
  }

  static SimNode candidate(SimTime time, String db, String id, LeaseTimings timings, SimTime.NodeClock clock) {
    return new SimNode(time, CoordinatorConfig.candidate(db, id, "http://" + id + ":8095").withTimings(timings), clock);
  }

  boolean isLeader() {
    return lease.isLeader();
  }

  long epoch() {
    return lease.term().orElseThrow(() -> new AssertionError(id + " is not the leader")).epoch();
  }

  void step() {
    lease.step();
  }

  /** The true time of this node's fence deadline while it holds a term. */
  long fenceDeadlineTrue() {
    return clock.toTrue(lease.fenceDeadlineNanos().orElseThrow());
  }

  @Override
  public void close() {
    store.close();
  }

  @Override
  public String toString() {
    return id + "(" + (isLeader() ? "leader e" + epoch() : "follower") + ")";
  }
}
