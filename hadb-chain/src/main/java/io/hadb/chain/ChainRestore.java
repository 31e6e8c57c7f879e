package io.hadb.chain;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.Progress;
import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.VerifyReport;
import io.hadb.chain.internal.Follower;
import io.hadb.chain.internal.ManifestKeeper;
import io.hadb.chain.internal.RestoreDownloads;
import io.hadb.chain.internal.Snapshots;
import io.hadb.chain.internal.Spool;
import io.hadb.changeset.ChainException;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.ChainVerifier;
import io.hadb.changeset.DecodeOptions;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Restore and verify, without an open engine (DESIGN §3.3, §4).
 *
 * <p>{@link #restore} builds the database in a private side file next to the target — from the
 * newest usable snapshot, then the changesets after it, each verified before it is applied —
 * has the engine check it ({@link FileFormat#check}), fsyncs it and renames it onto the target
 * atomically, so the target either does not exist or is a complete, checked database. The
 * restored file carries its chain position, so it can be opened as a follower and keep pulling.
 */
public final class ChainRestore {
  private static final System.Logger LOG = System.getLogger(ChainRestore.class.getName());

  private ChainRestore() {}

  /**
   * Restores {@code point} of the chain under {@code prefix} into the new file {@code target}
   * (which must not exist), in the engine's {@code format}. Returns the seq restored.
   *
   * <p>The base is the newest kept snapshot at or before the point, taken from the manifest when
   * the options name a manifest store (one read; a damaged or missing manifest falls back to
   * listing, losing nothing); its download must match the manifest's checksum. A base that is
   * missing or damaged is reported and the next older one is tried. The changesets after the
   * base are downloaded {@link ChainOptions#downloadParallelism()} at a time and applied in
   * order, each verified; {@code progress} hears bytes and objects done of the totals known.
   */
  public static long restore(StorageBackend storage, String prefix, Path target, RestorePoint point,
      FileFormat format, ChainOptions options, Progress progress) {
    HadbException.requireArg(storage, "storage");
    HadbException.requireArg(target, "target");
    HadbException.requireArg(point, "point");
    HadbException.requireArg(format, "format");
    HadbException.requireArg(progress, "progress");
    ChainKeys keys = ChainKeys.of(prefix);
    Path abs = target.toAbsolutePath();
    if (Files.exists(abs)) {
      throw HadbException.invalidArgument("restore target " + abs + " exists; restore makes a new file");
    }
    long wantSeq = point instanceof RestorePoint.AtSeq s ? s.seq() : Long.MAX_VALUE;
    long maxCreated = point instanceof RestorePoint.AtTime t ? t.time().toEpochMilli() : Long.MAX_VALUE;
    Path side = abs.resolveSibling(abs.getFileName() + ".restoring");
    cleanup(side, format);
    long seq;
    try (RestoreDownloads downloads = new RestoreDownloads(storage, keys, options.downloadParallelism(), progress)) {
      try (PrivateFile sideFile = format.create(side)) {
        Follower f = new Follower(side, sideFile, downloads, keys, options, LocalState.empty(), Optional.empty());
        Optional<ChainManifest> manifest = ManifestKeeper.of(storage, keys, options)
            .flatMap(ManifestKeeper::readOrWarn).map(ManifestKeeper.Stored::manifest);
        List<ChainManifest.Snapshot> bases = bases(storage, keys, options, manifest, wantSeq, maxCreated);
        if (bases.isEmpty() && manifest.isPresent() && manifest.get().changesFrom() > 1) {
          ChainManifest m = manifest.get();
          throw HadbException.notFound("the restore point " + describe(point) + " is older than what retention keeps"
              + " under \"" + keys.prefix() + "\": " + m.base().map(b -> "the oldest kept snapshot is seq "
              + m.snapshots().get(0).seq() + " taken " + java.time.Instant.ofEpochMilli(m.snapshots().get(0).createdMillis())
              + ", ").orElse("") + "changesets are kept from seq " + m.changesFrom());
        }
        HadbException firstFailure = null;
        for (ChainManifest.Snapshot base : bases) {
          long changes = downloads.countChangesAfter(base.seq(), wantSeq);
          downloads.expect(1 + changes, base.bytes());
          try {
            f.restoreSnapshot(base.seq(), base.sha256().isEmpty() ? Optional.empty() : Optional.of(base.sha256()));
            firstFailure = null;
            break;
          } catch (HadbException e) {
            firstFailure = firstFailure == null ? e : firstFailure;
            LOG.log(Level.WARNING, "restore of " + keys.prefix() + " cannot start from " + keys.snapshot(base.seq())
                + ": " + e.getMessage() + "; trying an older one");
          }
        }
        if (f.state().seq() == 0) {
          downloads.expect(downloads.countChangesAfter(0, wantSeq), 0);
        }
        try {
          seq = f.pullTo(wantSeq, maxCreated);
        } catch (HadbException e) {
          if (firstFailure != null) {
            e.addSuppressed(firstFailure);
          }
          throw e;
        }
        if (point instanceof RestorePoint.AtSeq s && seq != s.seq()) {
          throw HadbException.notFound("the chain under \"" + keys.prefix() + "\" reaches seq " + seq
              + ", not the requested seq " + s.seq());
        }
        if (seq == 0) {
          if (firstFailure != null) {
            throw firstFailure;
          }
          throw HadbException.notFound("nothing to restore under \"" + keys.prefix() + "\""
              + (point instanceof RestorePoint.AtTime t ? " at or before " + t.time() : ""));
        }
        sideFile.force();
      }
      format.check(side);
      moveAtomically(side, abs);
      moveAtomically(LocalState.fileOf(side), LocalState.fileOf(abs));
      return seq;
    } finally {
      cleanup(side, format);
    }
  }

  /**
   * The snapshots a restore to the point may start from, newest first: from the manifest when
   * there is a usable one (no listing, no header reads: a restore to a time far back does not
   * open every snapshot), else from listing (for a time, each candidate's header is read).
   * Entries from a listing carry no checksum or size.
   */
  private static List<ChainManifest.Snapshot> bases(StorageBackend storage, ChainKeys keys, ChainOptions options,
      Optional<ChainManifest> m, long wantSeq, long maxCreated) {
    List<ChainManifest.Snapshot> out = new ArrayList<>();
    if (m.isPresent()) {
      List<ChainManifest.Snapshot> all = m.get().snapshots();
      for (int i = all.size() - 1; i >= 0; i--) {
        ChainManifest.Snapshot s = all.get(i);
        if (s.seq() <= wantSeq && s.createdMillis() <= maxCreated) {
          out.add(s);
        }
      }
      return out;
    }
    List<Long> seqs = Snapshots.list(storage, keys);
    for (int i = seqs.size() - 1; i >= 0; i--) {
      long s = seqs.get(i);
      if (s > wantSeq) {
        continue;
      }
      long created = maxCreated == Long.MAX_VALUE ? 0
          : Snapshots.header(storage, keys.snapshot(s), options.decode()).createdMillis();
      if (created <= maxCreated) {
        out.add(new ChainManifest.Snapshot(s, created, 0, ""));
      }
    }
    return out;
  }

  private static String describe(RestorePoint point) {
    return point instanceof RestorePoint.AtSeq s ? "seq " + s.seq()
        : point instanceof RestorePoint.AtTime t ? "time " + t.time() : "latest";
  }

  private static void moveAtomically(Path from, Path to) {
    try {
      try {
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(from, to);
      }
    } catch (IOException e) {
      throw HadbException.unavailable("renaming " + from + " to " + to + " failed: " + e.getMessage(), e);
    }
  }

  private static void cleanup(Path side, FileFormat format) {
    Spool.deleteQuietly(side);
    Spool.deleteQuietly(LocalState.fileOf(side));
    format.companions(side).forEach(Spool::deleteQuietly);
  }

  /**
   * Rebuilds the manifest of the chain under {@code prefix} from storage and stores it: the
   * recovery for a manifest whose register fails its CRC check or whose document does not parse
   * (DESIGN §10), for an operator command. Nothing committed is lost: the rebuilt manifest names
   * every stored snapshot and starts the changesets at the first one stored. A damaged register is
   * replaced at the epoch of the chain's newest changeset. Needs a manifest store in
   * {@code options}; refuses a manifest that reads fine. Returns the manifest written.
   */
  public static ChainManifest repairManifest(StorageBackend storage, String prefix, ChainOptions options) {
    HadbException.requireArg(storage, "storage");
    HadbException.requireArg(options, "options");
    return ManifestKeeper.of(storage, ChainKeys.of(prefix), options)
        .orElseThrow(() -> HadbException.invalidArgument("repairing the manifest of \"" + prefix + "\" needs a manifest"
            + " store in the options (the lease store the database's nodes use)"))
        .repair();
  }

  /**
   * Walks the whole chain under {@code prefix}: every snapshot and every changeset from the
   * oldest snapshot (or seq 1) on is read in full and checked by the {@link ChainVerifier} —
   * format, SHA-256 trailer, seq matching its key and following the previous one, the
   * previous-checksum link, epochs never going back, each snapshot agreeing with the chain's
   * checksum at its seq. Stops at and names the first bad object. Nothing is held whole in memory.
   */
  public static VerifyReport verify(StorageBackend storage, String prefix, DecodeOptions decode) {
    return verify(storage, prefix, decode, 1);
  }

  /**
   * As {@link #verify(StorageBackend, String, DecodeOptions)}, from where the manifest says the
   * kept chain starts when the options name a manifest store: changesets below its first kept
   * seq are retired and may be half collected (a collection killed midway), so they are not part
   * of any restore point and are not walked. Without a usable manifest, the whole listing.
   */
  public static VerifyReport verify(StorageBackend storage, String prefix, ChainOptions options) {
    ChainKeys keys = ChainKeys.of(prefix);
    long from = ManifestKeeper.of(storage, keys, options).flatMap(ManifestKeeper::readOrWarn)
        .map(m -> m.manifest().changesFrom()).orElse(1L);
    return verify(storage, prefix, options.decode(), from);
  }

  private static VerifyReport verify(StorageBackend storage, String prefix, DecodeOptions decode, long fromSeq) {
    ChainKeys keys = ChainKeys.of(prefix);
    Map<Long, ChainLink> snaps = new HashMap<>();
    long snapshots = 0;
    for (long s : Snapshots.list(storage, keys)) {
      String key = keys.snapshot(s);
      try {
        snaps.put(s, read(storage, key, s, decode));
        snapshots++;
      } catch (HadbException e) {
        return bad(0, 0, 0, snapshots, key, e.getMessage());
      }
    }
    ChainVerifier chain = null;
    long first = 0;
    long count = 0;
    for (String key : storage.listAll(keys.changesPrefix())) {
      long last = chain == null ? 0 : chain.lastSeq();
      OptionalLong seqOpt = keys.changeSeq(key);
      if (seqOpt.isEmpty()) {
        return bad(first, last, count, snapshots, key, "not a canonical changeset key");
      }
      long seq = seqOpt.getAsLong();
      if (seq < fromSeq) {
        continue; // retired by the manifest, waiting for collection
      }
      if (chain == null) {
        first = seq;
        if (seq == 1) {
          chain = ChainVerifier.fromGenesis();
        } else if (snaps.containsKey(seq - 1)) {
          // Retention removed what came before: the snapshot holds the chain's checksum there.
          chain = ChainVerifier.after(seq - 1, snaps.get(seq - 1).prevChecksum(), 0);
        } else {
          return bad(first, last, count, snapshots, key, "the chain starts at seq " + seq
              + " but no snapshot at seq " + (seq - 1) + " covers what came before");
        }
        chain.options(decode);
      } else if (seq != last + 1) {
        return bad(first, last, count, snapshots, keys.change(last + 1), "missing (the next stored is " + key + ")");
      }
      try (InputStream in = storage.getStream(key).orElseThrow(() -> HadbException.notFound(key + " was listed but is gone"))) {
        chain.verify(key, in, -1);
        ChainLink snap = snaps.get(seq);
        if (snap != null) {
          chain.checkSnapshot(keys.snapshot(seq), snap);
        }
      } catch (ChainException e) {
        return bad(first, last, count, snapshots, e.objectKey(), e.getMessage());
      } catch (HadbException e) {
        return bad(first, last, count, snapshots, key, e.getMessage());
      } catch (IOException e) {
        throw HadbException.unavailable("reading " + key + " failed: " + e.getMessage(), e);
      }
      count++;
    }
    return new VerifyReport(first, chain == null ? 0 : chain.lastSeq(), count, snapshots, Optional.empty(), Optional.empty());
  }

  /** The object at {@code key}, read in full and checked to hold {@code seq}. */
  private static ChainLink read(StorageBackend storage, String key, long seq, DecodeOptions decode) {
    try (InputStream in = storage.getStream(key).orElseThrow(() -> HadbException.notFound(key + " was listed but is gone"))) {
      return ChainVerifier.verifyObject(key, seq, in, -1, decode);
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + key + " failed: " + e.getMessage(), e);
    }
  }

  private static VerifyReport bad(long first, long last, long count, long snapshots, String key, String problem) {
    return new VerifyReport(first, last, count, snapshots, Optional.of(key), Optional.of(key + ": " + problem));
  }
}
