package io.hadb.coordinator.lease;

/** How writers are arranged for one database. */
public enum HaMode {
  /** One leader at a time, elected by the lease; followers forward writes to it. */
  SINGLE_WRITER,
  /** Several nodes writing concurrently with conflict resolution. Not implemented. */
  MULTI_WRITER
}
