package io.hadb.api.engine;

/** How changeset bodies are stored. Snapshots are always compressed. */
public enum Compression {
  NONE,
  /** zstd, level 3: page images typically shrink two to four times. */
  ZSTD
}
