package io.hadb.changeset.internal;

/** Where a body writer puts plaintext: straight into the hashed output, or into frames. */
public interface PlainSink {
  void write(byte[] b, int off, int len);

  void writeInt(int v);

  void writeLong(long v);
}
