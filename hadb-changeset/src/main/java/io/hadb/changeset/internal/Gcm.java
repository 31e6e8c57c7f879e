package io.hadb.changeset.internal;

import io.hadb.changeset.Nonce;
import java.security.GeneralSecurityException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * AES-256-GCM per frame (FORMAT.md §5): nonce = base nonce with its last four bytes XOR the frame
 * index; associated data = the 104 header bytes, the frame index and the last-frame marker. So a
 * frame cannot be moved, dropped, repeated, or lifted into another changeset (whose header, with
 * its seq, epoch and random nonce, differs) without failing authentication.
 */
public final class Gcm {
  public static final int TAG_LENGTH = 16;

  private final Cipher cipher;
  private final SecretKey key;
  private final Nonce base;
  private final byte[] header;
  private final byte[] nonce = new byte[Nonce.LENGTH];
  private final byte[] frameAad = new byte[5];

  public Gcm(SecretKey key, Nonce base, byte[] header) {
    try {
      this.cipher = Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES/GCM/NoPadding is required by every Java platform", e);
    }
    this.key = key;
    this.base = base;
    this.header = header;
  }

  private void init(int mode, long index, boolean last) throws GeneralSecurityException {
    byte[] b = base.toBytes();
    System.arraycopy(b, 0, nonce, 0, Nonce.LENGTH);
    int low = Be.getInt(nonce, 8) ^ (int) index;
    Be.putInt(nonce, 8, low);
    cipher.init(mode, key, new GCMParameterSpec(TAG_LENGTH * 8, nonce));
    cipher.updateAAD(header);
    Be.putInt(frameAad, 0, (int) index);
    frameAad[4] = (byte) (last ? 1 : 0);
    cipher.updateAAD(frameAad);
  }

  /** Seals {@code len} bytes; returns the ciphertext-and-tag length written to {@code out}. */
  public int seal(long index, boolean last, byte[] in, int len, byte[] out) {
    try {
      init(Cipher.ENCRYPT_MODE, index, last);
      return cipher.doFinal(in, 0, len, out, 0);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed: " + e, e);
    }
  }

  /** Opens a sealed frame; throws {@link GeneralSecurityException} when it fails authentication. */
  public int open(long index, boolean last, byte[] in, int len, byte[] out)
      throws GeneralSecurityException {
    init(Cipher.DECRYPT_MODE, index, last);
    return cipher.doFinal(in, 0, len, out, 0);
  }
}
