package io.hadb.conformance;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.EngineProvider;
import java.lang.reflect.Constructor;
import java.nio.file.Path;

/**
 * The child JVM of rule E4.1: opens the database file as a follower of the chain and applies it,
 * so the parent can kill it with SIGKILL in the middle. It rebuilds the engine from the contract
 * subclass named on its command line (its no-argument constructor, then {@code provider()} and
 * {@code options()}), so a broken engine under test is the same broken engine here.
 *
 * <p>Arguments: contract class, database file, storage URI, prefix. Prints {@code APPLYING} just
 * before the apply starts and {@code DONE <seq> <millis>} when it ends.
 */
public final class EngineCrashChild {
  private EngineCrashChild() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      System.err.println("usage: EngineCrashChild <contract class> <database file> <storage uri> <prefix>");
      System.exit(2);
    }
    Constructor<?> ctor = Class.forName(args[0]).getDeclaredConstructor();
    ctor.setAccessible(true);
    EngineContract contract = (EngineContract) ctor.newInstance();
    EngineProvider provider = contract.provider();
    try (StorageBackend storage = StorageBackends.open(args[2]);
        EngineProvider.Engine engine = provider.open(Path.of(args[1]), storage, args[3], contract.options())) {
      System.out.println("APPLYING");
      System.out.flush();
      long t0 = System.nanoTime();
      long seq = engine.replicator().bootstrap();
      System.out.println("DONE " + seq + " " + (System.nanoTime() - t0) / 1_000_000);
      System.out.flush();
    }
    System.exit(0);
  }
}
