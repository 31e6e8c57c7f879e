package io.hadb.changeset;

/** Turns writer options into the stored encoding, drawing a fresh nonce when encrypting. */
final class Encodings {
  private Encodings() {}

  static BodyEncoding forWrite(EncodeOptions o) {
    if (!o.framed()) {
      return BodyEncoding.PLAIN;
    }
    boolean enc = o.key().isPresent();
    Nonce nonce = enc ? o.nonces().next() : Nonce.ZERO;
    if (nonce == null) {
      throw new IllegalStateException("the nonce source returned null");
    }
    return new BodyEncoding(o.compression(), enc, o.chunkSize(),
        enc ? o.key().get().keyId() : 0, nonce);
  }
}
