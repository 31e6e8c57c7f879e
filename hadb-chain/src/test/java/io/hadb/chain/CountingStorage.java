package io.hadb.chain;

import io.hadb.api.BodySource;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import java.io.InputStream;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real storage backend with the key and thread of every get recorded, to see what a reader fetched. */
class CountingStorage implements StorageBackend {
  final StorageBackend inner;
  final List<String> gets = new CopyOnWriteArrayList<>();
  final List<String> threads = new CopyOnWriteArrayList<>();

  CountingStorage(StorageBackend inner) {
    this.inner = inner;
  }

  @Override
  public Optional<InputStream> getStream(String key) {
    gets.add(key);
    threads.add(Thread.currentThread().getName());
    return inner.getStream(key);
  }

  @Override
  public void put(String key, BodySource body) {
    inner.put(key, body);
  }

  @Override
  public boolean putIfAbsent(String key, BodySource body) {
    return inner.putIfAbsent(key, body);
  }

  @Override
  public ListPage list(String prefix, Optional<String> startAfter, int limit) {
    return inner.list(prefix, startAfter, limit);
  }

  @Override
  public void delete(String key) {
    inner.delete(key);
  }

  @Override
  public void close() {
    // the inner store is the test's
  }
}
