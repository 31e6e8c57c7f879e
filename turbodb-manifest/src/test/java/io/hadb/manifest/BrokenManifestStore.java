package io.hadb.manifest;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.Versioned;
import io.hadb.api.manifest.Manifest;
import io.hadb.api.manifest.ManifestStore;
import java.util.Arrays;
import java.util.Optional;

/**
 * A manifest store on a lease store with exactly one deliberate bug (or none), written the way
 * a plausible implementation gets it wrong; {@link BrokenManifestsAreCaughtTest} shows the
 * contract catching each.
 */
final class BrokenManifestStore implements ManifestStore {
  enum Defect {
    /** Correct: the generic store, as shipped. */
    NONE,
    /** Checks only the version; a deposed leader's write lands. */
    IGNORES_EPOCH,
    /** Checks the fence, then writes over whatever version is stored. */
    ACCEPTS_STALE_VERSION,
    /** A write that leaves the document unchanged answers won at the stored version, writing nothing. */
    REUSES_VERSION,
    /** Checks the version on a read, then writes from a version read again later: a window for lost updates. */
    LOSES_UPDATE_UNDER_RACE,
    /** The operator's repair writes over whatever is stored, a manifest that reads fine included. */
    REPLACES_HEALTHY_MANIFEST,
    /** A register that fails its check reads as no manifest at all, so a leader would start a new one over it. */
    READS_DAMAGE_AS_ABSENT
  }

  private final Defect defect;
  private final LeaseStore leases;
  private final LeaseManifestStore correct;

  BrokenManifestStore(Defect defect, LeaseStore leases) {
    this.defect = defect;
    this.leases = leases;
    this.correct = new LeaseManifestStore(leases, true);
  }

  @Override
  public Optional<Manifest> read(String name) {
    try {
      return correct.read(name);
    } catch (HadbException e) {
      if (defect == Defect.READS_DAMAGE_AS_ABSENT && e.code() == ErrorCode.CORRUPT) {
        return Optional.empty();
      }
      throw e;
    }
  }

  @Override
  public CasResult replaceDamaged(String name, long epoch, byte[] document) {
    if (defect != Defect.REPLACES_HEALTHY_MANIFEST) {
      return correct.replaceDamaged(name, epoch, document);
    }
    ManifestStore.checkWrite(name, 0, epoch, document);
    String key = LeaseManifestStore.registerKey(name);
    Optional<Versioned> raw = leases.read(key);
    byte[] value = ManifestRegister.encode(epoch, document);
    return raw.isEmpty() ? leases.create(key, value) : leases.compareAndSet(key, raw.get().version(), value);
  }

  @Override
  public CasResult write(String name, long expectedVersion, long epoch, byte[] document) {
    if (defect == Defect.NONE) {
      return correct.write(name, expectedVersion, epoch, document);
    }
    ManifestStore.checkWrite(name, expectedVersion, epoch, document);
    String key = LeaseManifestStore.registerKey(name);
    Optional<Manifest> stored = correct.read(name);
    if (defect != Defect.IGNORES_EPOCH && stored.isPresent() && stored.get().epoch() > epoch) {
      throw HadbException.fenced("manifest " + key + " is at epoch " + stored.get().epoch() + ", above " + epoch);
    }
    long current = stored.map(Manifest::version).orElse(0L);
    byte[] value = ManifestRegister.encode(epoch, document);
    switch (defect) {
      case ACCEPTS_STALE_VERSION -> {
        return current == 0 ? leases.create(key, value) : leases.compareAndSet(key, current, value);
      }
      case REUSES_VERSION -> {
        if (stored.isPresent() && current == expectedVersion && Arrays.equals(stored.get().document(), document)) {
          return CasResult.won(current);
        }
      }
      case LOSES_UPDATE_UNDER_RACE -> {
        if (current != expectedVersion) {
          return CasResult.lost();
        }
        pause();
        long now = leases.read(key).map(Versioned::version).orElse(0L);
        return now == 0 ? leases.create(key, value) : leases.compareAndSet(key, now, value);
      }
      default -> { }
    }
    if (current != expectedVersion) {
      return CasResult.lost();
    }
    return expectedVersion == 0 ? leases.create(key, value) : leases.compareAndSet(key, expectedVersion, value);
  }

  /** Long enough that racing writers fall into the window between the check and the write every run. */
  private static void pause() {
    try {
      Thread.sleep(3);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    correct.close();
  }
}
