package io.hadb.testservers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.LeaseStore;
import io.hadb.api.Versioned;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The pause fault test every lease plug-in runs (DESIGN §7): with the server paused, read,
 * compareAndSet, create and delete each fail retryably within {@code bound} (never hang); after
 * the resume the register works again, holding either the value from before or the one sent
 * while paused (a paused write may land later, only if its condition still holds).
 */
public final class LeasePauseScenario {
  private LeasePauseScenario() {}

  /**
   * @param label printed with each call's time to fail ("nats lease paused")
   * @param pause pauses the store's server; {@code resume} undoes it
   */
  public static void run(String label, LeaseStore store, Duration bound, Runnable pause, Runnable resume) {
    long v = store.create("p/k", bytes("before")).version();
    pause.run();
    try {
      Faults.assertFailsRetryablyWithin(label, "read", bound, () -> store.read("p/k"));
      Faults.assertFailsRetryablyWithin(label, "compareAndSet", bound, () -> store.compareAndSet("p/k", v, bytes("during")));
      Faults.assertFailsRetryablyWithin(label, "create", bound, () -> store.create("p/other", bytes("x")));
      Faults.assertFailsRetryablyWithin(label, "delete", bound, () -> store.delete("p/k", v));
    } finally {
      resume.run();
    }
    Optional<Versioned> after = Faults.retry(Duration.ofSeconds(20), () -> store.read("p/k"));
    if (after.isPresent()) {
      String s = new String(after.get().value(), StandardCharsets.UTF_8);
      assertTrue(s.equals("before") || s.equals("during"), s);
      long w = Faults.retry(Duration.ofSeconds(20),
          () -> store.compareAndSet("p/k", after.get().version(), bytes("after"))).version();
      assertEquals("after", new String(store.read("p/k").orElseThrow().value(), StandardCharsets.UTF_8));
      assertTrue(w > after.get().version());
    } else {
      assertTrue(Faults.retry(Duration.ofSeconds(20), () -> store.create("p/k", bytes("after"))).isWon());
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
