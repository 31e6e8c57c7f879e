package io.hadb.storage.mem;

import io.hadb.api.BodySource;
import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.storage.mem.internal.MemObject;
import io.hadb.storage.mem.internal.ObjectSpace;
import java.io.InputStream;
import java.util.Optional;

/**
 * One client of an in-memory object namespace. Objects are immutable once stored, so a stream
 * handed out keeps reading the version it started on however often the key is replaced.
 * Closing the client leaves the namespace and its other clients untouched.
 */
public final class MemStorageBackend implements StorageBackend {
  private final MemStorageConfig config;
  private final ObjectSpace space;
  private volatile boolean closed;

  MemStorageBackend(MemStorageConfig config, ObjectSpace space) {
    this.config = config;
    this.space = space;
  }

  private void checkOpen() {
    if (closed) {
      throw HadbException.closed("mem storage client of mem://" + config.name());
    }
  }

  @Override
  public Optional<InputStream> getStream(String key) {
    checkOpen();
    Keys.validate(key);
    return space.get(key).map(MemObject::open);
  }

  @Override
  public void put(String key, BodySource body) {
    checkOpen();
    Keys.validate(key);
    HadbException.requireArg(body, "body");
    space.put(key, MemObject.read(key, body));
  }

  @Override
  public boolean putIfAbsent(String key, BodySource body) {
    checkOpen();
    Keys.validate(key);
    HadbException.requireArg(body, "body");
    if (space.get(key).isPresent()) {
      return false; // fast path; the atomic decision is the one in ObjectSpace.putIfAbsent
    }
    return space.putIfAbsent(key, MemObject.read(key, body));
  }

  @Override
  public ListPage list(String prefix, Optional<String> startAfter, int limit) {
    checkOpen();
    Keys.validatePrefix(prefix);
    HadbException.requireArg(startAfter, "startAfter");
    StorageBackend.checkLimit(limit);
    return space.list(prefix, startAfter, limit);
  }

  @Override
  public void delete(String key) {
    checkOpen();
    Keys.validate(key);
    space.delete(key);
  }

  @Override
  public void close() {
    closed = true;
  }

  @Override
  public String toString() {
    return "MemStorageBackend[mem://" + config.name() + (closed ? ", closed" : "") + "]";
  }
}
