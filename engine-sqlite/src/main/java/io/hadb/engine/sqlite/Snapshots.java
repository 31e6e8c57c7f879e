package io.hadb.engine.sqlite;

import io.hadb.api.engine.RetentionPolicy;
import io.hadb.api.BodySource;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.Compression;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.engine.sqlite.internal.ChainKeys;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.FilePages;
import io.hadb.engine.sqlite.internal.RetentionPlan;
import io.hadb.engine.sqlite.internal.Spool;
import io.hadb.engine.sqlite.internal.SpooledObject;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Snapshots (DESIGN §6.5): the exact page images of the database file as of one seq, same page
 * numbers as the chain (never {@code VACUUM INTO}, which renumbers pages), in the changeset
 * format: a HADBP object at {@code snapshots/{seq}.snap} whose header says seq, epoch, size and
 * page count, whose previous-checksum field holds <em>the chain's checksum at that seq</em> (so
 * changeset seq+1 links to it) and whose body is zstd-compressed. It is written page by page to a
 * local spool file and uploaded from there, so no snapshot ever sits whole in the heap.
 *
 * <p>Writers are blocked only while the leader ships what is pending and checkpoints (see
 * {@link Publisher#requestSnapshotPoint}); the copy runs with checkpoints paused, so the file
 * holds still while new commits go to the WAL.
 */
final class Snapshots {
  private static final System.Logger LOG = System.getLogger(Snapshots.class.getName());

  private final Path db;
  private final DbFile file;
  private final StorageBackend storage;
  private final ChainKeys keys;
  private final SqliteOptions options;

  Snapshots(Path db, DbFile file, StorageBackend storage, ChainKeys keys, SqliteOptions options) {
    this.db = db;
    this.file = file;
    this.storage = storage;
    this.keys = keys;
    this.options = options;
  }

  /** Takes a snapshot on the leader and applies retention; returns its seq. */
  long take(Publisher p, long epoch) {
    Publisher.SnapshotPoint point;
    try {
      point = p.requestSnapshotPoint().get(options.busyTimeout().toMillis() + 60_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof HadbException h ? h
          : new HadbException(io.hadb.api.ErrorCode.INTERNAL, "snapshot point failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw HadbException.unavailable("the publisher did not reach a snapshot point in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HadbException.unavailable("interrupted while waiting for a snapshot point", e);
    }
    boolean stored = false;
    Path spool = db.resolveSibling(db.getFileName() + "-hadb.snap");
    try {
      FilePages pages = FilePages.of(file);
      PhysicalHeader h = new PhysicalHeader(point.seq(), epoch, pages.pageSize(), pages.dbSizePages(),
          pages.dbSizePages(), System.currentTimeMillis(), point.chainChecksum());
      ChainLink link = SpooledObject.encode(pages, h, options.encode().withCompression(Compression.ZSTD), spool);
      String key = keys.snapshot(point.seq());
      if (!storage.putIfAbsent(key, BodySource.ofFile(spool))) {
        LOG.log(Level.INFO, "snapshot " + key + " exists already; kept it");
      }
      stored = true;
      LOG.log(Level.INFO, "snapshot of " + db + " at seq " + point.seq() + ": " + pages.dbSizePages()
          + " pages, checksum " + link.checksum());
    } finally {
      p.resumeCheckpoints(stored);
      Spool.deleteQuietly(spool);
    }
    applyRetention();
    return point.seq();
  }

  /** Deletes the snapshots retention drops, then the changesets no kept snapshot needs. */
  void applyRetention() {
    RetentionPolicy policy = options.snapshots().retention();
    if (policy.keepsAll()) {
      return;
    }
    List<RetentionPlan.Snapshot> stored = new ArrayList<>();
    for (long seq : list(storage, keys)) {
      stored.add(new RetentionPlan.Snapshot(seq, createdMillis(seq)));
    }
    RetentionPlan plan = RetentionPlan.of(stored, policy);
    for (long seq : plan.deleteSnapshots()) {
      storage.delete(keys.snapshot(seq));
    }
    long through = plan.deleteChangesThrough();
    for (String key : storage.listAll(keys.changesPrefix())) {
      OptionalLong seq = keys.changeSeq(key);
      if (seq.isPresent() && seq.getAsLong() <= through) {
        storage.delete(key);
      } else if (seq.isPresent()) {
        break; // keys list in seq order
      }
    }
  }

  private long createdMillis(long seq) {
    String key = keys.snapshot(seq);
    try (var in = storage.getStream(key).orElseThrow(() -> HadbException.notFound("snapshot " + key + " vanished"));
        var r = io.hadb.changeset.PhysicalReader.open(key, in, -1, options.decode())) {
      return r.header().createdMillis(); // the header only: the body is never read
    } catch (java.io.IOException e) {
      throw HadbException.unavailable("reading " + key + " failed: " + e.getMessage(), e);
    }
  }

  /** Seqs of the stored snapshots, ascending. */
  static List<Long> list(StorageBackend storage, ChainKeys keys) {
    List<Long> out = new ArrayList<>();
    for (String key : storage.listAll(keys.snapshotsPrefix())) {
      keys.snapshotSeq(key).ifPresent(out::add);
    }
    return out;
  }

  static Optional<Long> latest(StorageBackend storage, ChainKeys keys) {
    List<Long> all = list(storage, keys);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }
}
