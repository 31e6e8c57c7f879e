package io.hadb.conformance.broken;

import io.hadb.api.CasResult;
import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import io.hadb.api.Keys;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStoreProvider;
import io.hadb.api.Subscription;
import io.hadb.api.Versioned;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The kit's own in-memory lease store: correct with {@link LeaseDefect#NONE}, and with exactly
 * one deliberate bug otherwise. The kit's tests run the contract against every variant and
 * assert that each bug is caught by the rule meant to catch it.
 */
public final class KitLeaseStore implements LeaseStore {
  /** How long the racy variants leave the door open between check and write. */
  static final long RACE_WINDOW_MILLIS = 3;

  static final class Space {
    final TreeMap<String, Versioned> registers = new TreeMap<>();
    final Map<String, List<Watch>> watches = new HashMap<>();
    long counter;
  }

  /** One watch: its callback, until its subscription (or its client) is closed. */
  private final class Watch implements Subscription {
    final String key;
    final Runnable onChange;
    volatile boolean open = true;

    Watch(String key, Runnable onChange) {
      this.key = key;
      this.onChange = onChange;
    }

    @Override
    public void close() {
      if (is(LeaseDefect.WATCH_IGNORES_CLOSE)) {
        return;
      }
      open = false;
      synchronized (space) {
        List<Watch> l = space.watches.get(key);
        if (l != null) {
          l.remove(this);
        }
      }
    }
  }

  private static final Map<String, Space> SPACES = new ConcurrentHashMap<>();

  private final LeaseDefect defect;
  private final Space space;
  private final boolean reversedFormat;
  private final List<Watch> myWatches = new CopyOnWriteArrayList<>();
  private final Map<String, Optional<Versioned>> readCache = new ConcurrentHashMap<>();
  private final Map<String, Long> seenVersion = new ConcurrentHashMap<>();
  private volatile boolean closed;

  KitLeaseStore(LeaseDefect defect, Space space, boolean reversedFormat) {
    this.defect = defect;
    this.space = space;
    this.reversedFormat = reversedFormat && defect == LeaseDefect.SETTING_CHANGES_FORMAT;
  }

  /** The stored form of a value under this client's setting (its own inverse). */
  private byte[] format(byte[] value) {
    if (!reversedFormat || value == null) {
      return value;
    }
    byte[] r = new byte[value.length];
    for (int i = 0; i < value.length; i++) {
      r[i] = value[value.length - 1 - i];
    }
    return r;
  }

  private Optional<Versioned> formatted(Optional<Versioned> v) {
    return reversedFormat ? v.map(x -> new Versioned(format(x.value()), x.version())) : v;
  }

  /** Runs the callbacks of {@code key}'s watches; outside the space's lock, on the writer's thread. */
  private void notifyWatches(String key, boolean deleted) {
    if (deleted && is(LeaseDefect.WATCH_MISSES_DELETES)) {
      return;
    }
    List<Watch> l;
    synchronized (space) {
      l = new ArrayList<>(space.watches.getOrDefault(key, List.of()));
    }
    for (Watch w : l) {
      if (w.open || is(LeaseDefect.WATCH_IGNORES_CLOSE)) {
        w.onChange.run();
      }
    }
  }

  private boolean is(LeaseDefect d) {
    return defect == d;
  }

  private void check(String key) {
    if (closed && !is(LeaseDefect.CLOSE_IGNORED)) {
      throw HadbException.closed("kit lease store");
    }
    if (!is(LeaseDefect.LAX_INPUT)) {
      Keys.validate(key);
    }
  }

  private void checkValue(byte[] value) {
    if (!is(LeaseDefect.LAX_INPUT)) {
      LeaseStore.checkValue(value);
    }
  }

  private void checkVersion(long v) {
    if (!is(LeaseDefect.LAX_INPUT)) {
      LeaseStore.checkVersion(v);
    }
  }

  private CasResult lost(String what) {
    if (is(LeaseDefect.THROWS_ON_LOST)) {
      throw HadbException.unavailable(what + " failed: condition not met", null);
    }
    return CasResult.lost();
  }

  private static void window() {
    try {
      Thread.sleep(RACE_WINDOW_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private long nextVersion(Versioned current) {
    if (is(LeaseDefect.VERSION_REUSED_AFTER_DELETE)) {
      return current == null ? 1 : current.version() + 1;
    }
    return ++space.counter;
  }

  private CasResult remember(String key, CasResult r, byte[] value) {
    if (r.isWon()) {
      Versioned v = new Versioned(value == null ? new byte[0] : value, r.version());
      readCache.put(key, value == null ? Optional.empty() : Optional.of(v));
      seenVersion.put(key, r.version());
    }
    return r;
  }

  @Override
  public Optional<Versioned> read(String key) {
    check(key);
    if (is(LeaseDefect.STALE_READ_CACHE) && readCache.containsKey(key)) {
      return readCache.get(key);
    }
    Optional<Versioned> v;
    synchronized (space) {
      v = Optional.ofNullable(space.registers.get(key));
      if (v.isEmpty() && is(LeaseDefect.READ_BY_PREFIX)) {
        String next = space.registers.ceilingKey(key);
        if (next != null && next.startsWith(key)) {
          v = Optional.of(space.registers.get(next));
        }
      }
    }
    readCache.put(key, v);
    v.ifPresent(x -> seenVersion.put(key, x.version()));
    return formatted(v);
  }

  @Override
  public CasResult create(String key, byte[] value) {
    check(key);
    checkValue(value);
    return notifyIfWon(key, createStored(key, format(value)), false);
  }

  private CasResult notifyIfWon(String key, CasResult r, boolean deleted) {
    if (r.isWon()) {
      notifyWatches(key, deleted);
    }
    return r;
  }

  private CasResult createStored(String key, byte[] value) {
    if (is(LeaseDefect.RACY_CREATE)) {
      synchronized (space) {
        if (space.registers.containsKey(key)) {
          return lost("create");
        }
      }
      window();
      synchronized (space) {
        return remember(key, write(key, null, value), value);
      }
    }
    synchronized (space) {
      Versioned current = space.registers.get(key);
      if (current != null && !is(LeaseDefect.CREATE_OVERWRITES)) {
        return lost("create");
      }
      return remember(key, write(key, current, value), value);
    }
  }

  private CasResult write(String key, Versioned current, byte[] value) {
    long v = nextVersion(current);
    space.registers.put(key, new Versioned(value, v));
    return CasResult.won(v);
  }

  @Override
  public CasResult compareAndSet(String key, long expectedVersion, byte[] value) {
    check(key);
    checkVersion(expectedVersion);
    checkValue(value);
    return notifyIfWon(key, compareAndSetStored(key, expectedVersion, format(value)), false);
  }

  private CasResult compareAndSetStored(String key, long expectedVersion, byte[] value) {
    if (is(LeaseDefect.CAS_SAME_VALUE_KEEPS_VERSION)) {
      synchronized (space) {
        Versioned current = space.registers.get(key);
        if (current != null && current.version() == expectedVersion && Arrays.equals(current.value(), value)) {
          return CasResult.won(current.version());
        }
      }
    }
    if (is(LeaseDefect.CACHED_VERSION_CAS)) {
      Long seen = seenVersion.get(key);
      if (seen != null && seen == expectedVersion) {
        synchronized (space) {
          return remember(key, write(key, space.registers.get(key), value), value);
        }
      }
    }
    if (is(LeaseDefect.RACY_CAS)) {
      synchronized (space) {
        Versioned current = space.registers.get(key);
        if (current == null || current.version() != expectedVersion) {
          return lost("compareAndSet");
        }
      }
      window();
      synchronized (space) {
        return remember(key, write(key, space.registers.get(key), value), value);
      }
    }
    synchronized (space) {
      Versioned current = space.registers.get(key);
      if (current == null || current.version() != expectedVersion) {
        return lost("compareAndSet");
      }
      return remember(key, write(key, current, value), value);
    }
  }

  @Override
  public CasResult delete(String key, long expectedVersion) {
    check(key);
    checkVersion(expectedVersion);
    return notifyIfWon(key, deleteStored(key, expectedVersion), true);
  }

  private CasResult deleteStored(String key, long expectedVersion) {
    synchronized (space) {
      Versioned current = space.registers.get(key);
      if (current == null || (current.version() != expectedVersion && !is(LeaseDefect.BLIND_DELETE))) {
        return lost("delete");
      }
      space.registers.remove(key);
      return remember(key, CasResult.won(current.version()), null);
    }
  }

  @Override
  public Optional<Subscription> watch(String key, Runnable onChange) {
    check(key);
    if (!is(LeaseDefect.LAX_INPUT)) {
      HadbException.requireArg(onChange, "onChange");
    }
    Watch w = new Watch(key, onChange);
    synchronized (space) {
      space.watches.computeIfAbsent(key, k -> new ArrayList<>()).add(w);
    }
    myWatches.add(w);
    return Optional.of(w);
  }

  @Override
  public void close() {
    closed = true;
    myWatches.forEach(Watch::close);
  }

  /** One provider per defect, each under its own scheme ({@code lease-racy-cas://name}). */
  abstract static class Provider implements LeaseStoreProvider {
    abstract LeaseDefect defect();

    @Override
    public String scheme() {
      return defect().scheme();
    }

    @Override
    public LeaseStore open(HadbUri uri) {
      uri.rejectUnknownParams(Set.of("format"));
      boolean reversed = "reversed".equals(uri.param("format", "plain"));
      return new KitLeaseStore(defect(), SPACES.computeIfAbsent(uri.scheme() + "://" + uri.authority(),
          k -> new Space()), reversed);
    }
  }

  public static final class None extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.NONE;
    }
  }

  public static final class RacyCas extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.RACY_CAS;
    }
  }

  public static final class RacyCreate extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.RACY_CREATE;
    }
  }

  public static final class VersionReusedAfterDelete extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.VERSION_REUSED_AFTER_DELETE;
    }
  }

  public static final class CreateOverwrites extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.CREATE_OVERWRITES;
    }
  }

  public static final class StaleReadCache extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.STALE_READ_CACHE;
    }
  }

  public static final class BlindDelete extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.BLIND_DELETE;
    }
  }

  public static final class CachedVersionCas extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.CACHED_VERSION_CAS;
    }
  }

  public static final class LaxInput extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.LAX_INPUT;
    }
  }

  public static final class CloseIgnored extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.CLOSE_IGNORED;
    }
  }

  public static final class ThrowsOnLost extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.THROWS_ON_LOST;
    }
  }

  public static final class CasSameValueKeepsVersion extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.CAS_SAME_VALUE_KEEPS_VERSION;
    }
  }

  public static final class ReadByPrefix extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.READ_BY_PREFIX;
    }
  }

  public static final class WatchMissesDeletes extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.WATCH_MISSES_DELETES;
    }
  }

  public static final class WatchIgnoresClose extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.WATCH_IGNORES_CLOSE;
    }
  }

  public static final class SettingChangesFormat extends Provider {
    @Override
    LeaseDefect defect() {
      return LeaseDefect.SETTING_CHANGES_FORMAT;
    }
  }
}
