package io.hadb.lease.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.testservers.CasCounterWorkload;
import io.hadb.testservers.Faults;
import io.hadb.testservers.LeasePauseScenario;
import io.hadb.testservers.PrivateS3Proxy;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kill -9, restart and SIGSTOP of a private S3Proxy under a live lease client (DESIGN §7). */
class S3LeaseStoreFaultTest {
  // S3Proxy's filesystem store lists in-flight temporary files; the suffix hides them.
  private static final String COMPAT = "filesystemCompat=true";
  /** One private server for the class (a start costs seconds); each test has its own bucket. */
  @RegisterExtension static final PrivateS3Proxy s3 = new PrivateS3Proxy();

  @Test
  void killNineMidStreamThenRestartLosesNoAcknowledgedIncrementAndAppliesNoneTwice() {
    // keepVersions=2, collectEvery=1: collection races every write, the hardest case.
    try (LeaseStore store = LeaseStores.open(s3.uri("fault", "leases", COMPAT, "timeout=4s",
        "keepVersions=2", "collectEvery=1"))) {
      warmUp(store);
      CasCounterWorkload counter = CasCounterWorkload.start(store, "fault/counter");
      counter.awaitAcknowledged(30, Duration.ofSeconds(60));
      s3.server().kill();
      counter.awaitFailures(3, Duration.ofSeconds(30));
      s3.server().restart();
      // Works again after the restart, on the same port and data directory.
      counter.awaitAcknowledged(counter.acknowledged() + 30, Duration.ofSeconds(60));
      long value = counter.verify(Duration.ofSeconds(30));
      assertTrue(value >= 60, counter.toString());
      assertTrue(Faults.RETRYABLE.containsAll(counter.failures().keySet()), counter.toString());
      System.out.println("s3 lease kill/restart: " + counter);
    }
  }

  @Test
  void pausedServerMakesCallsFailWithinTheTimeoutAndResumeHeals() {
    Duration timeout = Duration.ofSeconds(2);
    // A bound on hanging, not a performance figure: generous slack for a loaded CI machine.
    Duration bound = timeout.plusSeconds(3);
    try (LeaseStore store = LeaseStores.open(s3.uri("pause", "leases", COMPAT,
        "timeout=" + timeout.toMillis() + "ms"))) {
      warmUp(store);
      LeasePauseScenario.run("s3 lease paused", store, bound, s3.server()::pause, s3.server()::resume);
    }
  }

  /**
   * A fresh S3Proxy JVM answers its first requests slowly (class loading, JIT), which a short
   * per-request timeout may cut; the faults are injected only once it serves at its usual pace.
   */
  private static void warmUp(LeaseStore store) {
    for (int i = 0; i < 20; i++) {
      Faults.retry(Duration.ofSeconds(30), () -> store.read("warm-up"));
    }
  }
}
