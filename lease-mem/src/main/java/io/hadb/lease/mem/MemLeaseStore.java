package io.hadb.lease.mem;

import io.hadb.api.CasResult;
import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import io.hadb.api.LeaseStore;
import io.hadb.api.Subscription;
import io.hadb.api.Versioned;
import io.hadb.lease.mem.internal.RegisterSpace;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One client of an in-memory register namespace. Every call is one critical section of the
 * namespace, so it takes effect at a single instant (linearizable). Closing the client cancels
 * its watches and leaves the namespace and its other clients untouched.
 */
public final class MemLeaseStore implements LeaseStore {
  private final MemLeaseConfig config;
  private final RegisterSpace space;
  private final Set<Subscription> watches = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  MemLeaseStore(MemLeaseConfig config, RegisterSpace space) {
    this.config = config;
    this.space = space;
  }

  private void checkOpen() {
    if (closed) {
      throw HadbException.closed("mem lease store client of mem://" + config.name());
    }
  }

  @Override
  public Optional<Versioned> read(String key) {
    checkOpen();
    Keys.validate(key);
    return space.read(key);
  }

  @Override
  public CasResult create(String key, byte[] value) {
    checkOpen();
    Keys.validate(key);
    LeaseStore.checkValue(value);
    return space.create(key, value);
  }

  @Override
  public CasResult compareAndSet(String key, long expectedVersion, byte[] value) {
    checkOpen();
    Keys.validate(key);
    LeaseStore.checkVersion(expectedVersion);
    LeaseStore.checkValue(value);
    return space.compareAndSet(key, expectedVersion, value);
  }

  @Override
  public CasResult delete(String key, long expectedVersion) {
    checkOpen();
    Keys.validate(key);
    LeaseStore.checkVersion(expectedVersion);
    return space.delete(key, expectedVersion);
  }

  /** Supported: {@code onChange} runs on the namespace's notifier thread after each write or delete of {@code key}. */
  @Override
  public Optional<Subscription> watch(String key, Runnable onChange) {
    checkOpen();
    Keys.validate(key);
    HadbException.requireArg(onChange, "onChange");
    Subscription[] self = new Subscription[1];
    Subscription inner = space.watch(key, onChange);
    self[0] = () -> {
      inner.close();
      watches.remove(self[0]);
    };
    watches.add(self[0]);
    if (closed) {
      // close() raced with this call; do not leave a watch behind a closed client
      self[0].close();
      throw HadbException.closed("mem lease store client of mem://" + config.name());
    }
    return Optional.of(self[0]);
  }

  @Override
  public void close() {
    closed = true;
    for (Subscription s : watches) {
      s.close();
    }
  }

  @Override
  public String toString() {
    return "MemLeaseStore[mem://" + config.name() + (closed ? ", closed" : "") + "]";
  }
}
