package io.hadb.coordinator;

/**
 * Writes the seal of DESIGN §6.2: an empty changeset at {@code seq} stamped with {@code epoch},
 * with put-if-absent. The engine side provides it (it owns the changeset format and the chain
 * keys); the coordinator only decides when.
 */
@FunctionalInterface
public interface ChainSeal {

  /**
   * @return true when the seal was written; false when {@code seq} already exists (a previous
   *     leader was still finishing): pull again and seal after it
   */
  boolean seal(long epoch, long seq);
}
