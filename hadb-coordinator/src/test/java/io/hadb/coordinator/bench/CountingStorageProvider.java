package io.hadb.coordinator.bench;

import io.hadb.api.BodySource;
import io.hadb.api.HadbUri;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackendProvider;
import io.hadb.api.StorageBackends;
import java.io.InputStream;
import java.util.Optional;

/**
 * {@code counting+<scheme>://...}: the real storage backend of {@code <scheme>://...}, every
 * request counted in {@link Counted} under {@code storage.<op>}. Test scope only.
 */
public final class CountingStorageProvider implements StorageBackendProvider {

  @Override
  public String scheme() {
    return "counting+file";
  }

  @Override
  public StorageBackend open(HadbUri uri) {
    return new Counting(StorageBackends.open(CountingLeaseStoreProvider.inner(uri)));
  }

  private record Counting(StorageBackend inner) implements StorageBackend {
    @Override
    public Optional<InputStream> getStream(String key) {
      Counted.add("storage", "get");
      return inner.getStream(key);
    }

    @Override
    public Optional<byte[]> get(String key) {
      Counted.add("storage", "get");
      return inner.get(key);
    }

    @Override
    public void put(String key, BodySource body) {
      Counted.add("storage", "put");
      inner.put(key, body);
    }

    @Override
    public boolean putIfAbsent(String key, BodySource body) {
      Counted.add("storage", "putIfAbsent");
      return inner.putIfAbsent(key, body);
    }

    @Override
    public ListPage list(String prefix, Optional<String> startAfter, int limit) {
      Counted.add("storage", "list");
      return inner.list(prefix, startAfter, limit);
    }

    @Override
    public void delete(String key) {
      Counted.add("storage", "delete");
      inner.delete(key);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
