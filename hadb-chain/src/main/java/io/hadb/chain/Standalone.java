package io.hadb.chain;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.EngineProvider;
import io.hadb.chain.internal.Snapshots;
import io.hadb.changeset.ChainException;
import io.hadb.changeset.DecodeOptions;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Standalone replication of one database file, without leases (the Litestream / walrust case),
 * for any engine: a {@link Primary} writes through the library and ships every commit to
 * storage; any number of {@link Replica}s elsewhere keep a read-only copy up to date.
 *
 * <p>Without a lease nothing stops two primaries from running at once; the chain still does:
 * each changeset is written with put-if-absent, so the second primary to write a seq is fenced
 * (its writes fail with {@code FENCED}) and the stored history stays one line.
 */
public final class Standalone {
  private static final System.Logger LOG = System.getLogger(Standalone.class.getName());

  private Standalone() {}

  /**
   * Makes the open {@code engine} the primary of the chain under {@code prefix}: it catches up
   * with what the chain holds (a restarted primary rebuilds from the chain if it crashed with
   * commits the chain never got), then publishes at the chain's next epoch. An existing file with
   * data and an empty chain ships whole as seq 1. Closes the engine if that fails.
   */
  public static void startPrimary(EngineProvider.Engine engine, StorageBackend storage, String prefix,
      DecodeOptions decode) {
    try {
      ChainEnd end = chainEnd(storage, ChainKeys.of(prefix), decode);
      engine.replicator().startPublishing(end.epoch() + 1, end.seq() + 1);
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /**
   * As {@link #startPrimary(EngineProvider.Engine, StorageBackend, String, DecodeOptions)}, for a
   * replicator without an engine around it (SQLite's replication of a file other programs write).
   * Leaves closing to the caller.
   */
  public static void startPrimary(io.hadb.api.engine.Replicator replicator, StorageBackend storage, String prefix,
      DecodeOptions decode) {
    ChainEnd end = chainEnd(storage, ChainKeys.of(prefix), decode);
    replicator.startPublishing(end.epoch() + 1, end.seq() + 1);
  }

  /** Fails with INVALID_ARGUMENT naming {@code pollInterval} unless it is positive. */
  public static void checkPollInterval(Duration pollInterval) {
    HadbException.requireArg(pollInterval, "pollInterval");
    if (pollInterval.isNegative() || pollInterval.isZero()) {
      throw HadbException.invalidArgument("pollInterval must be positive, was " + pollInterval);
    }
  }

  /**
   * Makes the open {@code engine} a replica: it bootstraps (from the latest snapshot when it is
   * empty). Closes the engine if that fails. {@link Replica} then pulls in the background.
   */
  public static void startReplica(EngineProvider.Engine engine) {
    try {
      engine.replicator().bootstrap();
    } catch (RuntimeException e) {
      engine.close();
      throw e;
    }
  }

  /** The last stored seq (changeset or snapshot) and the epoch that wrote it. */
  record ChainEnd(long seq, long epoch) {}

  static ChainEnd chainEnd(StorageBackend storage, ChainKeys keys, DecodeOptions decode) {
    List<String> changes = storage.listAll(keys.changesPrefix());
    long seq = 0;
    String key = null;
    for (int i = changes.size() - 1; i >= 0 && key == null; i--) {
      OptionalLong s = keys.changeSeq(changes.get(i));
      if (s.isPresent()) {
        seq = s.getAsLong();
        key = changes.get(i);
      }
    }
    Optional<Long> snap = Snapshots.latest(storage, keys);
    if (snap.isPresent() && snap.get() > seq) {
      seq = snap.get();
      key = keys.snapshot(seq);
    }
    if (key == null) {
      return new ChainEnd(0, 0);
    }
    return new ChainEnd(seq, Snapshots.header(storage, key, decode).epoch());
  }

  /** The writing side: an engine whose commits are replicated. */
  public static class Primary<E extends EngineProvider.Engine> implements AutoCloseable {
    private final E engine;

    protected Primary(E engine) {
      this.engine = engine;
    }

    public E engine() {
      return engine;
    }

    /** Ships everything committed so far and closes the file. */
    @Override
    public void close() {
      engine.close();
    }
  }

  /** The reading side: a read-only copy kept current by a background pull loop. */
  public static class Replica<E extends EngineProvider.Engine> implements AutoCloseable {
    private final E engine;
    private final Thread puller;
    private final Object wake = new Object();
    private volatile boolean stop;
    private volatile HadbException error;

    private final String name;

    /**
     * Starts pulling into {@code engine} (bootstrapped: {@link #startReplica}) every
     * {@code pollInterval}; {@code name} (the file) names the thread and the log lines. A bad
     * changeset stops the pulling at that seq; {@link #error()} then names the key, and the
     * local file stays at the last good seq.
     */
    protected Replica(E engine, String name, Duration pollInterval) {
      checkPollInterval(pollInterval);
      this.engine = engine;
      this.name = name;
      this.puller = new Thread(() -> loop(pollInterval), "hadb-replica-" + name);
      this.puller.setDaemon(true);
      this.puller.start();
    }

    private void loop(Duration interval) {
      while (!stop) {
        try {
          engine.replicator().pull();
          error = null;
        } catch (ChainException e) {
          error = e; // bad input: stay at the last good seq until someone looks
          LOG.log(Level.ERROR, "replica " + name + " stopped: " + e.getMessage());
          return;
        } catch (HadbException e) {
          if (!e.retryable() && e.code() != ErrorCode.CORRUPT) {
            error = e;
            LOG.log(Level.ERROR, "replica " + name + " stopped: " + e.getMessage());
            return;
          }
          error = e; // storage down, or the file was changed outside the library: retried
          LOG.log(Level.WARNING, "replica " + name + ": " + e.getMessage());
        }
        synchronized (wake) {
          if (stop) {
            return;
          }
          try {
            wake.wait(Math.max(1, interval.toMillis()));
          } catch (InterruptedException e) {
            return;
          }
        }
      }
    }

    public E engine() {
      return engine;
    }

    public long appliedSeq() {
      return engine.replicator().appliedSeq();
    }

    /** Why pulling stopped (or the last retried failure), if anything went wrong. */
    public Optional<HadbException> error() {
      return Optional.ofNullable(error);
    }

    /** Whether the pull loop is still running. */
    public boolean isRunning() {
      return puller.isAlive();
    }

    /**
     * Stops the pull loop, then closes the file. No interrupt: an interrupted file channel closes
     * itself, and closing a descriptor on the database can drop the engine's locks (DESIGN §6.5).
     */
    @Override
    public void close() {
      stop = true;
      synchronized (wake) {
        wake.notifyAll();
      }
      try {
        puller.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      engine.close();
    }
  }
}
