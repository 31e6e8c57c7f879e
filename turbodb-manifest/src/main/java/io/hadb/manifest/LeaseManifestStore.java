package io.hadb.manifest;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.Versioned;
import io.hadb.api.manifest.Manifest;
import io.hadb.api.manifest.ManifestStore;
import java.util.Optional;

/**
 * Manifests on any {@link LeaseStore} (DESIGN §3.4, §10): the manifest of {@code name} is the
 * register {@code name/manifest}, holding the writer's epoch and the document
 * ({@link ManifestRegister}); the manifest's version is the register's.
 *
 * <p>Why the fence holds without an atomic "compare epoch and version" in the store: a write
 * reads the register, refuses a higher stored epoch, then compare-and-sets on the version it
 * read. The register cannot have changed between the read and a winning compare-and-set, so
 * every write that lands was checked against the epoch it replaced; and the lease store's
 * versions already strictly increase, across delete and re-create, so the manifest's do too.
 * A lost compare-and-set reads again: when the winner's epoch is higher the loser is
 * {@code FENCED}, not merely lost, so a deposed writer stops instead of retrying.
 */
public final class LeaseManifestStore implements ManifestStore {
  private static final String SUFFIX = "/manifest";

  private final LeaseStore leases;
  private final boolean ownsLeases;
  private volatile boolean closed;

  public LeaseManifestStore(LeaseStore leases, boolean ownsLeases) {
    this.leases = HadbException.requireArg(leases, "leases");
    this.ownsLeases = ownsLeases;
  }

  /** The register that holds the manifest of {@code name}. */
  public static String registerKey(String name) {
    return ManifestStore.checkName(name) + SUFFIX;
  }

  @Override
  public Optional<Manifest> read(String name) {
    checkOpen();
    String key = registerKey(name);
    return leases.read(key).map(v -> ManifestRegister.decode(key, v));
  }

  @Override
  public CasResult write(String name, long expectedVersion, long epoch, byte[] document) {
    checkOpen();
    ManifestStore.checkWrite(name, expectedVersion, epoch, document);
    String key = registerKey(name);
    Optional<Manifest> stored = leases.read(key).map(v -> ManifestRegister.decode(key, v));
    checkFence(key, stored, epoch);
    long current = stored.map(Manifest::version).orElse(0L);
    if (current != expectedVersion) {
      return CasResult.lost();
    }
    byte[] value = ManifestRegister.encode(epoch, document);
    CasResult r = expectedVersion == 0 ? leases.create(key, value) : leases.compareAndSet(key, expectedVersion, value);
    if (!r.isWon()) {
      // Lost to a writer between our read and our write: if it was a later leader, say so.
      checkFence(key, leases.read(key).map(v -> ManifestRegister.decode(key, v)), epoch);
    }
    return r;
  }

  @Override
  public CasResult replaceDamaged(String name, long epoch, byte[] document) {
    checkOpen();
    ManifestStore.checkWrite(name, 0, epoch, document);
    String key = registerKey(name);
    Optional<Versioned> raw = leases.read(key);
    byte[] value = ManifestRegister.encode(epoch, document);
    if (raw.isEmpty()) {
      return leases.create(key, value);
    }
    Manifest intact;
    try {
      intact = ManifestRegister.decode(key, raw.get());
    } catch (HadbException e) {
      if (e.code() != ErrorCode.CORRUPT) {
        throw e;
      }
      return leases.compareAndSet(key, raw.get().version(), value);
    }
    throw HadbException.invalidArgument("manifest register " + key + " is not damaged (version " + intact.version()
        + ", epoch " + intact.epoch() + "): write it instead of replacing it");
  }

  private static void checkFence(String key, Optional<Manifest> stored, long epoch) {
    if (stored.isPresent() && stored.get().epoch() > epoch) {
      throw HadbException.fenced("manifest " + key + " was written at epoch " + stored.get().epoch()
          + " (version " + stored.get().version() + "), later than this writer's epoch " + epoch
          + ": a newer leader owns the database; stop writing");
    }
  }

  private void checkOpen() {
    if (closed) {
      throw HadbException.closed("manifest store");
    }
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (ownsLeases) {
      leases.close();
    }
  }
}
