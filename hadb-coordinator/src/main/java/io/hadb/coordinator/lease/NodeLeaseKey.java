package io.hadb.coordinator.lease;

import io.hadb.api.Keys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Where a node's lease lives in the lease store: {@code hadb-node/<node id>/node}. Every
 * database's register ends in {@code /lease}, so no database name can reach a node's key. A node
 * id that is not a valid key segment (characters outside {@link Keys}, or too long) is named by
 * the hex SHA-256 of its UTF-8 bytes instead, the same on every node.
 */
public final class NodeLeaseKey {
  static final String ROOT = "hadb-node/";
  private static final int MAX_PLAIN = 150;

  private NodeLeaseKey() {}

  public static String of(String nodeId) {
    return ROOT + segment(nodeId) + "/node";
  }

  private static String segment(String nodeId) {
    boolean plain = !nodeId.isEmpty() && nodeId.length() <= MAX_PLAIN && !nodeId.equals(".") && !nodeId.equals("..");
    for (int i = 0; plain && i < nodeId.length(); i++) {
      char c = nodeId.charAt(i);
      plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '.' || c == '_' || c == '-' || c == '=' || c == '+' || c == ',' || c == '@';
    }
    if (plain) {
      return nodeId;
    }
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(nodeId.getBytes(StandardCharsets.UTF_8));
      return "sha256-" + HexFormat.of().formatHex(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
