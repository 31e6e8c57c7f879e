package io.hadb.lease.storage;

import io.hadb.api.BodySource;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import java.io.InputStream;
import java.util.Optional;

/**
 * A real backend with fault injection points: a test can hold a call at a chosen moment, or make
 * a put fail before or after it took effect. Everything else goes to the real backend.
 */
final class GatedBackend implements StorageBackend {
  interface Hook {
    void run(String key);
  }

  private final StorageBackend real;
  volatile Hook beforePutIfAbsent = k -> { };
  volatile Hook afterPutIfAbsent = k -> { };
  volatile Hook beforeGet = k -> { };
  volatile Hook beforeList = k -> { };

  GatedBackend(StorageBackend real) {
    this.real = real;
  }

  @Override
  public Optional<InputStream> getStream(String key) {
    beforeGet.run(key);
    return real.getStream(key);
  }

  @Override
  public void put(String key, BodySource body) {
    real.put(key, body);
  }

  @Override
  public boolean putIfAbsent(String key, BodySource body) {
    beforePutIfAbsent.run(key);
    boolean created = real.putIfAbsent(key, body);
    afterPutIfAbsent.run(key);
    return created;
  }

  @Override
  public ListPage list(String prefix, Optional<String> startAfter, int limit) {
    beforeList.run(prefix);
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

  @Override
  public String toString() {
    return "Gated[" + real + "]";
  }
}
