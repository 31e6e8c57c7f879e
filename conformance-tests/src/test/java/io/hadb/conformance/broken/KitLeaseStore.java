package io.hadb.conformance.broken;

import io.hadb.api.CasResult;
import io.hadb.api.HadbException;
import io.hadb.api.HadbUri;
import io.hadb.api.Keys;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStoreProvider;
import io.hadb.api.Versioned;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The kit's own in-memory lease store: correct with {@link LeaseDefect#NONE}, and with exactly
 * one deliberate bug otherwise. The kit's tests run the contract against every variant and
 * assert that each bug is caught by the rule meant to catch it.
 */
public final class KitLeaseStore implements LeaseStore {
  /** How long the racy variants leave the door open between check and write. */
  static final long RACE_WINDOW_MILLIS = 3;

  static final class Space {
    final Map<String, Versioned> registers = new HashMap<>();
    long counter;
  }

  private static final Map<String, Space> SPACES = new ConcurrentHashMap<>();

  private final LeaseDefect defect;
  private final Space space;
  private final Map<String, Optional<Versioned>> readCache = new ConcurrentHashMap<>();
  private final Map<String, Long> seenVersion = new ConcurrentHashMap<>();
  private volatile boolean closed;

  KitLeaseStore(LeaseDefect defect, Space space) {
    this.defect = defect;
    this.space = space;
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
    }
    readCache.put(key, v);
    v.ifPresent(x -> seenVersion.put(key, x.version()));
    return v;
  }

  @Override
  public CasResult create(String key, byte[] value) {
    check(key);
    checkValue(value);
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
  public void close() {
    closed = true;
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
      return new KitLeaseStore(defect(), SPACES.computeIfAbsent(uri.scheme() + "://" + uri.authority(), k -> new Space()));
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
}
