package io.hadb.changeset;

import java.lang.management.ManagementFactory;

/** Measures heap bytes the current thread allocates: evidence that nothing was sized from a lie. */
final class Allocation {
  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  private Allocation() {}

  static long of(Runnable r) {
    long before = THREADS.getCurrentThreadAllocatedBytes();
    r.run();
    return THREADS.getCurrentThreadAllocatedBytes() - before;
  }
}
