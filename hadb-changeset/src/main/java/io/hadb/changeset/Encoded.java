package io.hadb.changeset;

import io.hadb.api.BodySource;
import java.io.ByteArrayInputStream;
import java.io.InputStream;

/** An encoded changeset held in memory: its bytes and the link they form. */
public final class Encoded {
  private final byte[] bytes;
  private final ChainLink link;

  Encoded(byte[] bytes, ChainLink link) {
    this.bytes = bytes;
    this.link = link;
  }

  /** A copy of the stored bytes. */
  public byte[] bytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  public InputStream openStream() {
    return new ByteArrayInputStream(bytes);
  }

  /** The bytes as a body for {@code StorageBackend.putIfAbsent}. */
  public BodySource body() {
    return BodySource.of(bytes);
  }

  public ChainLink link() {
    return link;
  }

  public Checksum checksum() {
    return link.checksum();
  }

  @Override
  public String toString() {
    return "Encoded[" + link.format() + " seq " + link.seq() + ", " + bytes.length + " bytes, "
        + link.checksum() + "]";
  }
}
