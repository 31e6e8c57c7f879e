package io.hadb.coordinator.push;

import io.hadb.coordinator.forward.ForwardingSecret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Both ends of a push link prove they hold the node's secret (DESIGN §9.2). The subscriber's
 * upgrade request carries its node id, its wall-clock time and a random nonce, and the HMAC of
 * the three; the leader's 101 answer carries the HMAC of that nonce under another label. A
 * request older or newer than {@link #MAX_SKEW_MILLIS} is refused, so a recorded request cannot
 * be replayed later to read changesets; a peer without the secret can neither subscribe nor pose
 * as a leader.
 */
final class PushAuth {
  static final String NODE_HEADER = "Hadb-Node";
  static final String TIME_HEADER = "Hadb-Time";
  static final String NONCE_HEADER = "Hadb-Nonce";
  static final String AUTH_HEADER = ForwardingSecret.HEADER;
  static final long MAX_SKEW_MILLIS = 5 * 60_000L;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final ForwardingSecret secret;

  PushAuth(ForwardingSecret secret) {
    this.secret = secret;
  }

  /** The headers of a subscriber's upgrade request; the nonce is {@code nonce}. */
  Map<String, String> request(String nodeId, long nowMillis, String nonce) {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Upgrade", "hadb-push");
    h.put(NODE_HEADER, nodeId);
    h.put(TIME_HEADER, Long.toString(nowMillis));
    h.put(NONCE_HEADER, nonce);
    h.put(AUTH_HEADER, hex(requestMac(nodeId, Long.toString(nowMillis), nonce)));
    return h;
  }

  static String newNonce() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /**
   * Why a subscriber's upgrade request (lower-cased header names) is not authentic, or null when
   * it is.
   */
  String refusal(Map<String, String> headers, long nowMillis) {
    String node = headers.get(NODE_HEADER.toLowerCase());
    String time = headers.get(TIME_HEADER.toLowerCase());
    String nonce = headers.get(NONCE_HEADER.toLowerCase());
    String auth = headers.get(AUTH_HEADER.toLowerCase());
    if (node == null || time == null || nonce == null || auth == null) {
      return "a push subscription needs the headers " + NODE_HEADER + ", " + TIME_HEADER + ", " + NONCE_HEADER
          + " and " + AUTH_HEADER;
    }
    long t;
    try {
      t = Long.parseLong(time);
    } catch (NumberFormatException e) {
      return TIME_HEADER + " is not a number of milliseconds";
    }
    if (Math.abs(nowMillis - t) > MAX_SKEW_MILLIS) {
      return TIME_HEADER + " is more than " + MAX_SKEW_MILLIS / 1000 + " s from this node's clock";
    }
    if (!equal(requestMac(node, time, nonce), auth)) {
      return "the subscription's HMAC does not match this node's secret";
    }
    return null;
  }

  /** The leader's proof for a subscriber's {@code nonce}, sent in the 101 answer. */
  String answer(String nonce) {
    return hex(secret.mac(bytes("hadb-push-accept\0"), bytes(nonce)));
  }

  /** Whether a 101 answer's {@code headerValue} proves the leader holds the secret. */
  boolean answerHolds(String nonce, String headerValue) {
    return headerValue != null && equal(secret.mac(bytes("hadb-push-accept\0"), bytes(nonce)), headerValue);
  }

  private byte[] requestMac(String node, String time, String nonce) {
    return secret.mac(bytes("hadb-push-subscribe\0"), bytes(node), new byte[] {0}, bytes(time), new byte[] {0},
        bytes(nonce));
  }

  private static boolean equal(byte[] mac, String hexValue) {
    if (hexValue.length() != mac.length * 2) {
      return false;
    }
    try {
      return MessageDigest.isEqual(mac, HexFormat.of().parseHex(hexValue));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
