package io.hadb.coordinator.fault;

/**
 * What the node mains of the fault tests ({@link ElectionNode}, {@link BankNode}) share: the
 * {@code @EVENT key=value… at=nanos} lines {@link NodeProcess} parses, daemon threads, sleeps.
 */
final class NodeMains {
  private NodeMains() {}

  /** One event line on stdout, stamped with {@link System#nanoTime()} (CLOCK_MONOTONIC on Linux). */
  static void emit(String event, String fields) {
    System.out.println("@" + event + " " + fields + " at=" + System.nanoTime());
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
