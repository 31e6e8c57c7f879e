package io.hadb.lease.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.testservers.CasCounterWorkload;
import io.hadb.testservers.Faults;
import io.hadb.testservers.LeasePauseScenario;
import io.hadb.testservers.S3ProxyServer;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Kill -9, restart and SIGSTOP of a private S3Proxy under a live lease client (DESIGN §7). */
class S3LeaseStoreFaultTest {
  // S3Proxy's filesystem store lists in-flight temporary files; the suffix hides them.
  private static final String COMPAT = "filesystemCompat=true";
  /** One private server for the class (a start costs seconds); each test has its own bucket. */
  private static S3ProxyServer server;

  @BeforeAll
  static void startServer() {
    server = S3ProxyServer.start();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @BeforeEach
  void serverRunsAndAnswers() {
    if (!server.isRunning()) {
      server.restart(); // a failed test may have left it killed
    }
  }

  @Test
  void killNineMidStreamThenRestartLosesNoAcknowledgedIncrementAndAppliesNoneTwice() {
    // keepVersions=2, collectEvery=1: collection races every write, the hardest case.
    try (LeaseStore store = LeaseStores.open(server.uri("fault", "leases", COMPAT, "timeout=4s",
        "keepVersions=2", "collectEvery=1"))) {
      warmUp(store);
      CasCounterWorkload counter = CasCounterWorkload.start(store, "fault/counter");
      counter.awaitAcknowledged(30, Duration.ofSeconds(60));
      server.kill();
      counter.awaitFailures(3, Duration.ofSeconds(30));
      server.restart();
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
    try (LeaseStore store = LeaseStores.open(server.uri("pause", "leases", COMPAT,
        "timeout=" + timeout.toMillis() + "ms"))) {
      warmUp(store);
      LeasePauseScenario.run("s3 lease paused", store, bound, server::pause, server::resume);
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
