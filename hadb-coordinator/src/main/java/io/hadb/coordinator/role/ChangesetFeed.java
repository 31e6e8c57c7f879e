package io.hadb.coordinator.role;

/**
 * Where a follower hears of new changesets without reading storage (DESIGN §9.2): a push link
 * from the node that leads the database. While the feed {@link #covers()} the database, the pull
 * loop reads storage only for its safety read; otherwise it polls storage every poll interval.
 */
@FunctionalInterface
public interface ChangesetFeed {
  /** No push: storage every poll interval. */
  ChangesetFeed NONE = () -> false;

  /**
   * Called on each tick of the pull loop while following: whether every changeset the current
   * leader makes durable from now on reaches this database through the feed. May start, move or
   * retry a subscription; never blocks.
   */
  boolean covers();
}
