package io.hadb.coordinator.lease;

import io.hadb.api.CasResult;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.Subscription;
import io.hadb.api.Versioned;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A fault-injecting client in front of a real {@link LeaseStore}: one node's view of the store
 * can go down (calls fail before reaching it), lose the replies of writes (they take effect, then
 * the caller gets {@code UNKNOWN_OUTCOME}; reads still answer), or be slow (a hook runs, typically advancing simulated time and
 * letting other nodes act, before the call takes effect or between its effect and its reply).
 */
final class FaultyLeaseStore implements LeaseStore {
  enum Mode { UP, DOWN, REPLY_LOST, READS_DOWN }

  private final LeaseStore inner;
  private volatile Mode mode = Mode.UP;
  private volatile Runnable beforeEffect = () -> {};
  private volatile Runnable afterEffect = () -> {};

  FaultyLeaseStore(LeaseStore inner) {
    this.inner = inner;
  }

  void mode(Mode m) {
    mode = m;
  }

  Mode mode() {
    return mode;
  }

  /** Runs {@code hook} inside every call before it reaches the store (until replaced). */
  void beforeEffect(Runnable hook) {
    beforeEffect = hook;
  }

  /** Runs {@code hook} inside every call after it took effect, before the reply (until replaced). */
  void afterEffect(Runnable hook) {
    afterEffect = hook;
  }

  private <T> T call(String what, boolean write, Supplier<T> op) {
    beforeEffect.run();
    Mode m = mode;
    if (m == Mode.DOWN || (m == Mode.READS_DOWN && !write)) {
      throw HadbException.unavailable("injected: store unreachable for " + what, null);
    }
    if (m == Mode.REPLY_LOST && write) {
      op.get();
      throw HadbException.unknownOutcome("injected: reply of " + what + " lost after it took effect", null);
    }
    T result = op.get();
    afterEffect.run();
    return result;
  }

  @Override
  public Optional<Versioned> read(String key) {
    return call("read " + key, false, () -> inner.read(key));
  }

  @Override
  public CasResult create(String key, byte[] value) {
    return call("create " + key, true, () -> inner.create(key, value));
  }

  @Override
  public CasResult compareAndSet(String key, long expectedVersion, byte[] value) {
    return call("compareAndSet " + key, true, () -> inner.compareAndSet(key, expectedVersion, value));
  }

  @Override
  public CasResult delete(String key, long expectedVersion) {
    return call("delete " + key, true, () -> inner.delete(key, expectedVersion));
  }

  @Override
  public Optional<Subscription> watch(String key, Runnable onChange) {
    if (mode == Mode.DOWN) {
      throw HadbException.unavailable("injected: store unreachable for watch " + key, null);
    }
    return inner.watch(key, onChange);
  }

  @Override
  public void close() {
    inner.close();
  }
}
