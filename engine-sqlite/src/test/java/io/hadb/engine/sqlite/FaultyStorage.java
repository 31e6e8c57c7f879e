package io.hadb.engine.sqlite;

import io.hadb.api.BodySource;
import io.hadb.api.HadbException;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real backend with injected faults: uploads that fail before or after landing (the answer
 * lost), or a store that is down. Everything else goes to the real backend.
 */
final class FaultyStorage implements StorageBackend {
  final StorageBackend real;
  /** The next N putIfAbsent calls land, then throw as if the answer was lost. */
  final AtomicInteger loseAnswers = new AtomicInteger();
  /** While set, every write fails before reaching the store. */
  final AtomicBoolean down = new AtomicBoolean();
  final AtomicInteger puts = new AtomicInteger();

  FaultyStorage(StorageBackend real) {
    this.real = real;
  }

  @Override
  public Optional<InputStream> getStream(String key) {
    return real.getStream(key);
  }

  @Override
  public void put(String key, BodySource body) {
    if (down.get()) {
      throw HadbException.unavailable("injected: store down", null);
    }
    real.put(key, body);
  }

  @Override
  public boolean putIfAbsent(String key, BodySource body) {
    if (down.get()) {
      throw HadbException.unavailable("injected: store down", null);
    }
    puts.incrementAndGet();
    boolean r = real.putIfAbsent(key, body);
    if (loseAnswers.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw HadbException.unavailable("injected: the answer to putIfAbsent(" + key + ") was lost", null);
    }
    return r;
  }

  @Override
  public ListPage list(String prefix, Optional<String> startAfter, int limit) {
    return real.list(prefix, startAfter, limit);
  }

  @Override
  public void delete(String key) {
    real.delete(key);
  }

  @Override
  public void close() {
    real.close();
  }
}
