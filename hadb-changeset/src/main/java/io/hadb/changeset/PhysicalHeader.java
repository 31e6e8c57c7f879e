package io.hadb.changeset;

import io.hadb.api.HadbException;
import io.hadb.changeset.internal.FieldRules;

/**
 * The header of a physical page changeset (HADBP).
 *
 * @param seq position in the chain, >= 1
 * @param epoch fencing epoch of the writer
 * @param pageSize bytes per page, a power of two 512..65536
 * @param dbSizePages the database's size in pages after this change (a smaller value than before
 *     truncates the file)
 * @param pageCount how many pages the body holds, 0..dbSizePages
 * @param createdMillis writer's wall clock, ms since 1970
 * @param prevChecksum checksum of the object at seq - 1 ({@link Checksum#ZERO} at seq 1)
 */
public record PhysicalHeader(
    long seq,
    long epoch,
    int pageSize,
    long dbSizePages,
    long pageCount,
    long createdMillis,
    Checksum prevChecksum)
    implements ChangesetHeader {

  public PhysicalHeader {
    HadbException.requireArg(prevChecksum, "prevChecksum");
    check(FieldRules.seq(seq));
    check(FieldRules.epoch(epoch));
    check(FieldRules.pageSize(pageSize));
    check(FieldRules.physicalCounts(dbSizePages, pageCount));
    check(FieldRules.createdMillis(createdMillis));
  }

  private static void check(String error) {
    if (error != null) {
      throw HadbException.invalidArgument(error);
    }
  }

  @Override
  public Format format() {
    return Format.HADBP;
  }

  /** The first changeset of a chain: seq 1, previous checksum zero. */
  public static PhysicalHeader first(
      long epoch, int pageSize, long dbSizePages, long pageCount, long createdMillis) {
    return new PhysicalHeader(1, epoch, pageSize, dbSizePages, pageCount, createdMillis,
        Checksum.ZERO);
  }

  /** The changeset after {@code prev}: seq + 1, linked to its checksum, same page size. */
  public static PhysicalHeader after(
      ChainLink prev, long epoch, long dbSizePages, long pageCount, long createdMillis) {
    HadbException.requireArg(prev, "prev");
    if (!(prev.header() instanceof PhysicalHeader p)) {
      throw HadbException.invalidArgument("a HADBP changeset cannot follow " + prev.format());
    }
    return new PhysicalHeader(prev.seq() + 1, epoch, p.pageSize(), dbSizePages, pageCount,
        createdMillis, prev.checksum());
  }

  /**
   * The seal a new leader writes after catching up (DESIGN §6.2): no pages, the database size
   * unchanged, its own epoch. Writing it with putIfAbsent at {@code last.seq() + 1} fences every
   * older leader out of the chain.
   */
  public static PhysicalHeader seal(ChainLink last, long epoch, long createdMillis) {
    HadbException.requireArg(last, "last");
    if (!(last.header() instanceof PhysicalHeader p)) {
      throw HadbException.invalidArgument("a HADBP seal cannot follow " + last.format());
    }
    return after(last, epoch, p.dbSizePages(), 0, createdMillis);
  }

  /** Bytes of the plain page stream: pageCount × (4 + pageSize). */
  public long plainBodyLength() {
    return pageCount * (4L + pageSize);
  }
}
