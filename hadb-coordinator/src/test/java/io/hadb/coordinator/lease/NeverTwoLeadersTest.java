package io.hadb.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.coordinator.lease.LeaseSimulation.Action;
import io.hadb.coordinator.lease.LeaseSimulation.ClockSpec;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;

/**
 * DESIGN §6.1's safety claim as a property: whatever the schedule, clock offsets (±2 h wall,
 * arbitrary monotonic origins including ones about to overflow) and clock rate skews (±1 %),
 * partitions, lost replies, hung calls, releases and crashes, at no instant do two nodes believe
 * they lead; epochs only grow; and once faults heal, exactly one node leads.
 */
class NeverTwoLeadersTest {

  @Property(tries = 250)
  void neverTwoLeaders(@ForAll @IntRange(min = 2, max = 4) int nodeCount,
      @ForAll("clocks") List<ClockSpec> clocks, @ForAll("schedules") List<Action> actions) {
    try (LeaseSimulation sim = new LeaseSimulation(clocks, Collections.nCopies(nodeCount, SimNode.NAMESPACE))) {
      sim.run(actions);
    }
  }

  @Property(tries = 60)
  void afterFaultsHealExactlyOneNodeLeads(@ForAll @IntRange(min = 2, max = 4) int nodeCount,
      @ForAll("clocks") List<ClockSpec> clocks, @ForAll("schedules") List<Action> actions) {
    try (LeaseSimulation sim = new LeaseSimulation(clocks, Collections.nCopies(nodeCount, SimNode.NAMESPACE))) {
      sim.run(actions);
      sim.healAndSettle();
      assertEquals(1, sim.leaders(), "after healing: " + sim.nodes);
    }
  }

  /** The checker itself can fail: nodes that do not share one store both lead, and it says so. */
  @Example
  void checkerCatchesSplitBrainWhenNodesDoNotShareAStore() {
    List<ClockSpec> clocks = List.of(new ClockSpec(0, 0, 0), new ClockSpec(0, 0, 0));
    String second = "split-" + UUID.randomUUID();
    try (LeaseStore other = LeaseStores.open("mem://" + second)) {
      other.create("unrelated", new byte[0]); // so the two stores' first epochs differ (1, then 2)
    }
    LeaseSimulation sim = new LeaseSimulation(clocks, List.of("split-" + UUID.randomUUID(), second));
    try (sim) {
      AssertionError e = assertThrows(AssertionError.class, () -> sim.run(List.of(new LeaseSimulation.StepAll())));
      assertTrue(e.getMessage().contains("two leaders"), e.getMessage());
    }
  }

  @Provide
  Arbitrary<List<ClockSpec>> clocks() {
    Arbitrary<Long> origin = Arbitraries.oneOf(
        Arbitraries.longs().between(-1_000_000_000_000_000L, 1_000_000_000_000_000L),
        Arbitraries.longs().between(Long.MAX_VALUE - 20_000_000_000L, Long.MAX_VALUE));
    Arbitrary<Long> rate = Arbitraries.longs().between(-10_000, 10_000);
    Arbitrary<Long> wall = Arbitraries.longs().between(-7200, 7200);
    return Combinators.combine(origin, rate, wall).as(ClockSpec::new).list().ofSize(4);
  }

  @Provide
  Arbitrary<List<Action>> schedules() {
    Arbitrary<Integer> node = Arbitraries.integers().between(0, 3);
    Arbitrary<Action> action = Arbitraries.frequencyOf(
        Tuple.of(30, Arbitraries.integers().between(1, 400).map(LeaseSimulation.Advance::new)),
        Tuple.of(25, node.map(LeaseSimulation.Step::new)),
        Tuple.of(20, Arbitraries.just(new LeaseSimulation.StepAll())),
        Tuple.of(8, Combinators.combine(node, Arbitraries.of(FaultyLeaseStore.Mode.class))
            .as(LeaseSimulation.SetMode::new)),
        Tuple.of(3, node.map(LeaseSimulation.Release::new)),
        Tuple.of(2, node.map(LeaseSimulation.Restart::new)),
        Tuple.of(5, Combinators.combine(node, Arbitraries.integers().between(5, 3000), Arbitraries.of(true, false))
            .as(LeaseSimulation.Hang::new)));
    return action.list().ofMinSize(20).ofMaxSize(250);
  }
}
