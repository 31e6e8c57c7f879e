package io.hadb.coordinator.fault;

import io.hadb.api.HadbException;
import java.util.function.Supplier;

/**
 * What the node mains of the fault tests ({@link ElectionNode}, {@link BankNode}) share: the
 * {@code @EVENT key=value… at=nanos} lines {@link NodeProcess} parses, opening, daemon threads, sleeps.
 */
final class NodeMains {
  private NodeMains() {}

  /** One event line on stdout, stamped with {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux). */
  static void emit(String event, String fields) {
    System.out.println("@" + event + " " + fields + " at=" + System.nanoTime());
  }

  /**
   * Opens with {@code open}, again while it fails retryably, for up to 20 s; each retry is an
   * {@code @OPEN_RETRY} event. The nodes' lease URIs carry short request timeouts (fast fault
   * detection), and three nodes creating one KV bucket at once on a fresh nats-server may take
   * longer than that on a loaded machine; a node that gave up there would fail the scenario
   * before its fault.
   */
  static <T> T openRetrying(Supplier<T> open) {
    long giveUp = System.nanoTime() + 20_000_000_000L;
    while (true) {
      try {
        return open.get();
      } catch (HadbException e) {
        if (!e.retryable() || System.nanoTime() - giveUp > 0) {
          throw e;
        }
        emit("OPEN_RETRY", "code=" + e.code());
        sleep(100);
      }
    }
  }

  static Thread daemon(String name, Runnable r) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    t.start();
    return t;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
