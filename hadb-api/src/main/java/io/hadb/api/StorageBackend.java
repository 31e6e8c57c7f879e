package io.hadb.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An object store holding the changeset chain and snapshots. Plug-ins: {@code storage-mem},
 * {@code storage-local}, {@code storage-s3}. Every implementation must pass
 * {@code StorageBackendContract} in {@code conformance-tests}.
 *
 * <h2>Rules (DESIGN §3.2)</h2>
 *
 * <ul>
 *   <li><b>Keys</b> follow {@link Keys}; a bad key throws {@link ErrorCode#INVALID_ARGUMENT}
 *       before anything is read or written, and no key can reach outside the store's root.
 *   <li><b>Atomic objects.</b> A reader sees the whole old object or the whole new one, never a
 *       partial write, including after a crash of the writer.
 *   <li><b>putIfAbsent is atomic</b> across every client of the store, in this process or another:
 *       N racing writers of one absent key produce exactly one {@code true}. A retried request
 *       whose first attempt already landed is resolved by reading back and comparing bytes
 *       (DESIGN §3.1 L-ambiguous); when that is impossible the call throws
 *       {@link ErrorCode#UNKNOWN_OUTCOME}.
 *   <li><b>Consistency.</b> Read-after-write and list-after-write are consistent.
 *   <li><b>Listing</b> returns keys starting with the prefix, in ascending lexicographic order,
 *       strictly after {@code startAfter} when given, at most {@code limit} per page.
 *   <li><b>Streaming.</b> {@link #getStream} and {@link #put(String, BodySource)} never hold the
 *       whole object in memory, so a multi-GB snapshot fits through a small heap.
 *   <li>After {@link #close()} every call throws {@link ErrorCode#CLOSED}; close is idempotent.
 * </ul>
 *
 * <p>Implementations are thread-safe.
 */
public interface StorageBackend extends AutoCloseable {

  /** The largest page a listing returns, whatever {@code limit} asks for. */
  int MAX_LIST_LIMIT = 1000;

  /**
   * A stream over the object's bytes, or empty when absent. The caller must close it. The stream
   * sees one version of the object even if it is replaced while being read.
   */
  Optional<InputStream> getStream(String key);

  /** Writes (or replaces) the object, streaming from {@code body}. */
  void put(String key, BodySource body);

  /**
   * Writes the object only if no object exists at {@code key}.
   *
   * @return true if this call created the object (or an earlier attempt of this same call did,
   *     which the backend verified by comparing bytes); false if an object was already there
   */
  boolean putIfAbsent(String key, BodySource body);

  /**
   * Lists keys beginning with {@code prefix} (possibly {@code ""}), strictly after
   * {@code startAfter} when present, at most {@code limit} (1–{@value #MAX_LIST_LIMIT}).
   */
  ListPage list(String prefix, Optional<String> startAfter, int limit);

  /** Deletes the object if present. Deleting an absent key is not an error. */
  void delete(String key);

  /** Releases resources. Idempotent; afterwards every call throws {@link ErrorCode#CLOSED}. */
  @Override
  void close();

  /** The whole object in memory, for small objects (leases, changesets, manifests). */
  default Optional<byte[]> get(String key) {
    Optional<InputStream> in = getStream(key);
    if (in.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream s = in.get()) {
      return Optional.of(s.readAllBytes());
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + key + " failed: " + e.getMessage(), e);
    } catch (UncheckedIOException e) {
      throw HadbException.unavailable("reading " + key + " failed: " + e.getMessage(), e);
    }
  }

  default void put(String key, byte[] data) {
    put(key, BodySource.of(HadbException.requireArg(data, "data")));
  }

  default boolean putIfAbsent(String key, byte[] data) {
    return putIfAbsent(key, BodySource.of(HadbException.requireArg(data, "data")));
  }

  /** Every key under {@code prefix}, following pages; for bounded listings. */
  default List<String> listAll(String prefix) {
    List<String> all = new ArrayList<>();
    Optional<String> after = Optional.empty();
    do {
      ListPage page = list(prefix, after, MAX_LIST_LIMIT);
      all.addAll(page.keys());
      after = page.nextStartAfter();
    } while (after.isPresent());
    return all;
  }

  /** Shared check for list limits, so every plug-in refuses them the same way. */
  static void checkLimit(int limit) {
    if (limit < 1 || limit > MAX_LIST_LIMIT) {
      throw HadbException.invalidArgument(
          "limit must be between 1 and " + MAX_LIST_LIMIT + ", was " + limit);
    }
  }
}
