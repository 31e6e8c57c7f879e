package io.hadb.chain;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.engine.Compression;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineThreads;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.EncodeOptions;
import io.hadb.changeset.EncryptionKey;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * What the chain side of one replicated database is told, whatever the engine (DESIGN §6.2,
 * §6.3). An engine's options hold one of these beside its own.
 *
 * @param durability when a commit counts as done
 * @param encode how changesets are stored (compression, encryption)
 * @param decode what a follower may read (the key for encrypted chains)
 * @param busyTimeout how long the engine waits on its own locks before failing with TIMEOUT; a
 *     snapshot waits for its consistent point this long plus a minute
 * @param retryBackoff first pause after a failed upload; doubles up to 32× while it keeps failing
 * @param applyBatchMax most changesets a follower applies in one apply (1–4096); a follower that
 *     fell behind catches up in batches, paying the fsyncs once per batch
 * @param snapshots when the leader takes snapshots by itself and which it keeps
 * @param shipInterval ASYNC only: the least time between the starts of two uploads while commits
 *     keep coming (0 to 1 s). A commit after a quiet spell ships at once; under a steady stream
 *     the commits of an interval share one changeset, so the fixed cost of an upload (an object
 *     written and fsynced, the capture, a state record) is paid once per interval instead of once
 *     per commit, CPU the shipper would take from the writers. It adds at most this much to the
 *     replication lag. The shipper also waits at least three times as long as its last capture
 *     took, so a costly capture (a DuckDB checkpoint) takes at most about a third of a steady
 *     stream's time; the lag then grows with the capture's cost. SYNC commits, {@code sync()}
 *     and snapshots never wait for either.
 * @param manifests where the chain's manifest lives (DESIGN §10), under {@link ChainKeys#manifestName()};
 *     empty: snapshots and retention work from listings, and restores and followers list too
 * @param gcGrace how long an object no manifest names any more stays before garbage collection
 *     deletes it: a follower or restore that read an older manifest finds everything it named
 *     for this long
 * @param downloadParallelism how many objects a restore or a cold start downloads at once (1–64)
 * @param threads a host's shared threads for shipping and snapshots (DESIGN §9); empty: a leader
 *     runs a shipper thread and a snapshot thread of its own
 */
public record ChainOptions(Durability durability, EncodeOptions encode, DecodeOptions decode, Duration busyTimeout,
    Duration retryBackoff, int applyBatchMax, SnapshotPolicy snapshots, Duration shipInterval,
    Optional<ManifestStore> manifests, Duration gcGrace, int downloadParallelism, Optional<EngineThreads> threads) {
  public ChainOptions {
    HadbException.requireArg(durability, "durability");
    HadbException.requireArg(encode, "encode");
    HadbException.requireArg(decode, "decode");
    HadbException.requireArg(busyTimeout, "busyTimeout");
    if (busyTimeout.isNegative()) {
      throw HadbException.invalidArgument("busyTimeout must not be negative, was " + busyTimeout);
    }
    HadbException.requireArg(retryBackoff, "retryBackoff");
    if (retryBackoff.isNegative() || retryBackoff.isZero()) {
      throw HadbException.invalidArgument("retryBackoff must be positive, was " + retryBackoff);
    }
    if (applyBatchMax < 1 || applyBatchMax > 4096) {
      throw HadbException.invalidArgument("applyBatchMax must be between 1 and 4096, was " + applyBatchMax);
    }
    HadbException.requireArg(snapshots, "snapshots");
    HadbException.requireArg(shipInterval, "shipInterval");
    if (shipInterval.isNegative() || shipInterval.compareTo(Duration.ofSeconds(1)) > 0) {
      throw HadbException.invalidArgument("shipInterval must be between 0 and 1 s, was " + shipInterval);
    }
    HadbException.requireArg(manifests, "manifests");
    HadbException.requireArg(gcGrace, "gcGrace");
    if (gcGrace.isNegative()) {
      throw HadbException.invalidArgument("gcGrace must not be negative, was " + gcGrace);
    }
    if (downloadParallelism < 1 || downloadParallelism > 64) {
      throw HadbException.invalidArgument("downloadParallelism must be between 1 and 64, was " + downloadParallelism);
    }
    HadbException.requireArg(threads, "threads");
  }

  /** How long unreferenced objects stay by default: a restore of a few GiB finishes well within it. */
  public static final Duration DEFAULT_GC_GRACE = Duration.ofMinutes(15);

  /** The engine settings ({@link EngineOptions#settings()}) the chain understands, with what each sets. */
  public static final Map<String, String> SETTINGS = Map.of(
      "busyTimeoutMs", "how long a connection waits on the engine's locks, ms (default 5000)",
      "retryBackoffMs", "first pause after a failed upload, ms (default 50)",
      "applyBatchMax", "most changesets a follower applies at once, 1-4096 (default 256)",
      "shipIntervalMs", "ASYNC: least time between the starts of two uploads, 0-1000 ms (default 5)",
      "gcGraceMs", "how long an object no manifest names stays before it is deleted, ms (default 900000)",
      "downloadParallelism", "objects a restore or cold start downloads at once, 1-64 (default 4)");

  /**
   * ASYNC, plain objects, 5 s busy timeout, 50 ms backoff, batches of 256, manual snapshots, 5 ms
   * interval, no manifest, 15 min grace, 4 downloads at once.
   */
  public static ChainOptions defaults() {
    return new ChainOptions(Durability.ASYNC, EncodeOptions.plain(), DecodeOptions.defaults(), Duration.ofSeconds(5),
        Duration.ofMillis(50), 256, SnapshotPolicy.manual(), Duration.ofMillis(5), Optional.empty(), DEFAULT_GC_GRACE, 4,
        Optional.empty());
  }

  /**
   * The common choices of {@code o}: durability, compression, encryption key and snapshot policy
   * (its engine settings are the engine's to read, {@link #withSetting} for the chain's).
   */
  public static ChainOptions from(EngineOptions o) {
    HadbException.requireArg(o, "options");
    EncodeOptions encode = o.compression() == Compression.ZSTD ? EncodeOptions.plain().withZstd() : EncodeOptions.plain();
    DecodeOptions decode = DecodeOptions.defaults();
    if (o.encryptionKey().isPresent()) {
      EncryptionKey key = EncryptionKey.of(o.encryptionKey().get().bytes());
      encode = encode.withEncryption(key);
      decode = decode.key(key);
    }
    return defaults().withDurability(o.durability()).withSnapshots(o.snapshots()).withEncode(encode).withDecode(decode)
        .withManifests(o.manifests()).withThreads(o.threads());
  }

  /**
   * These options with the chain setting {@code name} (a key of {@link #SETTINGS}) set to the
   * whole number {@code value}; an engine reads its settings map through this for the chain's keys.
   */
  public ChainOptions withSetting(String name, long value) {
    return switch (name) {
      case "busyTimeoutMs" -> withBusyTimeout(Duration.ofMillis(value));
      case "retryBackoffMs" -> withRetryBackoff(Duration.ofMillis(value));
      case "applyBatchMax" -> withApplyBatchMax((int) Math.min(Integer.MAX_VALUE, value));
      case "shipIntervalMs" -> withShipInterval(Duration.ofMillis(value));
      case "gcGraceMs" -> withGcGrace(Duration.ofMillis(value));
      case "downloadParallelism" -> withDownloadParallelism((int) Math.min(Integer.MAX_VALUE, value));
      default -> throw HadbException.invalidArgument("'" + name + "' is not a chain setting; the chain knows "
          + new java.util.TreeSet<>(SETTINGS.keySet()));
    };
  }

  /** {@link #busyTimeout()} in whole milliseconds, as engines' lock handlers take it. */
  public int busyTimeoutMillis() {
    return (int) Math.min(Integer.MAX_VALUE, busyTimeout.toMillis());
  }

  public ChainOptions withDurability(Durability d) {
    return new ChainOptions(d, encode, decode, busyTimeout, retryBackoff, applyBatchMax, snapshots, shipInterval,
        manifests, gcGrace, downloadParallelism, threads);
  }

  public ChainOptions withEncode(EncodeOptions e) {
    return new ChainOptions(durability, e, decode, busyTimeout, retryBackoff, applyBatchMax, snapshots, shipInterval,
        manifests, gcGrace, downloadParallelism, threads);
  }

  public ChainOptions withDecode(DecodeOptions d) {
    return new ChainOptions(durability, encode, d, busyTimeout, retryBackoff, applyBatchMax, snapshots, shipInterval,
        manifests, gcGrace, downloadParallelism, threads);
  }

  public ChainOptions withBusyTimeout(Duration d) {
    return new ChainOptions(durability, encode, decode, d, retryBackoff, applyBatchMax, snapshots, shipInterval,
        manifests, gcGrace, downloadParallelism, threads);
  }

  public ChainOptions withRetryBackoff(Duration d) {
    return new ChainOptions(durability, encode, decode, busyTimeout, d, applyBatchMax, snapshots, shipInterval,
        manifests, gcGrace, downloadParallelism, threads);
  }

  public ChainOptions withApplyBatchMax(int n) {
    return new ChainOptions(durability, encode, decode, busyTimeout, retryBackoff, n, snapshots, shipInterval,
        manifests, gcGrace, downloadParallelism, threads);
  }

  public ChainOptions withSnapshots(SnapshotPolicy p) {
    return new ChainOptions(durability, encode, decode, busyTimeout, retryBackoff, applyBatchMax, p, shipInterval,
        manifests, gcGrace, downloadParallelism, threads);
  }

  /** These options with the manifest store the chain keeps its manifest in (empty: none). */
  public ChainOptions withManifests(Optional<ManifestStore> m) {
    return new ChainOptions(durability, encode, decode, busyTimeout, retryBackoff, applyBatchMax, snapshots, shipInterval,
        m, gcGrace, downloadParallelism, threads);
  }

  public ChainOptions withGcGrace(Duration d) {
    return new ChainOptions(durability, encode, decode, busyTimeout, retryBackoff, applyBatchMax, snapshots, shipInterval,
        manifests, d, downloadParallelism, threads);
  }

  public ChainOptions withDownloadParallelism(int n) {
    return new ChainOptions(durability, encode, decode, busyTimeout, retryBackoff, applyBatchMax, snapshots, shipInterval,
        manifests, gcGrace, n, threads);
  }

  /** These options with a host's shared threads (empty: a leader's own threads). */
  public ChainOptions withThreads(Optional<EngineThreads> t) {
    return new ChainOptions(durability, encode, decode, busyTimeout, retryBackoff, applyBatchMax, snapshots, shipInterval,
        manifests, gcGrace, downloadParallelism, t);
  }

  public ChainOptions withShipInterval(Duration d) {
    return new ChainOptions(durability, encode, decode, busyTimeout, retryBackoff, applyBatchMax, snapshots, d,
        manifests, gcGrace, downloadParallelism, threads);
  }
}
