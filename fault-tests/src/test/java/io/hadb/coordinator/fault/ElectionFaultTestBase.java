package io.hadb.coordinator.fault;

import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fault scenarios a, b and c of DESIGN §7, run on every lease store kind (one subclass each):
 * three {@link ElectionNode} JVMs writing to a put-if-absent chain on a {@code file:} store while
 * they lead; ttl 2 s. Figures go to the test output.
 */
@Tag("fault")
@Timeout(120)
abstract class ElectionFaultTestBase {
  @TempDir Path dir;

  /** A cluster on this class's lease store; {@code name} keeps databases apart. */
  abstract Cluster cluster(String name);

  /** The store's name in the printed figures. */
  abstract String store();

  @Test
  void a_killMinus9OfTheLeaderIsTakenOverByAFollower() throws Exception {
    try (Cluster c = cluster("kill")) {
      System.out.println("fault a (" + store() + "): " + ElectionScenarios.killLeader(c));
    }
  }

  @Test
  void b_aLeaderStoppedUntilTakenOverWritesNothingAfterItsDeadlineAndDemotes() throws Exception {
    try (Cluster c = cluster("stop")) {
      System.out.println("fault b (" + store() + "): " + ElectionScenarios.stopAndContinueLeader(c));
    }
  }

  @Test
  void b_aLeaderFrozenBetweenItsCheckAndItsPutLosesThatPutToTheNewLeader() throws Exception {
    try (Cluster c = cluster("midwrite")) {
      System.out.println("fault b mid-write (" + store() + "): " + ElectionScenarios.stopLeaderMidWrite(c));
    }
  }

  @Test
  void c_aGracefulCloseIsTakenOverWithoutWaitingForTheTtl() throws Exception {
    try (Cluster c = cluster("close")) {
      System.out.println("fault c (" + store() + "): " + ElectionScenarios.closeLeader(c));
    }
  }
}
