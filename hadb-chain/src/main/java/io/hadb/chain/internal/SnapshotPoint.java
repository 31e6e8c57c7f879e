package io.hadb.chain.internal;

import io.hadb.changeset.Checksum;

/** Where a snapshot stands in the chain: its seq and the chain's checksum at that seq. */
public record SnapshotPoint(long seq, Checksum chainChecksum) {}
