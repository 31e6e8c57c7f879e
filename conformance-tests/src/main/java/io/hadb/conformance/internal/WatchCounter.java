package io.hadb.conformance.internal;

import java.util.concurrent.TimeUnit;

/** A watch callback that counts its calls, so a test can wait for the next one. */
public final class WatchCounter implements Runnable {
  private int calls;

  @Override
  public synchronized void run() {
    calls++;
    notifyAll();
  }

  public synchronized int calls() {
    return calls;
  }

  /** Waits until more than {@code seen} calls happened; false if none came within the timeout. */
  public synchronized boolean awaitMoreThan(int seen, long timeoutMillis) {
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
    while (calls <= seen) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      try {
        TimeUnit.NANOSECONDS.timedWait(this, left);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }
}
