package io.hadb.cli;

import io.hadb.api.HadbUri;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.ChainKey;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.Engines;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.api.manifest.ManifestStores;
import java.util.Optional;
import picocli.CommandLine.Option;

/** Where a database's chain is: storage URI, database name and engine, and its encryption key. */
public final class StoreOptions {
  @Option(names = "--storage", required = true, defaultValue = "${env:HADB_STORAGE_URL}",
      description = "Storage URI of the chains, e.g. file:///var/lib/hadb/chain or s3://bucket/prefix/?region=... "
          + "(env HADB_STORAGE_URL)")
  String storage;

  @Option(names = "--db", required = true, defaultValue = "${env:HADB_DB}",
      description = "Database name: its chain is under <name>/ in storage (env HADB_DB)")
  String db;

  @Option(names = "--engine", defaultValue = "${env:HADB_ENGINE:-sqlite}",
      description = "Engine of the database: sqlite or duckdb (env HADB_ENGINE; default ${DEFAULT-VALUE})")
  String engine;

  @Option(names = "--encryption-key-file", defaultValue = "${env:HADB_ENCRYPTION_KEY_FILE}",
      description = "File holding the hex of the 32-byte key the chain is encrypted with, if it is"
          + " (env HADB_ENCRYPTION_KEY_FILE, or the hex itself in HADB_ENCRYPTION_KEY); never printed")
  java.nio.file.Path encryptionKeyFile;

  @Option(names = "--lease", defaultValue = "${env:HADB_LEASE_URL}",
      description = "Lease store URI the leaders use (env HADB_LEASE_URL): the chain's manifest lives there, so restore"
          + " takes its base from it without listing, verify starts where the kept chain starts, and prune needs it")
  String lease;

  StorageBackend openStorage() {
    return StorageBackends.open(storage);
  }

  /** The manifest store on {@code --lease}, if given; the caller closes it. */
  Optional<ManifestStore> openManifests() {
    return lease == null || lease.isBlank() ? Optional.empty() : Optional.of(ManifestStores.open(lease));
  }

  /** {@link #engineOptions()} with the manifest store, if any. */
  EngineOptions engineOptions(Optional<ManifestStore> manifests) {
    EngineOptions o = engineOptions();
    return manifests.map(o::withManifests).orElse(o);
  }

  String prefix() {
    return db.endsWith("/") ? db : db + "/";
  }

  EngineProvider engine() {
    return Engines.find(engine);
  }

  EngineOptions engineOptions() {
    EngineOptions o = EngineOptions.defaults();
    return ServeCommand.secret("--encryption-key-file", encryptionKeyFile, "HADB_ENCRYPTION_KEY")
        .map(hex -> o.withEncryptionKey(ChainKey.ofHex(hex))).orElse(o);
  }

  /** The storage URI with any credentials masked, for messages. */
  String storageForHumans() {
    return HadbUri.redact(storage);
  }
}
