package io.hadb.conformance.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Runs N callables that start together: every thread waits on one barrier, so the contested
 * calls really overlap instead of running one after another as threads happen to start.
 */
public final class Race implements AutoCloseable {
  private final int threads;
  private final ExecutorService pool;

  public Race(int threads) {
    this.threads = threads;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "hadb-kit-race-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public int threads() {
    return threads;
  }

  /** The result of one racer: a value, or what it threw. */
  public record Outcome<T>(int racer, T value, Throwable error) {
    public boolean failed() {
      return error != null;
    }
  }

  /**
   * Runs {@code body.apply(i)} on every racer i at once and waits for all of them.
   *
   * @param rule the rule to blame when a racer hangs past the call timeout
   */
  public <T> List<Outcome<T>> run(String rule, IntFunction<Callable<T>> body) {
    CyclicBarrier start = new CyclicBarrier(threads);
    List<Future<T>> futures = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Callable<T> c = body.apply(i);
      futures.add(pool.submit(() -> {
        start.await(Kit.callTimeoutSeconds(), TimeUnit.SECONDS);
        return c.call();
      }));
    }
    List<Outcome<T>> out = new ArrayList<>();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Kit.callTimeoutSeconds() * 2L);
    for (int i = 0; i < threads; i++) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        out.add(new Outcome<>(i, futures.get(i).get(left, TimeUnit.NANOSECONDS), null));
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof BrokenBarrierException || cause instanceof TimeoutException) {
          throw Check.failure(rule, "racer " + i + " could not start: the racers never met at the start barrier",
              "the test machine may be overloaded; lower " + Kit.RACE_THREADS + " only if it must be", cause);
        }
        out.add(new Outcome<>(i, null, cause));
      } catch (TimeoutException e) {
        futures.forEach(f -> f.cancel(true));
        throw Check.failure(rule, "racer " + i + " did not finish within " + (Kit.callTimeoutSeconds() * 2)
            + " s", "store calls must never hang: a store that cannot answer must fail within its timeout"
            + " (a deadlock under concurrent calls looks like this)");
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for racers", e);
      }
    }
    return out;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
