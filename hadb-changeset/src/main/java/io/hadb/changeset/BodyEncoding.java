package io.hadb.changeset;

/**
 * How a stored body is encoded, as read from (or written to) its header.
 *
 * @param compression body compression
 * @param encrypted whether frames are AES-256-GCM sealed
 * @param chunkSize plaintext bytes per frame; 0 for a plain (unframed) body
 * @param keyId the key id of the key that sealed it; 0 when not encrypted
 * @param nonce the base nonce; {@link Nonce#ZERO} when not encrypted
 */
public record BodyEncoding(
    Compression compression, boolean encrypted, int chunkSize, long keyId, Nonce nonce) {

  public static final BodyEncoding PLAIN =
      new BodyEncoding(Compression.NONE, false, 0, 0, Nonce.ZERO);

  public boolean framed() {
    return compression != Compression.NONE || encrypted;
  }
}
