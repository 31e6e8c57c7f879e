package io.hadb.api;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The bytes of an object to write, readable more than once. Re-opening lets a backend retry an
 * upload and, for an ambiguous conditional PUT, read the stored object back and compare it with
 * what it meant to write (DESIGN §3.1 L-ambiguous), all without holding a large object in memory.
 */
public interface BodySource {

  /** A fresh stream over the whole body, from its first byte. The caller closes it. */
  InputStream open() throws IOException;

  /** The exact number of bytes {@link #open()} yields. */
  long length();

  static BodySource of(byte[] bytes) {
    HadbException.requireArg(bytes, "data");
    byte[] copy = bytes.clone();
    return new BodySource() {
      @Override
      public InputStream open() {
        return new ByteArrayInputStream(copy);
      }

      @Override
      public long length() {
        return copy.length;
      }

      @Override
      public String toString() {
        return "BodySource[" + copy.length + " bytes in memory]";
      }
    };
  }

  /** A file's bytes; the file must not change while the body is in use. */
  static BodySource ofFile(Path file) {
    HadbException.requireArg(file, "file");
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the size of " + file, e);
    }
    return new BodySource() {
      @Override
      public InputStream open() throws IOException {
        return Files.newInputStream(file);
      }

      @Override
      public long length() {
        return size;
      }

      @Override
      public String toString() {
        return "BodySource[" + file + ", " + size + " bytes]";
      }
    };
  }
}
