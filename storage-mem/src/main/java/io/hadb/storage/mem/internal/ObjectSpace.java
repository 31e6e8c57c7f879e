package io.hadb.storage.mem.internal;

import io.hadb.api.ListPage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One named namespace of objects. Every operation runs under one lock, so each takes effect at a
 * single instant (linearizable, list included); the lock is never held while a body is read or
 * a stream consumed, because stored objects are immutable.
 */
public final class ObjectSpace {
  private static final Map<String, ObjectSpace> SPACES = new ConcurrentHashMap<>();

  private final TreeMap<String, MemObject> objects = new TreeMap<>();

  private ObjectSpace() {}

  /** The namespace called {@code name}, created on first use and kept for the life of the JVM. */
  public static ObjectSpace named(String name) {
    return SPACES.computeIfAbsent(name, n -> new ObjectSpace());
  }

  public synchronized Optional<MemObject> get(String key) {
    return Optional.ofNullable(objects.get(key));
  }

  public synchronized void put(String key, MemObject object) {
    objects.put(key, object);
  }

  public synchronized boolean putIfAbsent(String key, MemObject object) {
    return objects.putIfAbsent(key, object) == null;
  }

  public synchronized void delete(String key) {
    objects.remove(key);
  }

  public synchronized ListPage list(String prefix, Optional<String> startAfter, int limit) {
    // Start at the later of the prefix and startAfter; keys sharing a prefix are contiguous in order.
    NavigableMap<String, MemObject> tail = startAfter.isPresent() && startAfter.get().compareTo(prefix) >= 0
        ? objects.tailMap(startAfter.get(), false)
        : objects.tailMap(prefix, true);
    List<String> keys = new ArrayList<>(Math.min(limit, 64));
    for (String k : tail.keySet()) {
      if (!k.startsWith(prefix)) {
        break;
      }
      if (keys.size() == limit) {
        return new ListPage(keys, Optional.of(keys.get(keys.size() - 1)));
      }
      keys.add(k);
    }
    return new ListPage(keys, Optional.empty());
  }
}
