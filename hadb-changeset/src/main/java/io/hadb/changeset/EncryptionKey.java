package io.hadb.changeset;

import io.hadb.api.HadbException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * A user-supplied AES-256 key for changeset bodies, with its public key id.
 *
 * <p>The key id is the first 8 bytes of SHA-256("HADB-KEY-ID" || key): stored in the header, it
 * lets a reader say "wrong key" before decrypting anything, and reveals nothing usable about the
 * key. {@link #toString()} shows only the id: the key bytes never reach a log or a message.
 */
public final class EncryptionKey {
  public static final int LENGTH = 32;
  private static final byte[] KEY_ID_DOMAIN = "HADB-KEY-ID".getBytes(StandardCharsets.US_ASCII);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final SecretKey key;
  private final long keyId;

  private EncryptionKey(byte[] bytes) {
    this.key = new SecretKeySpec(bytes, "AES");
    this.keyId = keyIdOf(bytes);
  }

  /** Wraps a copy of a 32-byte key. */
  public static EncryptionKey of(byte[] bytes) {
    HadbException.requireArg(bytes, "encryption key");
    if (bytes.length != LENGTH) {
      throw HadbException.invalidArgument(
          "an AES-256 key is " + LENGTH + " bytes, got " + bytes.length);
    }
    return new EncryptionKey(bytes.clone());
  }

  /** A fresh random key. */
  public static EncryptionKey generate() {
    byte[] b = new byte[LENGTH];
    RANDOM.nextBytes(b);
    return new EncryptionKey(b);
  }

  public long keyId() {
    return keyId;
  }

  SecretKey secretKey() {
    return key;
  }

  /** The key id as 16 hex digits, the form error messages use. */
  public static String formatKeyId(long id) {
    return String.format("%016x", id);
  }

  private static long keyIdOf(byte[] key) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      md.update(KEY_ID_DOMAIN);
      byte[] h = md.digest(key);
      long id = 0;
      for (int i = 0; i < 8; i++) {
        id = (id << 8) | (h[i] & 0xFF);
      }
      return id;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required by every Java platform", e);
    }
  }

  @Override
  public String toString() {
    return "EncryptionKey[id=" + formatKeyId(keyId) + "]";
  }
}
