package io.hadb.api.engine;

import io.hadb.api.BodySource;

/**
 * Told of each changeset the moment it is durable in storage (its put-if-absent succeeded, or
 * storage already held these exact bytes from an earlier attempt), never before: the seam a push
 * transport uses to hand changesets to followers (DESIGN §9). A follower that held a change not
 * yet durable could hold one a failover loses.
 *
 * <p>Called on the shipper thread, in seq order, before the next changeset is uploaded: keep it
 * short (copy what you need and hand it on). {@code body} is valid during the call only.
 */
@FunctionalInterface
public interface DurableListener {
  DurableListener NONE = (seq, key, body) -> {};

  /**
   * @param seq the changeset's seq
   * @param key its storage key (under the database's prefix), as followers fetch it
   * @param body the stored bytes
   */
  void durable(long seq, String key, BodySource body);
}
