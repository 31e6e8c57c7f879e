package io.hadb.testservers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.CasResult;
import io.hadb.api.LeaseStore;
import io.hadb.api.Versioned;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The pause fault test every lease plug-in runs (DESIGN §7): with the server paused, read,
 * compareAndSet, create and delete each fail retryably within {@code bound} (never hang); after
 * the resume the register works again, holding either the value from before or the one sent
 * while paused (a paused write may land later, only if its condition still holds), and a write of
 * ours wins once the paused writes have landed or lost.
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
    settleThenWrite(store);
  }

  /**
   * After the resume a write sent while paused may still land (only where its condition holds:
   * the CAS "during" or the delete, both at the version from before), so a first write of ours
   * may lose to it. Read and write until one of ours wins; each paused write lands at most once.
   */
  private static void settleThenWrite(LeaseStore store) {
    for (int attempt = 1; ; attempt++) {
      Optional<Versioned> seen = Faults.retry(Duration.ofSeconds(20), () -> store.read("p/k"));
      CasResult r;
      if (seen.isPresent()) {
        String s = new String(seen.get().value(), StandardCharsets.UTF_8);
        assertTrue(s.equals("before") || s.equals("during"), "the register holds " + s);
        r = Faults.retry(Duration.ofSeconds(20), () -> store.compareAndSet("p/k", seen.get().version(), bytes("after")));
        if (r.isWon()) {
          assertTrue(r.version() > seen.get().version(), "the version must grow: " + seen.get() + " -> " + r);
        }
      } else {
        r = Faults.retry(Duration.ofSeconds(20), () -> store.create("p/k", bytes("after")));
      }
      if (r.isWon()) {
        assertEquals("after", new String(store.read("p/k").orElseThrow().value(), StandardCharsets.UTF_8));
        return;
      }
      // Two paused writes (the CAS and the delete) can each land once, and each only once.
      assertTrue(attempt < 3, "a write after the resume lost " + attempt + " times in a row on a register"
          + " only paused writes could change");
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
