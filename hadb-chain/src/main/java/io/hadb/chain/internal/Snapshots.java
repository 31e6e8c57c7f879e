package io.hadb.chain.internal;

import io.hadb.api.BodySource;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.RetentionPolicy;
import io.hadb.api.engine.Progress;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.ChainManifest;
import io.hadb.chain.ChainOptions;
import io.hadb.chain.PageFile;
import io.hadb.chain.PageImages;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.Compression;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.changeset.PhysicalReader;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Snapshots (DESIGN §4, §6.5): the exact page images of the database file as of one seq, same
 * page numbers as the chain, in the changeset format: a HADBP object at
 * {@code snapshots/{seq}.snap} whose header says seq, epoch, size and page count, whose
 * previous-checksum field holds <em>the chain's checksum at that seq</em> (so changeset seq+1
 * links to it) and whose body is zstd-compressed. It is written page by page to a local spool
 * file and uploaded from there, so no snapshot ever sits whole in the heap.
 *
 * <p>Writers are held up only while the publisher reaches a consistent point (see
 * {@link Publisher#requestSnapshotPoint}); the engine keeps the file as it is while it is copied.
 */
public final class Snapshots {
  private static final System.Logger LOG = System.getLogger(Snapshots.class.getName());

  private final Path db;
  private final PageFile file;
  private final StorageBackend storage;
  private final ChainKeys keys;
  private final ChainOptions options;
  private final Optional<ManifestKeeper> manifest;

  public Snapshots(Path db, PageFile file, StorageBackend storage, ChainKeys keys, ChainOptions options,
      Optional<ManifestKeeper> manifest) {
    this.db = db;
    this.file = file;
    this.storage = storage;
    this.keys = keys;
    this.options = options;
    this.manifest = manifest;
  }

  /**
   * Takes a snapshot on the leader, then writes the manifest at {@code epoch} (retention and
   * garbage collection behind it, see {@link ManifestKeeper}) or, without a manifest store,
   * applies retention by listing. Returns the snapshot's seq.
   */
  public long take(Publisher p, long epoch, Progress progress) {
    SnapshotPoint point;
    try {
      point = p.requestSnapshotPoint().get(options.busyTimeout().toMillis() + 60_000, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof HadbException h ? h
          : new HadbException(ErrorCode.INTERNAL, "snapshot point failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw HadbException.unavailable("the publisher did not reach a snapshot point in time", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HadbException.unavailable("interrupted while waiting for a snapshot point", e);
    }
    boolean stored = false;
    Path spool = db.resolveSibling(db.getFileName() + "-hadb.snap");
    ChainManifest.Snapshot entry;
    try {
      if (point.seq() < 1) {
        throw emptyChain();
      }
      PageImages pages = file.pages();
      PhysicalHeader h = new PhysicalHeader(point.seq(), epoch, pages.pageSize(), pages.dbSizePages(),
          pages.dbSizePages(), System.currentTimeMillis(), point.chainChecksum());
      ChainLink link = SpooledObject.encode(pages, h, options.encode().withCompression(Compression.ZSTD), spool);
      String key = keys.snapshot(point.seq());
      long bytes = Files.size(spool);
      progress.update(0, bytes, 0, 1);
      if (storage.putIfAbsent(key, BodySource.ofFile(spool))) {
        entry = new ChainManifest.Snapshot(point.seq(), h.createdMillis(), bytes, link.checksum().toHex());
      } else {
        // An earlier attempt of ours stored it (its creation time, so its checksum, differs):
        // the manifest must name the object as stored.
        LOG.log(Level.INFO, "snapshot " + key + " exists already; kept it");
        entry = describe(storage, keys, point.seq(), options.decode());
      }
      stored = true;
      progress.update(bytes, bytes, 1, 1);
      LOG.log(Level.INFO, "snapshot of " + db + " at seq " + point.seq() + ": " + pages.dbSizePages()
          + " pages, " + bytes + " bytes, checksum " + link.checksum());
    } catch (IOException e) {
      throw HadbException.unavailable("reading the snapshot spool " + spool + " failed: " + e.getMessage(), e);
    } finally {
      p.resumeCheckpoints(stored);
      Spool.deleteQuietly(spool);
    }
    if (manifest.isPresent()) {
      manifest.get().afterSnapshot(epoch, entry);
    } else {
      applyRetention();
    }
    return point.seq();
  }

  /**
   * A snapshot names the chain's seq it holds, and an empty chain has none: a snapshot before
   * the first commit (a new database, or an operator's {@code hadb snapshot} right after it was
   * created) has nothing to hold and nowhere to be stored.
   */
  private HadbException emptyChain() {
    String prefix = keys.prefix().isEmpty() ? "the storage root" : "prefix " + keys.prefix();
    return HadbException.invalidArgument("cannot snapshot " + db + ": its chain (" + prefix + ") is empty, nothing"
        + " was committed yet, so there is nothing to snapshot; commit a first write, then snapshot again");
  }

  /** The manifest entry of the stored snapshot at {@code seq}: read in full, verified, measured. */
  public static ChainManifest.Snapshot describe(StorageBackend storage, ChainKeys keys, long seq, DecodeOptions decode) {
    String key = keys.snapshot(seq);
    try (CountingInputStream in = new CountingInputStream(storage.getStream(key)
        .orElseThrow(() -> HadbException.notFound("snapshot " + key + " is gone")))) {
      ChainLink link = io.hadb.changeset.ChainVerifier.verifyObject(key, seq, in, -1, decode);
      return new ChainManifest.Snapshot(seq, link.header().createdMillis(), in.count(), link.checksum().toHex());
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + key + " failed: " + e.getMessage(), e);
    }
  }

  /** Deletes the snapshots retention drops, then the changesets no kept snapshot needs. */
  void applyRetention() {
    RetentionPolicy policy = options.snapshots().retention();
    if (policy.keepsAll()) {
      return;
    }
    List<RetentionPlan.Snapshot> stored = new ArrayList<>();
    for (long seq : list(storage, keys)) {
      stored.add(new RetentionPlan.Snapshot(seq, header(storage, keys.snapshot(seq), options.decode()).createdMillis()));
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

  /** The header of the object at {@code key}; the body is never read. */
  public static PhysicalHeader header(StorageBackend storage, String key, DecodeOptions decode) {
    try (InputStream in = storage.getStream(key).orElseThrow(() -> HadbException.notFound(key + " is gone"));
        PhysicalReader r = PhysicalReader.open(key, in, -1, decode)) {
      return r.header();
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + key + " failed: " + e.getMessage(), e);
    }
  }

  /** Seqs of the stored snapshots, ascending. */
  public static List<Long> list(StorageBackend storage, ChainKeys keys) {
    List<Long> out = new ArrayList<>();
    for (String key : storage.listAll(keys.snapshotsPrefix())) {
      keys.snapshotSeq(key).ifPresent(out::add);
    }
    return out;
  }

  public static Optional<Long> latest(StorageBackend storage, ChainKeys keys) {
    List<Long> all = list(storage, keys);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
  }
}
