package io.hadb.coordinator;

/** The part a node plays for one database. The lease assigns LEADER or FOLLOWER. */
public enum Role {
  /** Holds the lease: the only node that writes and publishes the chain. */
  LEADER,
  /** Keeps a local copy from the chain, serves local reads, forwards writes, may claim the lease. */
  FOLLOWER,
  /** No local copy: every call goes to the leader. Not implemented yet. */
  CLIENT
}
