package io.hadb.conformance.lin;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Collects operations from many threads, grouped by key, with {@link System#nanoTime()} taken
 * just before and just after each call.
 */
public final class HistoryRecorder<O> {
  private final Map<String, List<Operation<O>>> byKey = new TreeMap<>();

  /** A call that returns a result, turned into an operation once it returned. */
  @FunctionalInterface
  public interface TimedCall<R> {
    R call();
  }

  /**
   * Runs {@code call}, then records {@code toOp.apply(result)} for {@code key} with the times
   * around the call. If the call throws, nothing is recorded and the exception propagates (the
   * outcome of such a call is unknown, so the caller fails the test instead of guessing).
   */
  public <R> R record(int process, String key, TimedCall<R> call, Function<R, O> toOp) {
    long invoked = System.nanoTime();
    R result = call.call();
    long returned = System.nanoTime();
    O op = toOp.apply(result);
    synchronized (byKey) {
      byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(new Operation<>(process, invoked, returned, op));
    }
    return result;
  }

  public Map<String, List<Operation<O>>> byKey() {
    synchronized (byKey) {
      Map<String, List<Operation<O>>> copy = new TreeMap<>();
      byKey.forEach((k, v) -> copy.put(k, Collections.unmodifiableList(new ArrayList<>(v))));
      return copy;
    }
  }
}
