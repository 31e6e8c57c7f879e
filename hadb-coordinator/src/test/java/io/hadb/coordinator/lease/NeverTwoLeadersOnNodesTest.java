package io.hadb.coordinator.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.conformance.gen.Gen;
import io.hadb.conformance.gen.Property;
import io.hadb.coordinator.lease.NodeLeaseSimulation.Action;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DESIGN §9's lease scheme as a property, the way {@link NeverTwoLeadersTest} checks DESIGN §6.1:
 * nodes renew one node lease each and hold database records bound to its session; whatever the
 * schedule (the clocks of {@link NeverTwoLeadersTest#clocks()}, partitions, lost replies, hung
 * calls, stale views of other nodes' leases, releases, node closes and crashes), no database
 * has two leaders at any instant, a database's epochs only grow, and once faults heal every
 * database has exactly one leader.
 */
class NeverTwoLeadersOnNodesTest {
  /** Schedules per run of the property; CI runs 40, {@code -Dhadb.lease.nodeTries=120} (or more) a deeper search. */
  static final int TRIES = Integer.getInteger("hadb.lease.nodeTries", 40);

  @Test
  void neverTwoLeadersOfADatabase() {
    Property.named("never two leaders of a database on nodes").tries(TRIES).check(c -> {
      int nodes = c.draw(Gen.ints(2, 4));
      int dbs = c.draw(Gen.ints(1, 3));
      try (NodeLeaseSimulation sim = new NodeLeaseSimulation(c.draw(NeverTwoLeadersTest.clocks()), nodes, dbs, true)) {
        sim.run(c.draw(schedules(false)));
      }
    });
  }

  @Test
  void afterFaultsHealEveryDatabaseHasExactlyOneLeader() {
    Property.named("after faults heal every database has one leader").tries(Math.max(10, TRIES / 4)).check(c -> {
      int nodes = c.draw(Gen.ints(2, 4));
      int dbs = c.draw(Gen.ints(1, 3));
      try (NodeLeaseSimulation sim = new NodeLeaseSimulation(c.draw(NeverTwoLeadersTest.clocks()), nodes, dbs, true)) {
        sim.run(c.draw(schedules(true)));
        sim.healAndSettle();
        for (int d = 0; d < dbs; d++) {
          assertEquals(1, sim.leaders(d), "db" + d + " after healing: " + sim.hosts);
        }
      }
    });
  }

  /**
   * The checker catches the bug the break exists for: a node that claims a database as soon as
   * it judges the holder's session expired, without first ending that session in the store,
   * leads beside a holder whose renewal, sent before its deadline, landed late.
   */
  @Test
  void claimingOnAnExpiryJudgementWithoutTheBreakIsCaught() {
    AssertionError e = assertThrows(AssertionError.class, () -> Property.named("claims without the break")
        .tries(400).check(c -> {
          int nodes = c.draw(Gen.ints(2, 3));
          try (NodeLeaseSimulation sim = new NodeLeaseSimulation(c.draw(NeverTwoLeadersTest.clocks()), nodes, 1,
              false)) {
            sim.run(c.draw(schedules(false)));
          }
        }));
    assertTrue(String.valueOf(e.getMessage()).contains("two leaders"), e.getMessage());
  }

  /** {@code quiet}: no closes (a closed node never leads again, so "one leader each" would need another node). */
  static Gen<List<Action>> schedules(boolean quiet) {
    Gen<Integer> node = Gen.ints(0, 3);
    Gen<Integer> db = Gen.ints(0, 2);
    Gen<Action> action = Gen.frequency(
        Gen.weight(30, Gen.ints(1, 400).map(NodeLeaseSimulation.Advance::new)),
        Gen.weight(15, node.map(NodeLeaseSimulation.Step::new)),
        Gen.weight(10, node.map(NodeLeaseSimulation.StepNode::new)),
        Gen.weight(12, c -> new NodeLeaseSimulation.StepDb(node.generate(c), db.generate(c))),
        Gen.weight(12, c -> new NodeLeaseSimulation.ReadPeer(node.generate(c), node.generate(c))),
        Gen.weight(12, Gen.constant(new NodeLeaseSimulation.StepAll())),
        Gen.weight(8, c -> new NodeLeaseSimulation.SetMode(node.generate(c),
            Gen.of(FaultyLeaseStore.Mode.values()).generate(c))),
        Gen.weight(3, c -> new NodeLeaseSimulation.Release(node.generate(c), db.generate(c))),
        Gen.weight(2, c -> new NodeLeaseSimulation.Verify(node.generate(c), db.generate(c))),
        Gen.weight(1, quiet ? node.map(NodeLeaseSimulation.Step::new) : node.map(NodeLeaseSimulation.CloseNode::new)),
        Gen.weight(2, node.map(NodeLeaseSimulation.Restart::new)),
        Gen.weight(6, c -> new NodeLeaseSimulation.Hang(node.generate(c), Gen.ints(5, 3000).generate(c),
            Gen.booleans().generate(c))));
    return Gen.lists(action, 20, 250);
  }
}
