package io.hadb.changeset;

import io.hadb.api.HadbException;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.changeset.ChainException.Kind;
import io.hadb.changeset.ObjectKeys.ParsedKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Checks that objects, fed in seq order, form one linear, gap-free, fork-free chain (DESIGN
 * §6.2). Feed it with {@link #verify} (reads and verifies the object itself; needs no key) or
 * {@link #accept} (a link already verified by a reader).
 *
 * <p>Per object, in this order: the key is canonical ({@link Kind#BAD_KEY}); the object is intact
 * ({@link Kind#CORRUPT}); the key's seq equals the header's ({@link Kind#KEY_SEQ_MISMATCH}); the
 * seq is the last plus one ({@link Kind#DUPLICATE} when equal, {@link Kind#REORDER} when lower,
 * {@link Kind#GAP} when higher); the epoch is not below any epoch seen
 * ({@link Kind#EPOCH_BACKWARDS}); the previous-checksum is the last object's checksum
 * ({@link Kind#PREV_CHECKSUM_MISMATCH}); journal entries continue the previous segment's
 * ({@link Kind#ENTRY_GAP}). The first failure throws {@link ChainException} naming the object;
 * the verifier then still stands at the last good object.
 *
 * <p>It is the one owner of these rules: a follower, a restore, a verify and a seal all check
 * objects here. Objects whose place is not a changeset key (a snapshot, a staged copy of a
 * changeset) are checked with the static methods: {@link #checkObject} (the seq the object's
 * name gives is the header's), {@link #asBreak} (a reader's CORRUPT answer as the chain break it
 * is) and {@link #checkSnapshot} (a snapshot agrees with the chain at its seq).
 *
 * <p>Not thread-safe: one verifier follows one chain.
 */
public final class ChainVerifier {
  private DecodeOptions options = DecodeOptions.defaults();
  private long lastSeq;
  private Checksum lastChecksum;
  private long maxEpoch;
  private String epochSource;
  private long nextEntrySeq;
  private String lastKey;
  private ChainLink last;
  private long verified;

  private ChainVerifier(long seq, Checksum checksum, long epoch, long nextEntrySeq, String key) {
    this.lastSeq = seq;
    this.lastChecksum = checksum;
    this.maxEpoch = epoch;
    this.nextEntrySeq = nextEntrySeq;
    this.lastKey = key;
    this.epochSource = key;
  }

  /** A chain that starts at seq 1 with a zero previous-checksum and entry seq 1. */
  public static ChainVerifier fromGenesis() {
    return new ChainVerifier(0, Checksum.ZERO, 0, 1, "the start of the chain");
  }

  /**
   * A chain continuing after a link already trusted: the last one applied, or the seq a snapshot
   * was taken at (whose changeset may have been deleted since).
   */
  public static ChainVerifier after(ChainLink anchor) {
    HadbException.requireArg(anchor, "anchor");
    long next = anchor.header() instanceof JournalHeader j ? j.nextEntrySeq() : -1;
    ChainVerifier v = new ChainVerifier(anchor.seq(), anchor.checksum(), anchor.epoch(), next,
        "the anchor (seq " + anchor.seq() + ")");
    v.last = anchor;
    return v;
  }

  /** A chain continuing after {@code seq} whose object had {@code checksum} and {@code epoch}. */
  public static ChainVerifier after(long seq, Checksum checksum, long epoch) {
    HadbException.requireArg(checksum, "checksum");
    if (seq < 0 || epoch < 0) {
      throw HadbException.invalidArgument("seq and epoch must be >= 0");
    }
    return new ChainVerifier(seq, checksum, epoch, -1, "the anchor (seq " + seq + ")");
  }

  /** Also rejects any object below {@code epoch}: the highest epoch this node has seen. */
  public ChainVerifier minEpoch(long epoch) {
    if (epoch > maxEpoch) {
      maxEpoch = epoch;
      epochSource = "the minimum epoch given to the verifier";
    }
    return this;
  }

  /** Options (a key, limits) for {@link #verify}; without a key encrypted objects still verify. */
  public ChainVerifier options(DecodeOptions o) {
    this.options = HadbException.requireArg(o, "options");
    return this;
  }

  /** The last object accepted (or the anchor), if any. */
  public Optional<ChainLink> last() {
    return Optional.ofNullable(last);
  }

  public long lastSeq() {
    return lastSeq;
  }

  public Checksum lastChecksum() {
    return lastChecksum;
  }

  /** How many objects this verifier accepted. */
  public long verifiedCount() {
    return verified;
  }

  /** Reads and verifies the object stored at {@code objectKey}, then its place in the chain. */
  public ChainLink verify(String objectKey, InputStream in, long length) {
    ParsedKey key = parseKey(objectKey);
    ChainLink link;
    try {
      link = Changesets.verify(objectKey, in, length, options);
    } catch (HadbException e) {
      throw asBreak(objectKey, key.seq(), e);
    }
    return accept(objectKey, link);
  }

  public ChainLink verify(String objectKey, byte[] bytes) {
    HadbException.requireArg(bytes, "bytes");
    return verify(objectKey, new ByteArrayInputStream(bytes), bytes.length);
  }

  /** Checks the chain rules for a link a reader already verified. */
  public ChainLink accept(String objectKey, ChainLink link) {
    HadbException.requireArg(link, "link");
    ParsedKey key = parseKey(objectKey);
    long seq = link.seq();
    if (key.format() != link.format()) {
      throw new ChainException(Kind.BAD_KEY, objectKey, seq, "the key names a " + key.format()
          + " object but the object is " + link.format());
    }
    if (key.seq() != seq) {
      throw new ChainException(Kind.KEY_SEQ_MISMATCH, objectKey, seq, "the key says seq "
          + key.seq() + " but the header says seq " + seq);
    }
    if (seq == lastSeq) {
      String what = link.checksum().equals(lastChecksum)
          ? "the same object again"
          : "a different object with the same seq (a fork): checksum " + link.checksum()
              + " vs " + lastChecksum;
      throw new ChainException(Kind.DUPLICATE, objectKey, seq, "seq " + seq + " was already "
          + "verified at " + lastKey + "; this is " + what);
    }
    if (seq < lastSeq) {
      throw new ChainException(Kind.REORDER, objectKey, seq, "seq " + seq + " comes after seq "
          + lastSeq + " (" + lastKey + ")");
    }
    if (seq > lastSeq + 1) {
      throw new ChainException(Kind.GAP, objectKey, seq, "expected seq " + (lastSeq + 1)
          + " after " + lastKey + ", found seq " + seq + " (" + (seq - lastSeq - 1)
          + " missing)");
    }
    if (link.epoch() < maxEpoch) {
      throw new ChainException(Kind.EPOCH_BACKWARDS, objectKey, seq, "epoch " + link.epoch()
          + " is below epoch " + maxEpoch + " of " + epochSource
          + " (written by a fenced-out leader)");
    }
    if (!link.prevChecksum().equals(lastChecksum)) {
      throw new ChainException(Kind.PREV_CHECKSUM_MISMATCH, objectKey, seq,
          "its previous-checksum is " + link.prevChecksum() + " but " + lastKey
              + " has checksum " + lastChecksum);
    }
    if (link.header() instanceof JournalHeader j && nextEntrySeq > 0
        && j.firstEntrySeq() != nextEntrySeq) {
      throw new ChainException(Kind.ENTRY_GAP, objectKey, seq, "its first entry is "
          + j.firstEntrySeq() + " but " + lastKey + " ends before entry " + nextEntrySeq);
    }
    lastSeq = seq;
    lastChecksum = link.checksum();
    maxEpoch = link.epoch(); // never lower: checked above
    epochSource = objectKey;
    nextEntrySeq = link.header() instanceof JournalHeader j ? j.nextEntrySeq() : -1;
    lastKey = objectKey;
    last = link;
    verified++;
    return link;
  }

  /**
   * Checks an object whose seq is fixed by its name rather than by chain order: a snapshot at
   * {@code snapshots/{seq}.snap}, the changeset a seal links to. The object was read in full by
   * the caller; its header must hold {@code keySeq} ({@link Kind#KEY_SEQ_MISMATCH}).
   */
  public static ChainLink checkObject(String objectKey, long keySeq, ChainLink link) {
    HadbException.requireArg(objectKey, "objectKey");
    HadbException.requireArg(link, "link");
    if (link.seq() != keySeq) {
      throw new ChainException(Kind.KEY_SEQ_MISMATCH, objectKey, link.seq(), "the key says seq "
          + keySeq + " but the header says seq " + link.seq());
    }
    return link;
  }

  /**
   * Reads the object at {@code objectKey} in full ({@link Changesets#verify}) and checks it with
   * {@link #checkObject}. A corrupt or truncated object is {@link Kind#CORRUPT} naming it.
   */
  public static ChainLink verifyObject(String objectKey, long keySeq, InputStream in, long length,
      DecodeOptions options) {
    ChainLink link;
    try {
      link = Changesets.verify(objectKey, in, length, options);
    } catch (HadbException e) {
      throw asBreak(objectKey, keySeq, e);
    }
    return checkObject(objectKey, keySeq, link);
  }

  /**
   * What a reader's failure on the object at {@code objectKey} means for the chain: a CORRUPT
   * answer (bad bytes, a bad trailer, a truncation) is the chain broken there, {@link
   * Kind#CORRUPT} naming the object; anything else (storage unavailable, the wrong encryption
   * key) is returned as it is, since the object itself may be fine.
   */
  public static HadbException asBreak(String objectKey, long seq, HadbException e) {
    HadbException.requireArg(e, "e");
    if (e instanceof ChainException || e.code() != io.hadb.api.ErrorCode.CORRUPT) {
      return e;
    }
    return new ChainException(Kind.CORRUPT, objectKey, seq, e.getMessage(), e);
  }

  /**
   * A snapshot taken at the seq this verifier stands at must record the chain's checksum there
   * (its previous-checksum field holds it, so the changeset after it links to it); one that does
   * not was taken from another history ({@link Kind#SNAPSHOT_MISMATCH}).
   */
  public void checkSnapshot(String snapshotKey, ChainLink snapshot) {
    HadbException.requireArg(snapshotKey, "snapshotKey");
    HadbException.requireArg(snapshot, "snapshot");
    if (snapshot.seq() != lastSeq) {
      throw HadbException.invalidArgument("the verifier stands at seq " + lastSeq + ", not at the"
          + " snapshot's seq " + snapshot.seq());
    }
    if (!snapshot.prevChecksum().equals(lastChecksum)) {
      throw new ChainException(Kind.SNAPSHOT_MISMATCH, snapshotKey, snapshot.seq(), "the snapshot"
          + " records chain checksum " + snapshot.prevChecksum() + " but " + lastKey + " has "
          + lastChecksum);
    }
  }

  private static ParsedKey parseKey(String objectKey) {
    HadbException.requireArg(objectKey, "objectKey");
    return ObjectKeys.tryParse(objectKey).orElseThrow(() -> new ChainException(Kind.BAD_KEY,
        objectKey, 0, "not a canonical changeset key ({dbRoot}changes/{20 digits}.hadbp"
            + " or .hadbj, seq >= 1)"));
  }

  /**
   * Verifies every object under {@code {dbRoot}changes/} in listing order (which is seq order),
   * streaming each one. Returns how many objects this call verified.
   */
  public long verifyStored(StorageBackend storage, String dbRoot) {
    HadbException.requireArg(storage, "storage");
    String prefix = ObjectKeys.changesPrefix(dbRoot);
    Optional<String> after = Optional.empty();
    long count = 0;
    do {
      ListPage page = storage.list(prefix, after, StorageBackend.MAX_LIST_LIMIT);
      for (String key : page.keys()) {
        parseKey(key);
        Optional<InputStream> in = storage.getStream(key);
        if (in.isEmpty()) {
          throw HadbException.notFound(key + " was listed but is gone (deleted while verifying)");
        }
        try (InputStream s = in.get()) {
          verify(key, s, -1);
        } catch (IOException e) {
          throw new UncheckedIOException("closing " + key + " failed", e);
        }
        count++;
      }
      after = page.nextStartAfter();
    } while (after.isPresent());
    return count;
  }
}
