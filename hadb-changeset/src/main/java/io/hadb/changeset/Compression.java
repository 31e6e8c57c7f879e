package io.hadb.changeset;

/** How a changeset body is compressed before it is (optionally) encrypted. */
public enum Compression {
  NONE,
  /** Each frame is one independent zstd frame with its content size (FORMAT.md §5). */
  ZSTD
}
