package io.hadb.changeset;

import java.nio.charset.StandardCharsets;

/** The two object formats of a changeset chain (FORMAT.md). */
public enum Format {
  /** Physical page changeset: the page images a commit wrote. */
  HADBP("HADBP", ".hadbp"),
  /** Journal segment: sequenced logical entries (SQL batches or engine-defined payloads). */
  HADBJ("HADBJ", ".hadbj");

  /**
   * The format version both formats carry. Version 1 is left to the Rust hadb's HADBP, which has
   * the same magic but a different layout, so neither reader mistakes the other's objects.
   */
  public static final int VERSION = 2;

  private final String magic;
  private final String extension;

  Format(String magic, String extension) {
    this.magic = magic;
    this.extension = extension;
  }

  /** The five ASCII bytes every object of this format starts with. */
  public String magic() {
    return magic;
  }

  byte[] magicBytes() {
    return magic.getBytes(StandardCharsets.US_ASCII);
  }

  /** The object key suffix, with its dot ({@code .hadbp}). */
  public String extension() {
    return extension;
  }
}
