package io.hadb.chain;

/**
 * Follower side of the seam (DESIGN §3.3): writes verified page images into a database file.
 * On a file that readers have open it must never let one see part of a batch (SQLite: under
 * {@code BEGIN EXCLUSIVE}, DESIGN §6.5), and a batch applied twice must leave the same file
 * (page images are idempotent), since a crash mid-apply is repaired by applying it again. A
 * CORRUPT answer means the file is not what the chain says; the follower then rebuilds it.
 */
@FunctionalInterface
public interface Applier {
  void apply(PageImages images);
}
