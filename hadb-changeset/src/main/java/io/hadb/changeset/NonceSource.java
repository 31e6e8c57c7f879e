package io.hadb.changeset;

import java.security.SecureRandom;

/**
 * Where a writer gets the base nonce of an encrypted changeset. Production uses
 * {@link #secureRandom()}; golden vectors use {@link #fixed(Nonce)} so they are reproducible.
 */
@FunctionalInterface
public interface NonceSource {

  Nonce next();

  /** 96 random bits per changeset from a shared {@link SecureRandom}. */
  static NonceSource secureRandom() {
    return SecureRandomNonces.INSTANCE;
  }

  /**
   * Always the same nonce. Only for reproducible test vectors: two changesets encrypted under one
   * key with one nonce leak the XOR of their plaintexts and let GCM tags be forged.
   */
  static NonceSource fixed(Nonce nonce) {
    return () -> nonce;
  }
}

final class SecureRandomNonces implements NonceSource {
  static final SecureRandomNonces INSTANCE = new SecureRandomNonces();
  private final SecureRandom random = new SecureRandom();

  @Override
  public Nonce next() {
    byte[] b = new byte[Nonce.LENGTH];
    random.nextBytes(b);
    return Nonce.of(b);
  }
}
