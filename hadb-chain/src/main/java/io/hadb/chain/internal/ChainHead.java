package io.hadb.chain.internal;

import io.hadb.changeset.Checksum;

/**
 * Where the chain ends as a publisher knows it: the last seq written (0 for an empty chain) and
 * the checksum of the object there, which the next changeset names.
 */
public record ChainHead(long seq, Checksum checksum) {}
