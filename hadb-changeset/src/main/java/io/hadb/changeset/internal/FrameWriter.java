package io.hadb.changeset.internal;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdCompressCtx;
import io.hadb.changeset.Compression;
import io.hadb.changeset.Limits;
import io.hadb.changeset.Nonce;
import javax.crypto.SecretKey;

/**
 * Cuts the plaintext into frames of exactly {@code chunkSize} bytes (the last one 1..chunkSize),
 * compresses each as one zstd frame, seals it with AES-GCM, and writes
 * {@code u32 (last << 31 | length)} plus the stored bytes to the hashed output. A full chunk is
 * held back until more plaintext arrives, so the writer always knows which frame is the last
 * without being told the body's length.
 */
public final class FrameWriter implements PlainSink, AutoCloseable {
  private final HashingOutput out;
  private final int chunkSize;
  private final byte[] plain;
  private final byte[] scratch = new byte[8];
  private final ZstdCompressCtx zstd;
  private final byte[] compressed;
  private final Gcm gcm;
  private final byte[] sealed;
  private int n;
  private long index;

  public FrameWriter(
      HashingOutput out,
      int chunkSize,
      Compression compression,
      int zstdLevel,
      SecretKey key,
      Nonce nonce,
      byte[] header) {
    this.out = out;
    this.chunkSize = chunkSize;
    this.plain = new byte[chunkSize];
    if (compression == Compression.ZSTD) {
      zstd = new ZstdCompressCtx();
      zstd.setLevel(zstdLevel);
      zstd.setContentSize(true);
      zstd.setChecksum(false);
      zstd.setDictID(false);
      compressed = new byte[(int) Zstd.compressBound(chunkSize)];
    } else {
      zstd = null;
      compressed = null;
    }
    if (key != null) {
      gcm = new Gcm(key, nonce, header);
      sealed = new byte[(compressed != null ? compressed.length : chunkSize) + Gcm.TAG_LENGTH];
    } else {
      gcm = null;
      sealed = null;
    }
  }

  @Override
  public void write(byte[] b, int off, int len) {
    while (len > 0) {
      if (n == chunkSize) {
        emit(false);
      }
      int k = Math.min(len, chunkSize - n);
      System.arraycopy(b, off, plain, n, k);
      n += k;
      off += k;
      len -= k;
    }
  }

  @Override
  public void writeInt(int v) {
    Be.putInt(scratch, 0, v);
    write(scratch, 0, 4);
  }

  @Override
  public void writeLong(long v) {
    Be.putLong(scratch, 0, v);
    write(scratch, 0, 8);
  }

  /** Emits the held-back chunk as the last frame; an empty body has no frames at all. */
  public void finish() {
    if (n > 0) {
      emit(true);
    }
  }

  private void emit(boolean last) {
    if (index >= Limits.MAX_FRAMES) {
      throw new IllegalStateException("more than " + Limits.MAX_FRAMES + " frames");
    }
    byte[] data = plain;
    int len = n;
    if (zstd != null) {
      len = zstd.compressByteArray(compressed, 0, compressed.length, plain, 0, n);
      data = compressed;
    }
    if (gcm != null) {
      len = gcm.seal(index, last, data, len, sealed);
      data = sealed;
    }
    out.writeInt((last ? 0x8000_0000 : 0) | len);
    out.write(data, 0, len);
    index++;
    n = 0;
  }

  @Override
  public void close() {
    if (zstd != null) {
      zstd.close();
    }
  }
}
