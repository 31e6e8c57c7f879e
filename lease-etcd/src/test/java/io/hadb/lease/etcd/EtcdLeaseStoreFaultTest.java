package io.hadb.lease.etcd;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.testservers.CasCounterWorkload;
import io.hadb.testservers.Faults;
import io.hadb.testservers.LeasePauseScenario;
import io.hadb.testservers.EtcdServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Kill -9, restart and SIGSTOP of a private etcd under a live client (DESIGN §7). */
class EtcdLeaseStoreFaultTest {
  @Test
  void killNineMidStreamThenRestartLosesNoAcknowledgedIncrementAndAppliesNoneTwice() {
    try (EtcdServer server = EtcdServer.start();
        LeaseStore store = LeaseStores.open(
            server.leaseUri("fault/", "requestTimeout=1s&resolveTimeout=1s"))) {
      CasCounterWorkload counter = CasCounterWorkload.start(store, "fault/counter");
      for (int cycle = 0; cycle < 2; cycle++) {
        counter.awaitAcknowledged(counter.acknowledged() + 200, Duration.ofSeconds(30));
        server.kill();
        counter.awaitFailures(counter.failureCount() + 3, Duration.ofSeconds(30));
        server.restart();
        // Works again after the restart, on the same port and data directory.
        counter.awaitAcknowledged(counter.acknowledged() + 200, Duration.ofSeconds(30));
      }
      long value = counter.verify(Duration.ofSeconds(30));
      assertTrue(value >= 800, counter.toString());
      assertTrue(Faults.RETRYABLE.containsAll(counter.failures().keySet()), counter.toString());
      System.out.println("etcd kill/restart: " + counter);
    }
  }

  @Test
  void pausedServerMakesCallsFailWithinTheTimeoutAndResumeHeals() {
    Duration request = Duration.ofMillis(500);
    Duration resolve = Duration.ofMillis(500);
    // A bound on hanging, not a performance figure: generous slack for a loaded CI machine.
    Duration bound = request.plus(resolve).plusSeconds(3);
    try (EtcdServer server = EtcdServer.start();
        LeaseStore store = LeaseStores.open(server.leaseUri("pause/",
            "requestTimeout=" + request.toMillis() + "ms&resolveTimeout=" + resolve.toMillis() + "ms"))) {
      LeasePauseScenario.run("etcd lease paused", store, bound, server::pause, server::resume);
    }
  }
}
