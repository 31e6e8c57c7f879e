package io.hadb.chain;

import io.hadb.api.HadbException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * What a chain's manifest says (DESIGN §10): the snapshots every restore point is built from,
 * the first changeset kept, and the objects retention dropped that garbage collection deletes
 * once nobody can still be reading them. The newest snapshot is the base a cold start begins
 * with. Stored as a few lines of text in a {@link io.hadb.api.manifest.ManifestStore}, whose
 * register carries the writer's epoch and guards the bytes with a CRC.
 *
 * @param snapshots the kept snapshots, ascending by seq; the last is the base
 * @param changesFrom the first changeset seq kept: a restore to a seq or time before the oldest
 *     kept snapshot's successor is not possible, one at or after it is
 * @param retired objects no longer named, each batch with when it was dropped; deleted
 *     {@link ChainOptions#gcGrace()} after that
 */
public record ChainManifest(List<Snapshot> snapshots, long changesFrom, List<Retired> retired) {
  private static final String HEADER = "hadb-chain-manifest 1";

  /**
   * A kept snapshot.
   *
   * @param seq the chain seq it holds
   * @param createdMillis when it was taken (its header's time; a point-in-time restore picks by it)
   * @param bytes the stored object's size
   * @param sha256 the stored object's SHA-256 trailer checksum, hex, which a downloaded copy must
   *     match; empty for an entry found by listing (never in a stored manifest)
   */
  public record Snapshot(long seq, long createdMillis, long bytes, String sha256) {
    public Snapshot {
      if (seq < 1 || bytes < 0 || sha256 == null || !(sha256.isEmpty() || sha256.matches("[0-9a-f]{64}"))) {
        throw HadbException.invalidArgument("bad snapshot entry: seq " + seq + ", " + bytes + " bytes, sha256 " + sha256);
      }
    }
  }

  /**
   * Objects retention dropped at {@code atMillis}: snapshots by seq, and every changeset with a
   * seq up to {@code changesThrough} (0: none).
   */
  public record Retired(long atMillis, List<Long> snapshotSeqs, long changesThrough) {
    public Retired {
      snapshotSeqs = List.copyOf(snapshotSeqs);
    }

    public boolean isEmpty() {
      return snapshotSeqs.isEmpty() && changesThrough == 0;
    }
  }

  public ChainManifest {
    List<Snapshot> sorted = new ArrayList<>(snapshots);
    sorted.sort(Comparator.comparingLong(Snapshot::seq));
    snapshots = List.copyOf(sorted);
    retired = List.copyOf(retired);
    if (changesFrom < 1) {
      throw HadbException.invalidArgument("changesFrom must be at least 1, was " + changesFrom);
    }
  }

  /** The manifest of a chain without snapshots. */
  public static ChainManifest empty() {
    return new ChainManifest(List.of(), 1, List.of());
  }

  /** The newest snapshot, where a cold start begins. */
  public Optional<Snapshot> base() {
    return snapshots.isEmpty() ? Optional.empty() : Optional.of(snapshots.get(snapshots.size() - 1));
  }

  /** The kept snapshot with {@code seq}, if any. */
  public Optional<Snapshot> snapshot(long seq) {
    return snapshots.stream().filter(s -> s.seq() == seq).findFirst();
  }

  /** This manifest with {@code s} added (replacing an entry of the same seq). */
  public ChainManifest with(Snapshot s) {
    List<Snapshot> next = new ArrayList<>(snapshots.stream().filter(x -> x.seq() != s.seq()).toList());
    next.add(s);
    return new ChainManifest(next, changesFrom, retired);
  }

  public byte[] encode() {
    StringBuilder b = new StringBuilder(HEADER).append('\n');
    for (Snapshot s : snapshots) {
      b.append("snapshot ").append(s.seq()).append(' ').append(s.createdMillis()).append(' ').append(s.bytes())
          .append(' ').append(s.sha256()).append('\n');
    }
    b.append("changes-from ").append(changesFrom).append('\n');
    for (Retired r : retired) {
      b.append("retired ").append(r.atMillis()).append(' ').append(r.changesThrough());
      r.snapshotSeqs().forEach(seq -> b.append(' ').append(seq));
      b.append('\n');
    }
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Parses a stored manifest; anything unexpected fails {@code CORRUPT} naming {@code where} and
   * the recovery (rebuild from storage).
   */
  public static ChainManifest decode(String where, byte[] document) {
    String text = new String(document, StandardCharsets.UTF_8);
    List<String> lines = text.lines().toList();
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw bad(where, "does not start with \"" + HEADER + "\"");
    }
    List<Snapshot> snaps = new ArrayList<>();
    List<Retired> retired = new ArrayList<>();
    long changesFrom = -1;
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(" ");
      try {
        switch (f[0]) {
          case "snapshot" -> {
            if (f.length != 5) {
              throw bad(where, "line " + (i + 1) + " is not 'snapshot seq created bytes sha256'");
            }
            snaps.add(new Snapshot(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]), f[4]));
          }
          case "changes-from" -> changesFrom = Long.parseLong(f[1]);
          case "retired" -> {
            List<Long> seqs = new ArrayList<>();
            for (int j = 3; j < f.length; j++) {
              seqs.add(Long.parseLong(f[j]));
            }
            retired.add(new Retired(Long.parseLong(f[1]), seqs, Long.parseLong(f[2])));
          }
          default -> throw bad(where, "line " + (i + 1) + " is unknown: " + lines.get(i));
        }
      } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
        throw bad(where, "line " + (i + 1) + " is malformed: " + lines.get(i));
      } catch (HadbException e) {
        if (e.code() == io.hadb.api.ErrorCode.CORRUPT) {
          throw e;
        }
        throw bad(where, "line " + (i + 1) + ": " + e.getMessage());
      }
    }
    if (changesFrom < 1) {
      throw bad(where, "has no 'changes-from' line");
    }
    return new ChainManifest(snaps, changesFrom, retired);
  }

  private static HadbException bad(String where, String what) {
    return HadbException.corrupt("manifest " + where + " " + what + "; the chain falls back to listing storage,"
        + " and the next snapshot rebuilds the manifest from storage (DESIGN §10)");
  }
}
