package io.hadb.changeset;

import io.hadb.api.HadbException;

/**
 * One verified object of the chain: its header, how its body is stored, and its checksum (the
 * SHA-256 of header and stored body, which the next object's header must name).
 */
public record ChainLink(ChangesetHeader header, BodyEncoding encoding, Checksum checksum) {
  public ChainLink {
    HadbException.requireArg(header, "header");
    HadbException.requireArg(encoding, "encoding");
    HadbException.requireArg(checksum, "checksum");
  }

  public Format format() {
    return header.format();
  }

  public long seq() {
    return header.seq();
  }

  public long epoch() {
    return header.epoch();
  }

  public Checksum prevChecksum() {
    return header.prevChecksum();
  }
}
