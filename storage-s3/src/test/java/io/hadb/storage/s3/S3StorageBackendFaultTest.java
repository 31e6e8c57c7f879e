package io.hadb.storage.s3;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.testservers.Faults;
import io.hadb.testservers.PrivateS3Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Kill -9, restart and SIGSTOP of a private S3Proxy under a live client (DESIGN §7). */
class S3StorageBackendFaultTest {
  private static final String COMPAT = "filesystemCompat=true";
  private static final String PAUSED = "s3 storage paused";
  /** One private server for the class (a start costs seconds); each test has its own bucket. */
  @RegisterExtension static final PrivateS3Proxy s3 = new PrivateS3Proxy();

  @Test
  void killNineMidStreamThenRestartLosesNoAcknowledgedWrite() {
    try (StorageBackend store = StorageBackends.open(
        s3.uri("fault", "db", COMPAT, "apiCallTimeout=2s", "attemptTimeout=1s"))) {
      ChainPublisher chain = ChainPublisher.start(store, "kill");
      chain.awaitAcknowledged(50, Duration.ofSeconds(60));
      s3.server().kill();
      chain.awaitFailures(3, Duration.ofSeconds(30));
      s3.server().restart();
      // Works again after the restart, on the same port and data directory.
      chain.awaitAcknowledged(chain.acknowledged() + 50, Duration.ofSeconds(60));
      long stored = chain.verify(Duration.ofSeconds(30));
      assertTrue(stored >= 100, chain.toString());
      assertTrue(Faults.RETRYABLE.containsAll(chain.failures().keySet()), chain.toString());
      System.out.println("s3 storage kill/restart: " + chain);
    }
  }

  @Test
  void pausedServerMakesCallsFailWithinTheTimeoutAndResumeHeals() {
    Duration apiCall = Duration.ofMillis(1000);
    Duration attempt = Duration.ofMillis(500);
    // putIfAbsent may spend its attempts and then its read-back: 2 x apiCallTimeout + one attempt.
    // A bound on hanging, not a performance figure: generous slack for a loaded CI machine.
    Duration bound = apiCall.multipliedBy(2).plus(attempt).plusSeconds(3);
    try (StorageBackend store = StorageBackends.open(s3.uri("pause", "db", COMPAT,
        "apiCallTimeout=" + apiCall.toMillis() + "ms", "attemptTimeout=" + attempt.toMillis() + "ms"))) {
      // A just started or restarted S3Proxy JVM is slow on its first requests: warm it up first.
      for (int i = 0; i < 20; i++) {
        Faults.retry(Duration.ofSeconds(30), () -> store.get("p/warm-up"));
      }
      store.put("p/a", bytes("before"));
      s3.server().pause();
      try {
        Faults.assertFailsRetryablyWithin(PAUSED, "get", bound, () -> store.get("p/a"));
        Faults.assertFailsRetryablyWithin(PAUSED, "list", bound, () -> store.list("p/", Optional.empty(), 10));
        Faults.assertFailsRetryablyWithin(PAUSED, "put", bound, () -> store.put("p/b", bytes("put while paused")));
        Faults.assertFailsRetryablyWithin(PAUSED, "putIfAbsent", bound, () -> store.putIfAbsent("p/c", bytes("pia while paused")));
        Faults.assertFailsRetryablyWithin(PAUSED, "delete", bound, () -> store.delete("p/a"));
      } finally {
        s3.server().resume();
      }
      // Requests sent while paused may still be served now; each object holds what was sent, or
      // is absent (p/a: deleted or not).
      Faults.retry(Duration.ofSeconds(20), () -> store.list("p/", Optional.empty(), 10));
      store.get("p/a").ifPresent(b -> assertArrayEquals(bytes("before"), b));
      store.get("p/b").ifPresent(b -> assertArrayEquals(bytes("put while paused"), b));
      Optional<byte[]> c = store.get("p/c");
      c.ifPresent(b -> assertArrayEquals(bytes("pia while paused"), b));
      // Healed: a conditional write answers again, and refuses a second writer.
      assertTrue(store.putIfAbsent("p/d", bytes("after")));
      assertTrue(!store.putIfAbsent("p/d", bytes("other")));
      assertArrayEquals(bytes("after"), store.get("p/d").orElseThrow());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
