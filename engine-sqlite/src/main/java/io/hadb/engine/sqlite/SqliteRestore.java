package io.hadb.engine.sqlite;

import io.hadb.api.engine.RestorePoint;
import io.hadb.api.engine.VerifyReport;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.DecodeOptions;
import io.hadb.changeset.PhysicalHeader;
import io.hadb.changeset.PhysicalReader;
import io.hadb.engine.sqlite.internal.ChainKeys;
import io.hadb.engine.sqlite.internal.Connections;
import io.hadb.engine.sqlite.internal.DbFile;
import io.hadb.engine.sqlite.internal.LocalState;
import io.hadb.engine.sqlite.internal.RawApplier;
import io.hadb.engine.sqlite.internal.Spool;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Restore and verify, without a running engine (DESIGN §6.5).
 *
 * <p>{@link #restore} builds the database in a private side file next to the target — from the
 * newest usable snapshot, then the changesets after it, each verified before it is applied —
 * checks it with {@code PRAGMA integrity_check}, fsyncs it and renames it onto the target
 * atomically, so the target either does not exist or is a complete, checked database. The
 * restored file carries its chain position, so it can be opened as a follower and keep pulling.
 */
public final class SqliteRestore {
  private SqliteRestore() {}

  /**
   * Restores {@code point} of the chain under {@code prefix} into the new file {@code target}
   * (which must not exist). Returns the seq restored.
   */
  public static long restore(StorageBackend storage, String prefix, Path target, RestorePoint point,
      SqliteOptions options) {
    HadbException.requireArg(storage, "storage");
    HadbException.requireArg(target, "target");
    HadbException.requireArg(point, "point");
    ChainKeys keys = new ChainKeys(normalized(prefix));
    Path abs = target.toAbsolutePath();
    if (Files.exists(abs)) {
      throw HadbException.invalidArgument("restore target " + abs + " exists; restore makes a new file");
    }
    long wantSeq = point instanceof RestorePoint.AtSeq s ? s.seq() : Long.MAX_VALUE;
    long maxCreated = point instanceof RestorePoint.AtTime t ? t.time().toEpochMilli() : Long.MAX_VALUE;
    Path side = abs.resolveSibling(abs.getFileName() + ".restoring");
    cleanup(side);
    long seq;
    try {
      try (DbFile sideFile = new DbFile(side)) {
        Follower f = new Follower(side, sideFile, new RawApplier(sideFile), storage, keys, options, LocalState.empty());
        Optional<Long> base = baseSnapshot(storage, keys, wantSeq, maxCreated, options.decode());
        if (base.isPresent()) {
          f.restoreSnapshot(base.get());
        }
        seq = f.pullTo(wantSeq, maxCreated);
        if (point instanceof RestorePoint.AtSeq s && seq != s.seq()) {
          throw HadbException.notFound("the chain under \"" + keys.prefix() + "\" reaches seq " + seq
              + ", not the requested seq " + s.seq());
        }
        if (seq == 0) {
          throw HadbException.notFound("nothing to restore under \"" + keys.prefix() + "\""
              + (point instanceof RestorePoint.AtTime t ? " at or before " + t.time() : ""));
        }
        sideFile.force();
      }
      integrityCheck(side);
      moveAtomically(side, abs);
      moveAtomically(LocalState.fileOf(side), LocalState.fileOf(abs));
      return seq;
    } finally {
      cleanup(side);
    }
  }

  /** The newest snapshot at or before the restore point, if any. */
  private static Optional<Long> baseSnapshot(StorageBackend storage, ChainKeys keys, long wantSeq,
      long maxCreated, DecodeOptions decode) {
    List<Long> seqs = Snapshots.list(storage, keys);
    for (int i = seqs.size() - 1; i >= 0; i--) {
      long s = seqs.get(i);
      if (s <= wantSeq && (maxCreated == Long.MAX_VALUE || header(storage, keys.snapshot(s), decode).createdMillis() <= maxCreated)) {
        return Optional.of(s);
      }
    }
    return Optional.empty();
  }

  private static PhysicalHeader header(StorageBackend storage, String key, DecodeOptions decode) {
    try (InputStream in = storage.getStream(key).orElseThrow(() -> HadbException.notFound(key + " is gone"));
        PhysicalReader r = PhysicalReader.open(key, in, -1, decode)) {
      return r.header();
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + key + " failed: " + e.getMessage(), e);
    }
  }

  private static void integrityCheck(Path file) {
    try (Connection c = Connections.openPlain(file, 5000); Statement s = c.createStatement()) {
      String result = Connections.single(s, "PRAGMA integrity_check");
      if (!"ok".equals(result)) {
        throw HadbException.corrupt("the restored database " + file + " fails integrity_check: " + result);
      }
    } catch (SQLException e) {
      throw HadbException.corrupt("the restored database " + file + " cannot be checked: " + e.getMessage());
    }
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

  private static void cleanup(Path side) {
    Spool.deleteQuietly(side);
    Spool.deleteQuietly(LocalState.fileOf(side));
    Spool.deleteQuietly(side.resolveSibling(side.getFileName() + "-journal"));
  }

  /**
   * Walks the whole chain under {@code prefix}: every snapshot and every changeset from the
   * oldest snapshot (or seq 1) on is read in full and checked — format, SHA-256 trailer, seq
   * matching its key and following the previous one, the previous-checksum link, epochs never
   * going back, each snapshot agreeing with the chain's checksum at its seq. Stops at and names
   * the first bad object. Nothing is held whole in memory.
   */
  public static VerifyReport verify(StorageBackend storage, String prefix, DecodeOptions decode) {
    ChainKeys keys = new ChainKeys(normalized(prefix));
    List<Long> snaps = Snapshots.list(storage, keys);
    java.util.Map<Long, String> snapChain = new java.util.HashMap<>();
    long snapshots = 0;
    for (long s : snaps) {
      String key = keys.snapshot(s);
      try {
        ChainLink link = readAll(storage, key, decode);
        if (link.seq() != s) {
          return bad(0, 0, 0, snapshots, key, "the key says seq " + s + ", the header " + link.seq());
        }
        snapChain.put(s, link.prevChecksum().toHex());
        snapshots++;
      } catch (HadbException e) {
        return bad(0, 0, 0, snapshots, key, e.getMessage());
      }
    }
    long first = 0;
    long last = 0;
    long count = 0;
    String prevChecksum = null;
    long epoch = 0;
    for (String key : storage.listAll(keys.changesPrefix())) {
      OptionalLong seqOpt = keys.changeSeq(key);
      if (seqOpt.isEmpty()) {
        return bad(first, last, count, snapshots, key, "not a canonical changeset key");
      }
      long seq = seqOpt.getAsLong();
      if (first == 0) {
        first = seq;
        if (seq != 1) {
          if (!snapChain.containsKey(seq - 1)) {
            return bad(first, last, count, snapshots, key, "the chain starts at seq " + seq
                + " but no snapshot at seq " + (seq - 1) + " covers what came before");
          }
          prevChecksum = snapChain.get(seq - 1);
        } else {
          prevChecksum = LocalState.ZERO_HEX;
        }
      } else if (seq != last + 1) {
        return bad(first, last, count, snapshots, keys.change(last + 1), "missing (the next stored is " + key + ")");
      }
      ChainLink link;
      try {
        link = readAll(storage, key, decode);
      } catch (HadbException e) {
        return bad(first, last, count, snapshots, key, e.getMessage());
      }
      if (link.seq() != seq) {
        return bad(first, last, count, snapshots, key, "the key says seq " + seq + ", the header " + link.seq());
      }
      if (!link.prevChecksum().toHex().equals(prevChecksum)) {
        return bad(first, last, count, snapshots, key, "names previous checksum " + link.prevChecksum()
            + " but the chain has " + prevChecksum + " at seq " + (seq - 1));
      }
      if (link.epoch() < epoch) {
        return bad(first, last, count, snapshots, key, "epoch " + link.epoch() + " is lower than epoch " + epoch + " before it");
      }
      String snap = snapChain.get(seq);
      if (snap != null && !snap.equals(link.checksum().toHex())) {
        return bad(first, last, count, snapshots, keys.snapshot(seq), "does not match the chain at seq " + seq
            + " (snapshot names " + snap + ", the changeset is " + link.checksum() + ")");
      }
      epoch = link.epoch();
      prevChecksum = link.checksum().toHex();
      last = seq;
      count++;
    }
    return new VerifyReport(first, last, count, snapshots, Optional.empty(), Optional.empty());
  }

  private static ChainLink readAll(StorageBackend storage, String key, DecodeOptions decode) {
    try (InputStream in = storage.getStream(key).orElseThrow(() -> HadbException.notFound("listed but gone"));
        PhysicalReader r = PhysicalReader.open(key, in, -1, decode)) {
      return r.finish();
    } catch (IOException e) {
      throw HadbException.unavailable("reading " + key + " failed: " + e.getMessage(), e);
    }
  }

  private static VerifyReport bad(long first, long last, long count, long snapshots, String key, String problem) {
    return new VerifyReport(first, last, count, snapshots, Optional.of(key), Optional.of(key + ": " + problem));
  }

  static String normalized(String prefix) {
    HadbException.requireArg(prefix, "prefix");
    return prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
  }
}
