package io.hadb.coordinator.bench;

import io.hadb.api.CasResult;
import io.hadb.api.HadbUri;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStoreProvider;
import io.hadb.api.LeaseStores;
import io.hadb.api.Subscription;
import io.hadb.api.Versioned;
import java.util.Optional;

/**
 * {@code counting+<scheme>://...}: the real lease store of {@code <scheme>://...}, every call
 * counted in {@link Counted} under {@code lease.<op>}. Test scope only.
 */
public final class CountingLeaseStoreProvider implements LeaseStoreProvider {
  static final String PREFIX = "counting+";

  @Override
  public String scheme() {
    return "counting+file";
  }

  @Override
  public LeaseStore open(HadbUri uri) {
    return new Counting(LeaseStores.open(inner(uri)));
  }

  static HadbUri inner(HadbUri uri) {
    return new HadbUri(uri.scheme().substring(PREFIX.length()), uri.authority(), uri.path(), uri.params());
  }

  private record Counting(LeaseStore inner) implements LeaseStore {
    @Override
    public Optional<Versioned> read(String key) {
      Counted.add("lease", "read");
      return inner.read(key);
    }

    @Override
    public CasResult create(String key, byte[] value) {
      Counted.add("lease", "create");
      return inner.create(key, value);
    }

    @Override
    public CasResult compareAndSet(String key, long expectedVersion, byte[] value) {
      Counted.add("lease", "compareAndSet");
      return inner.compareAndSet(key, expectedVersion, value);
    }

    @Override
    public CasResult delete(String key, long expectedVersion) {
      Counted.add("lease", "delete");
      return inner.delete(key, expectedVersion);
    }

    @Override
    public Optional<Subscription> watch(String key, Runnable onChange) {
      return inner.watch(key, onChange);
    }

    @Override
    public void close() {
      inner.close();
    }
  }
}
