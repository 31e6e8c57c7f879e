package io.hadb.testservers;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.Versioned;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A fault-test workload for lease stores: one client increments a counter register by
 * compare-and-set as fast as it can while a test kills, pauses and restarts the server.
 *
 * <p>It keeps the value it believes is stored. Every read must show exactly that value, or that
 * value + 1 when an increment ended in {@code UNKNOWN_OUTCOME} (then the read resolves it as
 * applied). Anything else is a violation: a smaller value means an acknowledged write was lost, a
 * larger one that a write was applied twice; a lost CAS whose version was still current means a
 * won race was reported lost. Every exception must carry a retryable code.
 */
public final class CasCounterWorkload implements AutoCloseable {

  private final LeaseStore store;
  private final String key;
  private final Thread thread;
  private final Object lock = new Object();
  private volatile boolean running = true;

  // Guarded by lock.
  private long believed;
  private long acknowledged;
  private long resolvedByRead;
  private final Map<ErrorCode, Integer> failures = new EnumMap<>(ErrorCode.class);
  private final List<String> violations = new ArrayList<>();
  private final List<Throwable> samples = new ArrayList<>();

  private long version;
  private boolean pendingUnknown;
  private long lostAtVersion = -1;

  private CasCounterWorkload(LeaseStore store, String key, long version) {
    this.store = store;
    this.key = key;
    this.version = version;
    this.thread = new Thread(this::run, "cas-counter-" + key);
    this.thread.setDaemon(true);
  }

  /** Creates {@code key} with value 0 (it must be absent) and starts incrementing it. */
  public static CasCounterWorkload start(LeaseStore store, String key) {
    CasResult created = store.create(key, encode(0));
    if (!created.isWon()) {
      throw new IllegalStateException("counter key " + key + " already exists");
    }
    CasCounterWorkload w = new CasCounterWorkload(store, key, created.version());
    w.thread.start();
    return w;
  }

  private void run() {
    boolean needRead = false;
    while (running) {
      try {
        if (needRead) {
          reconcile(store.read(key));
          needRead = false;
        }
        long expected = version;
        CasResult r = store.compareAndSet(key, expected, encode(believed() + 1));
        synchronized (lock) {
          if (r.isWon()) {
            believed++;
            acknowledged++;
            version = r.version();
            pendingUnknown = false;
          } else {
            lostAtVersion = expected;
            needRead = true;
          }
          lock.notifyAll();
        }
      } catch (HadbException e) {
        synchronized (lock) {
          failures.merge(e.code(), 1, Integer::sum);
          if (samples.size() < 5) {
            samples.add(e);
          }
          if (!e.retryable()) {
            violations.add("non-retryable error: " + e);
          }
          if (e.code() == ErrorCode.UNKNOWN_OUTCOME) {
            pendingUnknown = true;
          }
          lock.notifyAll();
        }
        needRead = true;
        pause(10);
      } catch (RuntimeException e) {
        synchronized (lock) {
          violations.add("unexpected exception: " + e);
          lock.notifyAll();
        }
        needRead = true;
        pause(10);
      }
    }
  }

  private void reconcile(Optional<Versioned> current) {
    synchronized (lock) {
      lock.notifyAll();
      if (current.isEmpty()) {
        violations.add("the counter key vanished (believed " + believed + ")");
        return;
      }
      long n = decode(current.get().value());
      long v = current.get().version();
      if (lostAtVersion >= 0 && v == lostAtVersion) {
        violations.add("CAS from version " + v + " reported lost, but the key is still at " + v);
      }
      lostAtVersion = -1;
      if (n == believed) {
        version = v;
      } else if (n == believed + 1 && pendingUnknown) {
        believed = n;
        acknowledged++;
        resolvedByRead++;
        version = v;
        pendingUnknown = false;
      } else {
        violations.add("read " + n + " but " + believed + " increments were acknowledged"
            + (pendingUnknown ? " (+1 unknown)" : ""));
        believed = Math.max(believed, n);
        version = v;
      }
    }
  }

  private long believed() {
    synchronized (lock) {
      return believed;
    }
  }

  /** Increments known to be applied: acknowledged as won, or unknown and then seen by a read. */
  public long acknowledged() {
    synchronized (lock) {
      return acknowledged;
    }
  }

  public long resolvedByRead() {
    synchronized (lock) {
      return resolvedByRead;
    }
  }

  public Map<ErrorCode, Integer> failures() {
    synchronized (lock) {
      return Collections.unmodifiableMap(new EnumMap<>(failures));
    }
  }

  public int failureCount() {
    synchronized (lock) {
      return failures.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  public List<String> violations() {
    synchronized (lock) {
      return List.copyOf(violations);
    }
  }

  /**
   * Waits until {@code condition}, which reads this workload's state, reaches {@code target};
   * fails with the state on timeout. Every change of that state notifies {@code lock}, so the
   * wait ends as soon as the target is met instead of at the next poll.
   */
  private void await(String what, LongSupplier condition, long target, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (condition.getAsLong() < target) {
        long leftNanos = deadline - System.nanoTime();
        if (leftNanos <= 0) {
          throw new AssertionError("timed out after " + timeout + " waiting for " + what + " >= "
              + target + "; " + this);
        }
        try {
          lock.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(leftNanos)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for " + what + "; " + this, e);
        }
      }
    }
  }

  public void awaitAcknowledged(long target, Duration timeout) {
    await("acknowledged increments", this::acknowledged, target, timeout);
  }

  public void awaitFailures(long target, Duration timeout) {
    await("failed calls", this::failureCount, target, timeout);
  }

  /** Stops the loop and waits for it. */
  @Override
  public void close() {
    running = false;
    try {
      thread.join(60_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops, then reads the register (retrying while the store recovers) and checks it equals the
   * number of increments known to be applied, with an unresolved unknown one allowed to have
   * landed. Returns the final value; throws AssertionError listing every violation.
   */
  public long verify(Duration timeout) {
    close();
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<Versioned> finalValue = null;
    while (finalValue == null) {
      try {
        finalValue = store.read(key);
      } catch (HadbException e) {
        if (!e.retryable() || System.nanoTime() > deadline) {
          throw new AssertionError("final read failed: " + this, e);
        }
        pause(50);
      }
    }
    reconcile(finalValue);
    synchronized (lock) {
      if (!violations.isEmpty()) {
        throw new AssertionError("violations: " + violations + "; " + this);
      }
      long n = decode(finalValue.orElseThrow().value());
      if (n != acknowledged) {
        throw new AssertionError("stored " + n + " but " + acknowledged + " increments applied; " + this);
      }
      return n;
    }
  }

  private static byte[] encode(long n) {
    return Long.toString(n).getBytes(StandardCharsets.US_ASCII);
  }

  private static long decode(byte[] value) {
    return Long.parseLong(new String(value, StandardCharsets.US_ASCII));
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "CasCounterWorkload[key=" + key + ", acknowledged=" + acknowledged + ", resolvedByRead="
          + resolvedByRead + ", failures=" + failures + ", violations=" + violations
          + ", sample errors=" + samples + "]";
    }
  }
}
