package io.hadb.coordinator.fault;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.testservers.NatsServer;
import org.junit.jupiter.api.Test;

/**
 * Scenarios a–e on a real nats-server (lease-nats, JetStream KV, with its watch), and the
 * negative control of e. A missing nats-server fails the tests (never skips).
 */
class NatsElectionFaultTest extends ElectionFaultTestBase {
  static final String TIMEOUTS = "requestTimeout=300ms&resolveTimeout=300ms";

  @Override
  Cluster cluster(String name) {
    return cluster(NatsServer.shared(), name);
  }

  Cluster cluster(NatsServer server, String name) {
    return new Cluster(server.leaseUri("fault", TIMEOUTS), dir, name + "-" + System.nanoTime());
  }

  @Override
  String store() {
    return "nats";
  }

  @Test
  void d_wallClocksOffByAnHourNeitherTakeOverEarlyNorMakeTwoLeaders() throws Exception {
    try (Cluster c = cluster("skew")) {
      System.out.println("fault d (nats): " + ElectionScenarios.skewedWallClocks(c));
    }
  }

  @Test
  void e_aPausedLeaseServerMakesTheLeaderFenceItselfThenExactlyOneLeads() throws Exception {
    try (NatsServer server = NatsServer.start(); Cluster c = cluster(server, "pause")) {
      System.out.println("fault e (nats): " + ElectionScenarios.pauseLeaseServer(c, server::pause, server::resume));
    }
  }

  /** Negative control of b mid-write: without put-if-absent the late put overwrites the new leader's record. */
  @Test
  void b_negativeControl_withoutTheChainFenceTheCheckSeesTheLostWrite() throws Exception {
    try (Cluster c = cluster("nochainfence").withNodeProperties("-D" + ElectionNode.OVERWRITE_CHAIN + "=true")) {
      AssertionError e = assertThrows(AssertionError.class, () -> ElectionScenarios.stopLeaderMidWrite(c));
      assertTrue(e.getMessage().contains("acknowledged write lost"), "failed for the expected reason: " + e.getMessage());
      System.out.println("fault b negative control (nats, chain fence disabled): " + e.getMessage());
    }
  }

  /** Negative control of e: nodes without the self-fence keep writing while the server is away. */
  @Test
  void e_negativeControl_withoutTheSelfFenceTheCheckSeesWritesAfterTheDeadline() throws Exception {
    try (NatsServer server = NatsServer.start();
        Cluster c = cluster(server, "nofence").withNodeProperties("-D" + ElectionNode.NO_SELF_FENCE + "=true")) {
      AssertionError e = assertThrows(AssertionError.class,
          () -> ElectionScenarios.pauseLeaseServer(c, server::pause, server::resume));
      assertTrue(e.getMessage().contains("after its deadline"), "failed for the expected reason: " + e.getMessage());
      System.out.println("fault e negative control (nats, self-fence disabled): " + e.getMessage());
    }
  }
}
