package io.hadb.coordinator;

import java.lang.System.Logger.Level;

/**
 * Closes a database when the JVM shuts down (SIGTERM, Ctrl-C, an IDE's stop, the end of
 * {@code main}): in HA mode that is the graceful hand-off, so a follower claims at once instead of
 * after the ttl. Unregistered when the application closes the database itself.
 */
final class ShutdownClose {
  private static final System.Logger LOG = System.getLogger(ShutdownClose.class.getName());

  private final Thread hook;

  private ShutdownClose(Thread hook) {
    this.hook = hook;
  }

  /** Registers {@code db}'s close as a shutdown hook. */
  static ShutdownClose register(String name, AutoCloseable db) {
    Thread hook = new Thread(() -> {
      try {
        db.close();
      } catch (Exception e) {
        LOG.log(Level.WARNING, "closing " + name + " at shutdown failed: " + e);
      }
    }, "hadb-shutdown-" + name);
    Runtime.getRuntime().addShutdownHook(hook);
    return new ShutdownClose(hook);
  }

  /** The application closed the database: no close at shutdown (a no-op while shutting down). */
  void unregister() {
    if (Thread.currentThread() == hook) {
      return;
    }
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook runs (or ran) anyway; close is idempotent
    }
  }
}
