package io.hadb.storage.s3;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.testservers.Faults;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A storage fault workload shaped like a leader shipping changesets (DESIGN §6.2): one thread
 * writes objects {@code seq 0, 1, 2, ...} with {@code putIfAbsent}, each with its own bytes, and
 * retries a failed seq with the same bytes until it gets an answer, while a test kills, pauses
 * and restarts the server.
 *
 * <p>Nobody else writes, so a {@code false} answer is only legal for a seq whose earlier attempt
 * failed (that attempt landed), and then the stored bytes must be the ones sent. At the end the
 * listing must hold exactly the acknowledged seqs (plus the one in flight, if it landed with its
 * own bytes): an acknowledged write lost, a foreign or duplicate object, or a non-retryable error
 * is a violation.
 */
final class ChainPublisher implements AutoCloseable {
  private static final int BODY_BYTES = 8 * 1024;

  private final StorageBackend store;
  private final String prefix;
  private final String run = UUID.randomUUID().toString();
  private final Thread thread;
  private volatile boolean running = true;

  private final Object lock = new Object();
  private long acknowledged; // seqs 0 .. acknowledged-1 are acknowledged
  private final Map<ErrorCode, Integer> failures = new EnumMap<>(ErrorCode.class);
  private final List<String> violations = new ArrayList<>();
  private final List<Throwable> samples = new ArrayList<>();

  private ChainPublisher(StorageBackend store, String prefix) {
    this.store = store;
    this.prefix = prefix;
    this.thread = new Thread(this::publish, "chain-publisher-" + prefix);
    this.thread.setDaemon(true);
  }

  static ChainPublisher start(StorageBackend store, String prefix) {
    ChainPublisher p = new ChainPublisher(store, prefix);
    p.thread.start();
    return p;
  }

  private void publish() {
    long seq = 0;
    boolean attemptedBefore = false;
    while (running) {
      try {
        byte[] body = body(seq);
        if (!store.putIfAbsent(key(seq), body)) {
          Optional<byte[]> stored = store.get(key(seq));
          if (!attemptedBefore || stored.isEmpty() || !Arrays.equals(stored.get(), body)) {
            violation("seq " + seq + ": putIfAbsent answered false (earlier failed attempt: "
                + attemptedBefore + ", stored: " + stored.map(b -> b.length + " bytes, ours "
                + Arrays.equals(b, body)).orElse("absent") + ")");
          }
        }
        synchronized (lock) {
          acknowledged = seq + 1;
        }
        seq++;
        attemptedBefore = false;
      } catch (HadbException e) {
        attemptedBefore = true;
        synchronized (lock) {
          failures.merge(e.code(), 1, Integer::sum);
          if (samples.size() < 5) {
            samples.add(e);
          }
          if (!e.retryable()) {
            violations.add("non-retryable error at seq " + seq + ": " + e);
          }
        }
        sleep(10);
      } catch (RuntimeException e) {
        violation("unexpected exception at seq " + seq + ": " + e);
        sleep(10);
      }
    }
  }

  private String key(long seq) {
    return prefix + "/changes/" + String.format("%020d", seq) + ".hadbp";
  }

  private byte[] body(long seq) {
    byte[] head = ("seq " + seq + " of run " + run + "\n").getBytes(StandardCharsets.US_ASCII);
    byte[] b = Arrays.copyOf(head, BODY_BYTES);
    for (int i = head.length; i < b.length; i++) {
      b[i] = (byte) (seq * 31 + i);
    }
    return b;
  }

  private void violation(String v) {
    synchronized (lock) {
      violations.add(v);
    }
  }

  long acknowledged() {
    synchronized (lock) {
      return acknowledged;
    }
  }

  int failureCount() {
    synchronized (lock) {
      return failures.values().stream().mapToInt(Integer::intValue).sum();
    }
  }

  Map<ErrorCode, Integer> failures() {
    synchronized (lock) {
      return Map.copyOf(failures);
    }
  }

  void awaitAcknowledged(long target, Duration timeout) {
    awaitUntil("acknowledged writes >= " + target, () -> acknowledged() >= target, timeout);
  }

  void awaitFailures(long target, Duration timeout) {
    awaitUntil("failed calls >= " + target, () -> failureCount() >= target, timeout);
  }

  private void awaitUntil(String what, java.util.function.BooleanSupplier done, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; " + this);
      }
      sleep(20);
    }
  }

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
   * Stops, lists the chain (retrying while the store recovers) and checks it: every acknowledged
   * seq present with its own bytes, nothing else but possibly the seq that was in flight.
   * Returns the number of objects stored.
   */
  long verify(Duration timeout) {
    close();
    List<String> stored = Faults.retry(timeout, this::listAll);
    long n = acknowledged();
    for (int i = 0; i < stored.size(); i++) {
      long seq = i;
      if (!stored.get(i).equals(key(seq)) || seq > n) {
        violation("listing position " + i + " holds '" + stored.get(i) + "', expected '" + key(seq) + "'");
        break;
      }
      Optional<byte[]> bytes = Faults.retry(timeout, () -> store.get(key(seq)));
      if (bytes.isEmpty() || !Arrays.equals(bytes.get(), body(seq))) {
        violation("seq " + seq + " does not hold the bytes written for it");
      }
    }
    if (stored.size() < n) {
      violation(n + " writes were acknowledged but only " + stored.size() + " objects are stored");
    }
    synchronized (lock) {
      if (!violations.isEmpty()) {
        throw new AssertionError("violations: " + violations + "; " + this);
      }
    }
    return stored.size();
  }

  private List<String> listAll() {
    List<String> all = new ArrayList<>();
    Optional<String> after = Optional.empty();
    do {
      ListPage page = store.list(prefix + "/changes/", after, 1000);
      all.addAll(page.keys());
      after = page.nextStartAfter();
    } while (after.isPresent());
    return all;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    synchronized (lock) {
      return "ChainPublisher[" + prefix + ", acknowledged=" + acknowledged + ", failures=" + failures
          + ", violations=" + violations + ", sample errors=" + samples + "]";
    }
  }
}
