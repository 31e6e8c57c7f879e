package io.hadb.api.engine;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.manifest.ManifestStore;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a user chooses for one replicated database, handed to {@link EngineProvider#open} (DESIGN
 * §3.3). The common choices are typed; what only one engine understands goes in {@code settings}
 * (for SQLite: {@code readConnections}, {@code busyTimeoutMs}, …; each engine's README lists its
 * keys), and an engine refuses a key it does not know, naming it and the keys it knows.
 *
 * @param durability when a commit counts as done
 * @param compression how changeset bodies are stored
 * @param encryptionKey when present, changeset and snapshot bodies are encrypted with it, and a
 *     follower needs the same key to apply them
 * @param snapshots when the leader takes snapshots by itself, and which snapshots and changesets
 *     it keeps
 * @param settings engine-specific settings by name
 * @param manifests where the database's epoch-fenced manifest lives (DESIGN §10): the leader
 *     writes it after each snapshot, followers and restores start from it. Empty: snapshots,
 *     retention and cold starts work from storage listings. A live handle: the caller opened it
 *     and closes it after the engine.
 * @param threads the host's shared threads for shipping and snapshots; empty: each leading
 *     database runs a shipper thread and a snapshot thread of its own
 */
public record EngineOptions(Durability durability, Compression compression, Optional<ChainKey> encryptionKey,
    SnapshotPolicy snapshots, Map<String, String> settings, Optional<ManifestStore> manifests,
    Optional<EngineThreads> threads) {

  public EngineOptions {
    HadbException.requireArg(durability, "durability");
    HadbException.requireArg(compression, "compression");
    HadbException.requireArg(encryptionKey, "encryptionKey");
    HadbException.requireArg(snapshots, "snapshots");
    HadbException.requireArg(settings, "settings");
    settings = java.util.Collections.unmodifiableMap(new TreeMap<>(settings));
    HadbException.requireArg(manifests, "manifests");
    HadbException.requireArg(threads, "threads");
  }

  /** Options without shared threads. */
  public EngineOptions(Durability durability, Compression compression, Optional<ChainKey> encryptionKey,
      SnapshotPolicy snapshots, Map<String, String> settings, Optional<ManifestStore> manifests) {
    this(durability, compression, encryptionKey, snapshots, settings, manifests, Optional.empty());
  }

  /** Options without a manifest store. */
  public EngineOptions(Durability durability, Compression compression, Optional<ChainKey> encryptionKey,
      SnapshotPolicy snapshots, Map<String, String> settings) {
    this(durability, compression, encryptionKey, snapshots, settings, Optional.empty());
  }

  /** ASYNC, no compression, no encryption, manual snapshots, the engine's default settings, no manifest. */
  public static EngineOptions defaults() {
    return new EngineOptions(Durability.ASYNC, Compression.NONE, Optional.empty(), SnapshotPolicy.manual(), Map.of());
  }

  public EngineOptions withDurability(Durability d) {
    return new EngineOptions(d, compression, encryptionKey, snapshots, settings, manifests, threads);
  }

  public EngineOptions withCompression(Compression c) {
    return new EngineOptions(durability, c, encryptionKey, snapshots, settings, manifests, threads);
  }

  public EngineOptions withEncryptionKey(ChainKey key) {
    return new EngineOptions(durability, compression, Optional.of(HadbException.requireArg(key, "key")), snapshots,
        settings, manifests, threads);
  }

  public EngineOptions withSnapshots(SnapshotPolicy p) {
    return new EngineOptions(durability, compression, encryptionKey, p, settings, manifests, threads);
  }

  /** These options with the manifest store the database's manifest lives in. */
  public EngineOptions withManifests(ManifestStore store) {
    return new EngineOptions(durability, compression, encryptionKey, snapshots, settings,
        Optional.of(HadbException.requireArg(store, "manifest store")), threads);
  }

  /** These options with the host's shared threads (see {@link EngineThreads}). */
  public EngineOptions withThreads(EngineThreads t) {
    return new EngineOptions(durability, compression, encryptionKey, snapshots, settings, manifests,
        Optional.of(HadbException.requireArg(t, "threads")));
  }

  /** These options with one engine-specific setting added (or replaced). */
  public EngineOptions withSetting(String name, String value) {
    HadbException.requireArg(name, "setting name");
    HadbException.requireArg(value, "value of setting " + name);
    Map<String, String> s = new TreeMap<>(settings);
    s.put(name, value);
    return new EngineOptions(durability, compression, encryptionKey, snapshots, s, manifests, threads);
  }

  @Override
  public String toString() {
    return "EngineOptions[durability=" + durability + ", compression=" + compression + ", encrypted="
        + encryptionKey.isPresent() + ", snapshots=" + snapshots + ", settings=" + settings + ", manifest="
        + manifests.isPresent() + ", sharedThreads=" + threads.isPresent() + "]";
  }
}
