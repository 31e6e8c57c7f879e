package io.hadb.cli;

import io.hadb.api.StorageBackend;
import io.hadb.api.engine.EngineOptions;
import io.hadb.engine.sqlite.SqliteOptions;
import io.hadb.engine.sqlite.SqliteReplication;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code hadb replica}: keeps a local read-only SQLite copy of a chain up to date until stopped.
 * Readers open the file with SQLite as usual (read-only).
 */
@Command(name = "replica", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Keeps a read-only local copy of a SQLite database current from storage, until SIGTERM or Ctrl-C.",
        "Prints a line each time the copy moves to a new seq.",
        "Example: hadb replica --storage file:///var/lib/hadb/chain --db app --local /srv/copy/app.db"})
public final class ReplicaCommand implements Callable<Integer> {
  @Mixin
  StoreOptions store;

  @Option(names = "--local", required = true, paramLabel = "FILE", description = "The local copy (created if absent)")
  Path local;

  @Option(names = "--poll", defaultValue = "${env:HADB_REPLICA_POLL:-1s}",
      description = "How often storage is read for new changesets (env HADB_REPLICA_POLL; default ${DEFAULT-VALUE})")
  String poll;

  @Override
  public Integer call() throws InterruptedException {
    if (!store.engine.equals("sqlite")) {
      throw new CommandFailure(ExitCodes.USAGE, "hadb replica keeps SQLite copies; --engine " + store.engine
          + " is not supported by it yet (hadb serve with a follower node replicates any engine)");
    }
    Duration every = ServeCommand.duration("--poll", poll);
    EngineOptions options = store.engineOptions();
    StorageBackend storage = store.openStorage();
    SqliteReplication.Replica replica;
    try {
      replica = SqliteReplication.replica(local, storage, store.prefix(), SqliteOptions.from(options), every);
    } catch (RuntimeException e) {
      storage.close();
      throw e;
    }
    CountDownLatch stop = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      stop.countDown();
      replica.close();
      storage.close();
    }, "hadb-replica-shutdown"));
    System.out.println("hadb replica: " + local + " follows database " + store.db + " in "
        + store.storageForHumans() + " at seq " + replica.appliedSeq());
    long shown = replica.appliedSeq();
    while (!stop.await(every.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      long now = replica.appliedSeq();
      if (now != shown) {
        System.out.println("hadb replica: at seq " + now);
        shown = now;
      }
      if (!replica.isRunning()) {
        String why = replica.error().map(Throwable::getMessage).orElse("(no error recorded)");
        throw new CommandFailure(ExitCodes.INTEGRITY, "stopped following at seq " + now + ": " + why);
      }
    }
    return ExitCodes.OK;
  }
}
