package io.hadb.changeset;

import io.hadb.api.HadbException;
import io.hadb.changeset.internal.FieldRules;

/**
 * The header of a journal segment (HADBJ).
 *
 * @param seq position in the chain, >= 1
 * @param epoch fencing epoch of the writer
 * @param firstEntrySeq sequence number of the first entry; entries are numbered consecutively
 *     across segments, so a segment starts where the previous one ended
 * @param entryCount how many entries the body holds
 * @param createdMillis writer's wall clock, ms since 1970
 * @param prevChecksum checksum of the object at seq - 1 ({@link Checksum#ZERO} at seq 1)
 */
public record JournalHeader(
    long seq,
    long epoch,
    long firstEntrySeq,
    long entryCount,
    long createdMillis,
    Checksum prevChecksum)
    implements ChangesetHeader {

  public JournalHeader {
    HadbException.requireArg(prevChecksum, "prevChecksum");
    check(FieldRules.seq(seq));
    check(FieldRules.epoch(epoch));
    check(FieldRules.journalCounts(firstEntrySeq, entryCount));
    check(FieldRules.createdMillis(createdMillis));
  }

  private static void check(String error) {
    if (error != null) {
      throw HadbException.invalidArgument(error);
    }
  }

  @Override
  public Format format() {
    return Format.HADBJ;
  }

  /** The entry seq the next segment must start at. */
  public long nextEntrySeq() {
    return firstEntrySeq + entryCount;
  }

  public static JournalHeader first(long epoch, long entryCount, long createdMillis) {
    return new JournalHeader(1, epoch, 1, entryCount, createdMillis, Checksum.ZERO);
  }

  /** The segment after {@code prev}: seq + 1, linked, entries continuing its numbering. */
  public static JournalHeader after(
      ChainLink prev, long epoch, long entryCount, long createdMillis) {
    HadbException.requireArg(prev, "prev");
    if (!(prev.header() instanceof JournalHeader j)) {
      throw HadbException.invalidArgument("a HADBJ segment cannot follow " + prev.format());
    }
    return new JournalHeader(prev.seq() + 1, epoch, j.nextEntrySeq(), entryCount, createdMillis,
        prev.checksum());
  }

  /** The empty segment a new leader writes to seal the chain with its epoch (DESIGN §6.2). */
  public static JournalHeader seal(ChainLink last, long epoch, long createdMillis) {
    return after(last, epoch, 0, createdMillis);
  }
}
