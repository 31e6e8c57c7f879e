package io.hadb.chain.internal;

import io.hadb.api.BodySource;
import io.hadb.api.HadbException;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.Progress;
import io.hadb.chain.ChainKeys;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The storage a restore or a cold start reads through: changesets are fetched
 * {@code parallelism} at a time ahead of the one the reader asks for (the restore itself applies them in order, each
 * verified), and every byte and object read is reported to a {@link Progress}. Memory stays
 * bounded: at most {@code parallelism} prefetched changesets, each at most
 * {@value #PREFETCH_MAX_BYTES} bytes (a larger one is left to the restore to stream itself).
 * Progress comes by bytes as well as by objects: every {@value #REPORT_EVERY_BYTES} bytes read,
 * so a large snapshot moves the bar while it downloads.
 * Read-only: writes and deletes are refused.
 */
public final class RestoreDownloads implements StorageBackend {
  static final int PREFETCH_MAX_BYTES = 8 << 20;
  /** Progress is reported at least every this many bytes read (a snapshot may be GiBs), and at each object's end. */
  static final int REPORT_EVERY_BYTES = 1 << 20;

  private final StorageBackend storage;
  private final ChainKeys keys;
  private final int parallelism;
  private final Progress progress;
  private final ExecutorService pool;
  private final Map<Long, CompletableFuture<Optional<byte[]>>> ahead = new HashMap<>(); // guarded by this
  private final AtomicLong bytesDone = new AtomicLong();
  private final AtomicLong objectsDone = new AtomicLong();
  private final AtomicLong bytesReported = new AtomicLong();
  private volatile long bytesTotal;
  private volatile long objectsTotal;

  public RestoreDownloads(StorageBackend storage, ChainKeys keys, int parallelism, Progress progress) {
    this(storage, keys, parallelism, progress, "hadb-restore-download");
  }

  /** As above, its download threads named {@code threadName} (a restore's, a cold start's). */
  public RestoreDownloads(StorageBackend storage, ChainKeys keys, int parallelism, Progress progress,
      String threadName) {
    this.storage = storage;
    this.keys = keys;
    this.parallelism = parallelism;
    this.progress = progress;
    this.pool = Executors.newFixedThreadPool(parallelism, r -> {
      Thread t = new Thread(r, threadName);
      t.setDaemon(true);
      return t;
    });
  }

  /** The work is known to hold {@code objects} objects of at least {@code bytes} bytes (totals may grow). */
  public void expect(long objects, long bytes) {
    objectsTotal = Math.max(objectsTotal, objects);
    bytesTotal = Math.max(bytesTotal, bytes);
    report();
  }

  /** How many changesets follow {@code seq} up to {@code target} in storage (a listing of keys, no bodies). */
  public long countChangesAfter(long seq, long target) {
    long n = 0;
    Optional<String> after = Optional.of(keys.change(seq));
    while (true) {
      ListPage page = storage.list(keys.changesPrefix(), after, MAX_LIST_LIMIT);
      for (String key : page.keys()) {
        OptionalLong s = keys.changeSeq(key);
        if (s.isPresent() && s.getAsLong() > target) {
          return n;
        }
        n++;
      }
      if (page.nextStartAfter().isEmpty()) {
        return n;
      }
      after = page.nextStartAfter();
    }
  }

  @Override
  public Optional<InputStream> getStream(String key) {
    OptionalLong seq = keys.changeSeq(key);
    if (seq.isEmpty()) {
      return storage.getStream(key).map(this::counted);
    }
    CompletableFuture<Optional<byte[]>> mine;
    synchronized (this) {
      // The one asked for goes through the pool too, so no more than parallelism run at once.
      for (long s = seq.getAsLong(); s <= seq.getAsLong() + parallelism; s++) {
        long next = s;
        ahead.computeIfAbsent(next, x -> CompletableFuture.supplyAsync(() -> fetch(keys.change(next)), pool));
      }
      mine = ahead.remove(seq.getAsLong());
    }
    Optional<byte[]> got = join(mine, key);
    if (got.isEmpty()) {
      return storage.getStream(key).map(this::counted); // absent, or too large to hold: stream it
    }
    return Optional.of(counted(new ByteArrayInputStream(got.get())));
  }

  /** The whole object when it is small enough to hold, empty when absent or larger. */
  private Optional<byte[]> fetch(String key) {
    Optional<InputStream> in = storage.getStream(key);
    if (in.isEmpty()) {
      return Optional.empty();
    }
    try (InputStream s = in.get()) {
      byte[] b = s.readNBytes(PREFETCH_MAX_BYTES + 1);
      return b.length > PREFETCH_MAX_BYTES ? Optional.empty() : Optional.of(b);
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + key + " failed: " + e.getMessage(), e);
    }
  }

  private static Optional<byte[]> join(CompletableFuture<Optional<byte[]>> f, String key) {
    try {
      return f.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof HadbException h ? h
          : HadbException.unavailable("downloading " + key + " failed: " + e.getCause(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HadbException.unavailable("interrupted while downloading " + key, e);
    }
  }

  private InputStream counted(InputStream in) {
    return new FilterInputStream(in) {
      private boolean ended;

      @Override
      public int read() throws IOException {
        int b = super.read();
        count(b < 0 ? -1 : 1);
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        count(n);
        return n;
      }

      private void count(int n) {
        if (n > 0) {
          long done = bytesDone.addAndGet(n);
          long reported = bytesReported.get();
          if (done - reported >= REPORT_EVERY_BYTES && bytesReported.compareAndSet(reported, done)) {
            report();
          }
        } else if (n < 0 && !ended) {
          ended = true;
          objectsDone.incrementAndGet();
          report();
        }
      }

      @Override
      public void close() throws IOException {
        if (!ended) {
          ended = true;
          objectsDone.incrementAndGet();
          report();
        }
        super.close();
      }
    };
  }

  private synchronized void report() {
    long b = bytesDone.get();
    long o = objectsDone.get();
    progress.update(b, Math.max(b, bytesTotal), o, Math.max(o, objectsTotal));
  }

  @Override
  public void put(String key, BodySource body) {
    throw HadbException.unsupported("a restore only reads storage");
  }

  @Override
  public boolean putIfAbsent(String key, BodySource body) {
    throw HadbException.unsupported("a restore only reads storage");
  }

  @Override
  public ListPage list(String prefix, Optional<String> startAfter, int limit) {
    return storage.list(prefix, startAfter, limit);
  }

  @Override
  public void delete(String key) {
    throw HadbException.unsupported("a restore only reads storage");
  }

  /** Stops the downloads still running; the storage stays the caller's. */
  @Override
  public void close() {
    pool.shutdownNow();
  }
}
