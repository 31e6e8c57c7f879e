package io.hadb.lease.storage.internal;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.lease.storage.StorageLeaseOptions;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Deletes superseded versions. The one rule the protocol needs (README, "collection"): a version
 * x is deleted only by someone who has seen a version of at least x + keep exist. A writer that
 * just won version w has, so it may delete every version up to w − keep; the newest version of a
 * key, a tombstone included, is therefore never deleted.
 */
public final class Collector implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(Collector.class.getName());
  private static final int BATCH = 1000;

  private final StorageBackend backend;
  private final Layout layout;
  private final StorageLeaseOptions options;
  private final ExecutorService executor;
  /** Per key, the highest won version waiting to be collected behind. */
  private final Map<String, Long> pending = new ConcurrentHashMap<>();

  public Collector(StorageBackend backend, Layout layout, StorageLeaseOptions options) {
    this.backend = backend;
    this.layout = layout;
    this.options = options;
    this.executor = options.collection() == StorageLeaseOptions.Collection.BACKGROUND
        ? new ThreadPoolExecutor(0, 1, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
          Thread t = new Thread(r, "hadb-lease-collector");
          t.setDaemon(true);
          return t;
        })
        : null;
  }

  /** Called after version {@code w} of {@code key} was confirmed current. */
  public void afterWin(String key, long w) {
    if (options.collection() == StorageLeaseOptions.Collection.OFF
        || w <= options.keepVersions() || w % options.collectEvery() != 0) {
      return;
    }
    if (executor == null) {
      collectQuietly(key, w);
      return;
    }
    if (pending.merge(key, w, Math::max) == w) {
      try {
        executor.execute(() -> {
          Long upTo = pending.remove(key);
          if (upTo != null) {
            collectQuietly(key, upTo);
          }
        });
      } catch (RejectedExecutionException e) {
        pending.remove(key); // closing: the next store to win this key collects instead
      }
    }
  }

  private void collectQuietly(String key, long w) {
    try {
      collect(key, w);
    } catch (HadbException e) {
      // Harmless to the register (the versions stay until the next collection of this key) and
      // the win it follows stands; a backend listing what it should not is worth a warning.
      System.Logger.Level level = e.code() == ErrorCode.CORRUPT ? System.Logger.Level.WARNING
          : System.Logger.Level.DEBUG;
      LOG.log(level, () -> "collecting old versions of lease key '" + key + "' failed: " + e.getMessage());
    }
  }

  /** Deletes versions up to {@code w - keep}, oldest first. */
  void collect(String key, long w) {
    long limit = w - options.keepVersions();
    if (limit < 1) {
      return;
    }
    // Inverted names: versions <= limit are exactly the names after that of limit + 1.
    ListPage page = backend.list(layout.dir(key), Optional.of(layout.object(key, limit + 1)), BATCH);
    List<String> names = page.keys();
    for (int i = names.size() - 1; i >= 0; i--) {
      String name = names.get(i);
      if (layout.version(key, name) > limit) {
        // Never delete it: it may be the newest. The backend ignored the listing's start key.
        throw HadbException.corrupt("collecting lease key '" + key + "': the backend listed " + name
            + " after " + layout.object(key, limit + 1) + ", which sorts before it; nothing above version "
            + limit + " was deleted");
      }
      backend.delete(name);
    }
  }

  @Override
  public void close() {
    if (executor != null) {
      executor.shutdownNow();
      try {
        executor.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
