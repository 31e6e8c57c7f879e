package io.hadb.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.conformance.gen.Gen;
import io.hadb.conformance.gen.Property;
import io.hadb.coordinator.lease.LeaseSimulation.Action;
import io.hadb.coordinator.lease.LeaseSimulation.ClockSpec;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §6.1's safety claim as a property: whatever the schedule, clock offsets (±2 h wall,
 * arbitrary monotonic origins including ones about to overflow) and clock rate skews (±1 %),
 * partitions, lost replies, hung calls, releases and crashes, at no instant do two nodes believe
 * they lead; epochs only grow; and once faults heal, exactly one node leads.
 */
class NeverTwoLeadersTest {

  @Test
  void neverTwoLeaders() {
    Property.named("never two leaders").tries(250).check(c -> {
      int nodeCount = c.draw(Gen.ints(2, 4));
      try (LeaseSimulation sim = new LeaseSimulation(c.draw(clocks()),
          Collections.nCopies(nodeCount, SimNode.NAMESPACE))) {
        sim.run(c.draw(schedules()));
      }
    });
  }

  @Test
  void afterFaultsHealExactlyOneNodeLeads() {
    Property.named("after faults heal exactly one node leads").tries(60).check(c -> {
      int nodeCount = c.draw(Gen.ints(2, 4));
      try (LeaseSimulation sim = new LeaseSimulation(c.draw(clocks()),
          Collections.nCopies(nodeCount, SimNode.NAMESPACE))) {
        sim.run(c.draw(schedules()));
        sim.healAndSettle();
        assertEquals(1, sim.leaders(), "after healing: " + sim.nodes);
      }
    });
  }

  /** The checker itself can fail: nodes that do not share one store both lead, and it says so. */
  @Test
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

  static Gen<List<ClockSpec>> clocks() {
    Gen<Long> origin = Gen.oneOf(
        Gen.longs(-1_000_000_000_000_000L, 1_000_000_000_000_000L),
        Gen.longs(Long.MAX_VALUE - 20_000_000_000L, Long.MAX_VALUE));
    Gen<Long> rate = Gen.longs(-10_000, 10_000);
    Gen<Long> wall = Gen.longs(-7200, 7200);
    Gen<ClockSpec> clock = c -> new ClockSpec(origin.generate(c), rate.generate(c), wall.generate(c));
    return Gen.listsOf(clock, 4);
  }

  static Gen<List<Action>> schedules() {
    Gen<Integer> node = Gen.ints(0, 3);
    Gen<Action> action = Gen.frequency(
        Gen.weight(30, Gen.ints(1, 400).map(LeaseSimulation.Advance::new)),
        Gen.weight(25, node.map(LeaseSimulation.Step::new)),
        Gen.weight(20, Gen.constant(new LeaseSimulation.StepAll())),
        Gen.weight(8, c -> new LeaseSimulation.SetMode(node.generate(c),
            Gen.of(FaultyLeaseStore.Mode.values()).generate(c))),
        Gen.weight(3, node.map(LeaseSimulation.Release::new)),
        Gen.weight(2, node.map(LeaseSimulation.Restart::new)),
        Gen.weight(5, c -> new LeaseSimulation.Hang(node.generate(c), Gen.ints(5, 3000).generate(c),
            Gen.booleans().generate(c))));
    return Gen.lists(action, 20, 250);
  }
}
