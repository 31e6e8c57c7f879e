package io.hadb.changeset.internal;

import java.security.MessageDigest;

/**
 * The per-entry hash chain of HADBJ (FORMAT.md §6): h(-1) = SHA-256(header bytes),
 * h(i) = SHA-256(h(i-1) || seq || kind || length || payload). The sequence number is inside the
 * hash, so an entry cannot be renumbered, moved or replayed under another seq unnoticed.
 */
public final class EntryHash {
  private final MessageDigest md = Sha256.newDigest();
  private final byte[] fields = new byte[16];
  private byte[] prev;

  public EntryHash(byte[] headerBytes) {
    prev = md.digest(headerBytes);
  }

  public byte[] next(long seq, int kind, byte[] payload, int len) {
    md.update(prev);
    Be.putLong(fields, 0, seq);
    Be.putInt(fields, 8, kind);
    Be.putInt(fields, 12, len);
    md.update(fields);
    md.update(payload, 0, len);
    prev = md.digest();
    return prev.clone();
  }
}
