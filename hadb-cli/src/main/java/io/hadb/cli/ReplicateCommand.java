package io.hadb.cli;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.HadbUri;
import io.hadb.api.engine.ChainKey;
import io.hadb.api.engine.Compression;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.RetentionPolicy;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.engine.sqlite.ExternalWriterReplication;
import io.hadb.engine.sqlite.SqliteOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code hadb replicate FILE}: ships the commits other programs make to an existing SQLite file
 * to storage, continuously and without a lease (the Litestream use), until SIGTERM or Ctrl-C.
 */
@Command(name = "replicate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Replicates an existing SQLite file that other programs write to storage, until SIGTERM or Ctrl-C",
        "(no lease: run one per file). Holds a read transaction so no writer's checkpoint loses a commit before it",
        "ships; restore it with hadb restore. Prints a line each time storage moves to a new seq.",
        "Example: hadb replicate /srv/app/app.db --storage file:///var/lib/hadb/chain --db app"})
public final class ReplicateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "FILE", description = "The SQLite file other programs write (WAL mode is set)")
  Path file;

  @Option(names = "--storage", required = true, defaultValue = "${env:HADB_STORAGE_URL}",
      description = "Storage URI of the chain (env HADB_STORAGE_URL)")
  String storage;

  @Option(names = "--db", defaultValue = "${env:HADB_DB}",
      description = "Database name: the chain is under <name>/ in storage (env HADB_DB; default the file's name"
          + " without its extension)")
  String db;

  @Option(names = "--state-dir", defaultValue = "${env:HADB_STATE_DIR}",
      description = "Where the chain's state is kept (a shadow copy of the file and its chain position;"
          + " env HADB_STATE_DIR; default FILE-hadb beside the file)")
  Path stateDir;

  @Option(names = "--poll", defaultValue = "${env:HADB_REPLICATE_POLL:-1s}",
      description = "How often the file's WAL is looked at (env HADB_REPLICATE_POLL; default ${DEFAULT-VALUE})")
  String poll;

  @Option(names = "--snapshot-every", defaultValue = "${env:HADB_SNAPSHOT_EVERY:-0}", paramLabel = "N",
      description = "Take a snapshot after N changesets; 0: not by count (env HADB_SNAPSHOT_EVERY)")
  long snapshotEvery;

  @Option(names = "--retain-last", defaultValue = "${env:HADB_RETAIN_LAST:-0}", paramLabel = "N",
      description = "After each snapshot keep the newest N and the changesets after the oldest of them; 0: keep all"
          + " (env HADB_RETAIN_LAST)")
  int retainLast;

  @Option(names = "--compression", defaultValue = "${env:HADB_COMPRESSION:-NONE}",
      description = "NONE or ZSTD (env HADB_COMPRESSION; default ${DEFAULT-VALUE})")
  Compression compression;

  @Option(names = "--encryption-key-file", defaultValue = "${env:HADB_ENCRYPTION_KEY_FILE}",
      description = "File holding the hex of a 32-byte key the chain is encrypted with (env HADB_ENCRYPTION_KEY_FILE,"
          + " or the hex itself in HADB_ENCRYPTION_KEY)")
  Path encryptionKeyFile;

  @Override
  public Integer call() throws InterruptedException {
    Duration every = ServeCommand.duration("--poll", poll);
    if (snapshotEvery < 0 || retainLast < 0) {
      throw new CommandFailure(ExitCodes.USAGE, "--snapshot-every and --retain-last must not be negative");
    }
    String name = db != null ? db : file.getFileName().toString().replaceFirst("\\.[^.]*$", "");
    Path state = stateDir != null ? stateDir : file.resolveSibling(file.getFileName() + "-hadb");
    EngineOptions o = EngineOptions.defaults().withCompression(compression)
        .withSnapshots(new SnapshotPolicy(snapshotEvery, 0, Duration.ZERO, new RetentionPolicy(retainLast, 0, 0, 0)));
    EngineOptions options = ServeCommand.secret("--encryption-key-file", encryptionKeyFile, "HADB_ENCRYPTION_KEY")
        .map(hex -> o.withEncryptionKey(ChainKey.ofHex(hex))).orElse(o);
    StorageBackend store = StorageBackends.open(storage);
    ExternalWriterReplication r;
    try {
      r = ExternalWriterReplication.start(file, state, store, name + "/", SqliteOptions.from(options), every);
    } catch (RuntimeException e) {
      store.close();
      throw e;
    }
    CountDownLatch stopping = new CountDownLatch(1);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stopping.countDown();
      try {
        r.close();
        System.out.println("hadb replicate: stopped at seq " + r.shippedSeq());
      } finally {
        store.close();
        stopped.countDown();
      }
    }, "hadb-replicate-shutdown"));
    System.out.println("hadb replicate: " + file + " to database " + name + " in " + HadbUri.redact(storage)
        + ", at seq " + r.shippedSeq());
    long shown = r.shippedSeq();
    while (!stopping.await(every.toMillis(), TimeUnit.MILLISECONDS)) {
      long now = r.shippedSeq();
      if (now != shown) {
        System.out.println("hadb replicate: at seq " + now);
        shown = now;
      }
      if (r.failure().isPresent()) {
        throw new CommandFailure(ExitCodes.STORAGE, "stopped shipping at seq " + now + ": "
            + r.failure().get().getMessage());
      }
    }
    stopped.await(30, TimeUnit.SECONDS);
    return ExitCodes.OK;
  }
}
