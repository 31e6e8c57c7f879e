package io.hadb.coordinator.forward;

import io.hadb.api.HadbException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The secret every node of a database shares to authenticate forwarded requests (DESIGN §6.4) and
 * push links (DESIGN §9).
 *
 * <p>The secret itself never travels: a request carries {@code HMAC-SHA256(secret, database NUL
 * body)} in the {@value #HEADER} header, and the leader compares it with its own in constant time
 * ({@link MessageDigest#isEqual}). Someone who reads the traffic learns no secret and cannot alter
 * a request or send it to another database of the node; replaying one verbatim changes nothing,
 * because its request id is applied once.
 *
 * <p>{@link #toString()} never shows the secret.
 */
public final class ForwardingSecret {
  /** The request header holding the body's HMAC, lower-case hex. */
  public static final String HEADER = "Hadb-Auth";
  static final int MIN_BYTES = 16;
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  private ForwardingSecret(byte[] secret) {
    this.key = new SecretKeySpec(secret, ALGORITHM);
  }

  /** A secret of at least 16 UTF-8 bytes (for example 32 random bytes, base64). */
  public static ForwardingSecret of(String secret) {
    HadbException.requireArg(secret, "forwarding secret");
    byte[] b = secret.getBytes(StandardCharsets.UTF_8);
    if (b.length < MIN_BYTES) {
      // The length only, never the value.
      throw HadbException.invalidArgument("forwarding secret must be at least " + MIN_BYTES
          + " bytes, was " + b.length);
    }
    return new ForwardingSecret(b);
  }

  /** The header value of a request to {@code database} with {@code body}. */
  public String sign(String database, byte[] body) {
    return HexFormat.of().formatHex(mac(database.getBytes(StandardCharsets.UTF_8), new byte[] {0}, body));
  }

  /**
   * Whether {@code headerValue} is the HMAC of a request to {@code database} with {@code body}.
   * Constant time in the content of the value, so response timing tells an attacker nothing about
   * how much of a guess was right.
   */
  public boolean verify(String database, byte[] body, String headerValue) {
    if (database == null || headerValue == null || headerValue.length() != 64) {
      return false;
    }
    byte[] given;
    try {
      given = HexFormat.of().parseHex(headerValue);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(database.getBytes(StandardCharsets.UTF_8), new byte[] {0}, body), given);
  }

  /** HMAC-SHA256 under the secret of {@code parts} one after the other (the push link's keys and proofs). */
  public byte[] mac(byte[]... parts) {
    try {
      Mac m = Mac.getInstance(ALGORITHM);
      m.init(key);
      for (byte[] p : parts) {
        m.update(p);
      }
      return m.doFinal();
    } catch (GeneralSecurityException e) {
      throw new HadbException(io.hadb.api.ErrorCode.INTERNAL, "HmacSHA256 is not available in this JVM", e);
    }
  }

  @Override
  public String toString() {
    return "ForwardingSecret[redacted]";
  }
}
