package io.hadb.changeset;

/**
 * The fields both formats share: what the chain is made of (FORMAT.md §3).
 */
public sealed interface ChangesetHeader permits PhysicalHeader, JournalHeader {

  Format format();

  /** Position in the chain, from 1; also the seq in the object key. */
  long seq();

  /** The fencing epoch of the leader that wrote it: the lease version of its claim. */
  long epoch();

  /** Writer's wall clock, ms since 1970 UTC; informational (restore to time), never for order. */
  long createdMillis();

  /** The checksum of the object at seq - 1, or {@link Checksum#ZERO} at seq 1. */
  Checksum prevChecksum();
}
