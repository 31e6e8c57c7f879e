package io.hadb.conformance.broken;

import io.hadb.api.BodySource;
import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import io.hadb.api.Keys;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackendProvider;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kit's own in-memory object store: correct with {@link StorageDefect#NONE}, and with exactly
 * one deliberate bug otherwise.
 */
public final class KitStorageBackend implements StorageBackend {
  static final long RACE_WINDOW_MILLIS = 3;

  /** Objects in insertion order; sorted on demand, so LIST_UNORDERED only has to skip the sort. */
  static final class Space {
    final Map<String, byte[]> objects = new LinkedHashMap<>();
  }

  private static final Map<String, Space> SPACES = new ConcurrentHashMap<>();

  private final StorageDefect defect;
  private final Space space;
  private final Map<String, Optional<byte[]>> cache = new ConcurrentHashMap<>();
  private volatile boolean closed;

  KitStorageBackend(StorageDefect defect, Space space) {
    this.defect = defect;
    this.space = space;
  }

  private boolean is(StorageDefect d) {
    return defect == d;
  }

  private void check(String key) {
    if (closed) {
      throw HadbException.closed("kit storage backend");
    }
    Keys.validate(key);
  }

  private byte[] readBody(String key, BodySource body) {
    HadbException.requireArg(body, "body");
    try (InputStream in = body.open()) {
      if (is(StorageDefect.SHORT_READ_PUT)) {
        byte[] buf = new byte[(int) body.length()];
        int n = in.read(buf);
        return Arrays.copyOf(buf, Math.max(n, 0));
      }
      byte[] all = in.readAllBytes();
      if (all.length != body.length()) {
        throw HadbException.invalidArgument("body for " + key + " declared " + body.length() + " bytes, yielded " + all.length);
      }
      return all;
    } catch (IOException e) {
      throw HadbException.unavailable("reading the body for " + key + " failed", e);
    }
  }

  @Override
  public Optional<InputStream> getStream(String key) {
    check(key);
    if (is(StorageDefect.STALE_GET_CACHE) && cache.containsKey(key)) {
      return cache.get(key).map(ByteArrayInputStream::new);
    }
    byte[] b;
    synchronized (space) {
      b = space.objects.get(key);
    }
    cache.put(key, Optional.ofNullable(b));
    return Optional.ofNullable(b).map(ByteArrayInputStream::new);
  }

  @Override
  public void put(String key, BodySource body) {
    check(key);
    if (is(StorageDefect.TORN_WRITE)) {
      tornPut(key, body);
      return;
    }
    byte[] b = readBody(key, body);
    synchronized (space) {
      byte[] old = space.objects.get(key);
      if (is(StorageDefect.LIVE_STREAM) && old != null && old.length == b.length) {
        System.arraycopy(b, 0, old, 0, b.length);
      } else {
        space.objects.remove(key); // re-insert at the end, so insertion order is write order
        space.objects.put(key, b);
      }
    }
    cache.put(key, Optional.of(b));
  }

  private void tornPut(String key, BodySource body) {
    HadbException.requireArg(body, "body");
    byte[] target = new byte[(int) body.length()];
    synchronized (space) {
      space.objects.put(key, target);
    }
    try (InputStream in = body.open()) {
      int pos = 0;
      while (pos < target.length) {
        int n = in.read(target, pos, target.length - pos);
        if (n < 0) {
          break;
        }
        pos += n;
      }
    } catch (IOException e) {
      throw HadbException.unavailable("reading the body for " + key + " failed", e);
    }
  }

  @Override
  public boolean putIfAbsent(String key, BodySource body) {
    check(key);
    if (is(StorageDefect.LOSER_REPLACES)) {
      return loserReplaces(key, body);
    }
    byte[] b = readBody(key, body);
    if (is(StorageDefect.RACY_PUT_IF_ABSENT)) {
      synchronized (space) {
        if (space.objects.containsKey(key)) {
          return false;
        }
      }
      try {
        Thread.sleep(RACE_WINDOW_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      synchronized (space) {
        space.objects.put(key, b);
      }
      return true;
    }
    synchronized (space) {
      byte[] old = space.objects.get(key);
      if (old != null && is(StorageDefect.PUT_IF_ABSENT_SAME_BYTES_WINS) && Arrays.equals(old, b)) {
        return true;
      }
      if (old != null && !is(StorageDefect.PUT_IF_ABSENT_OVERWRITES)) {
        return false;
      }
      space.objects.remove(key);
      space.objects.put(key, b);
      return old == null;
    }
  }

  private boolean loserReplaces(String key, BodySource body) {
    synchronized (space) {
      if (space.objects.containsKey(key)) {
        return false;
      }
    }
    byte[] b = readBody(key, body);
    synchronized (space) {
      boolean created = !space.objects.containsKey(key);
      space.objects.remove(key);
      space.objects.put(key, b);
      return created;
    }
  }

  @Override
  public ListPage list(String prefix, Optional<String> startAfter, int limit) {
    if (closed) {
      throw HadbException.closed("kit storage backend");
    }
    Keys.validatePrefix(prefix);
    HadbException.requireArg(startAfter, "startAfter");
    StorageBackend.checkLimit(limit);
    List<String> keys;
    synchronized (space) {
      keys = new ArrayList<>(space.objects.keySet());
    }
    if (!is(StorageDefect.LIST_UNORDERED)) {
      keys.sort(null);
    }
    List<String> matching = new ArrayList<>();
    for (String k : keys) {
      if (!matches(k, prefix)) {
        continue;
      }
      if (startAfter.isPresent() && !is(StorageDefect.LIST_IGNORES_START_AFTER) && k.compareTo(startAfter.get()) <= 0) {
        continue;
      }
      matching.add(k);
    }
    if (is(StorageDefect.LIST_LIMIT_IGNORED)) {
      return new ListPage(matching, Optional.empty());
    }
    if (is(StorageDefect.LAST_PAGE_SAYS_MORE) && matching.size() == limit) {
      return new ListPage(matching, Optional.of(matching.get(limit - 1)));
    }
    if (matching.size() <= limit) {
      return new ListPage(matching, Optional.empty());
    }
    List<String> page = matching.subList(0, limit);
    return new ListPage(page, Optional.of(page.get(limit - 1)));
  }

  private boolean matches(String key, String prefix) {
    if (is(StorageDefect.PREFIX_BY_SEGMENT) && !prefix.isEmpty() && !prefix.endsWith("/")) {
      return key.equals(prefix) || key.startsWith(prefix + "/");
    }
    return key.startsWith(prefix);
  }

  @Override
  public void delete(String key) {
    check(key);
    synchronized (space) {
      space.objects.remove(key);
    }
    cache.put(key, Optional.empty());
  }

  @Override
  public void close() {
    closed = true;
  }

  /** One provider per defect, each under its own scheme ({@code storage-live-stream://name}). */
  abstract static class Provider implements StorageBackendProvider {
    abstract StorageDefect defect();

    @Override
    public String scheme() {
      return defect().scheme();
    }

    @Override
    public StorageBackend open(HadbUri uri) {
      uri.rejectUnknownParams(Set.of("refuse"));
      if (uri.param("refuse").isPresent()) {
        return new Refusing(uri.param("refuse").get());
      }
      return new KitStorageBackend(defect(),
          SPACES.computeIfAbsent(uri.scheme() + "://" + uri.authority(), k -> new Space()));
    }
  }

  public static final class None extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.NONE;
    }
  }

  public static final class PutIfAbsentOverwrites extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.PUT_IF_ABSENT_OVERWRITES;
    }
  }

  public static final class RacyPutIfAbsent extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.RACY_PUT_IF_ABSENT;
    }
  }

  public static final class ListIgnoresStartAfter extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.LIST_IGNORES_START_AFTER;
    }
  }

  public static final class ListUnordered extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.LIST_UNORDERED;
    }
  }

  public static final class StaleGetCache extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.STALE_GET_CACHE;
    }
  }

  public static final class LiveStream extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.LIVE_STREAM;
    }
  }

  public static final class ShortReadPut extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.SHORT_READ_PUT;
    }
  }

  public static final class PrefixBySegment extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.PREFIX_BY_SEGMENT;
    }
  }

  public static final class TornWrite extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.TORN_WRITE;
    }
  }

  public static final class LastPageSaysMore extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.LAST_PAGE_SAYS_MORE;
    }
  }

  public static final class ListLimitIgnored extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.LIST_LIMIT_IGNORED;
    }
  }

  public static final class LoserReplaces extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.LOSER_REPLACES;
    }
  }

  public static final class PutIfAbsentSameBytesWins extends Provider {
    @Override
    StorageDefect defect() {
      return StorageDefect.PUT_IF_ABSENT_SAME_BYTES_WINS;
    }
  }

  /**
   * A store that opens but refuses every request, as an S3 bucket does to missing or wrong
   * credentials ({@code ?refuse=<reason>}): what the probe must report as NOT RUN, not as failed rules.
   */
  static final class Refusing implements StorageBackend {
    private final String reason;

    Refusing(String reason) {
      this.reason = reason;
    }

    private HadbException refused(String what) {
      return HadbException.invalidArgument(what + " was refused: " + reason + " (set accessKey and secretKey)");
    }

    @Override
    public Optional<InputStream> getStream(String key) {
      throw refused("get of '" + key + "'");
    }

    @Override
    public void put(String key, BodySource body) {
      throw refused("put of '" + key + "'");
    }

    @Override
    public boolean putIfAbsent(String key, BodySource body) {
      throw refused("put of '" + key + "'");
    }

    @Override
    public ListPage list(String prefix, Optional<String> startAfter, int limit) {
      throw refused("list of '" + prefix + "'");
    }

    @Override
    public void delete(String key) {
      throw refused("delete of '" + key + "'");
    }

    @Override
    public void close() {}
  }
}
