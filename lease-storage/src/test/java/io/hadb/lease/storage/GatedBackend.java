package io.hadb.lease.storage;

import io.hadb.api.BodySource;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
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
  /**
   * When set, the next put-if-absent that lands loses its answer: this runs, then the put is
   * retried and resolved by comparing bytes, as storage-s3 resolves its own ambiguous puts.
   */
  volatile Runnable answerLost;
  /** A broken listing: ignores {@code startAfter}, as a backend with a paging bug would. */
  volatile boolean listIgnoresStartAfter;

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
    Runnable lost = answerLost;
    if (created && lost != null) {
      answerLost = null;
      lost.run();
      return retried(key, body);
    }
    return created;
  }

  private boolean retried(String key, BodySource body) {
    byte[] bytes;
    try (InputStream in = body.open()) {
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return real.putIfAbsent(key, bytes) || real.get(key).map(b -> Arrays.equals(b, bytes)).orElse(false);
  }

  @Override
  public ListPage list(String prefix, Optional<String> startAfter, int limit) {
    beforeList.run(prefix);
    return real.list(prefix, listIgnoresStartAfter ? Optional.empty() : startAfter, limit);
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
