package io.hadb.coordinator.fault;

/**
 * Scenarios a–c on the server-less {@code file:} lease store (lease-storage on storage-local),
 * which has no watch: a released lease is found by the next poll.
 */
class FileLeaseElectionFaultTest extends ElectionFaultTestBase {
  @Override
  Cluster cluster(String name) {
    return new Cluster("file://" + dir.resolve("leases").toAbsolutePath() + "?fsync=false", dir, name);
  }

  @Override
  String store() {
    return "file";
  }
}
