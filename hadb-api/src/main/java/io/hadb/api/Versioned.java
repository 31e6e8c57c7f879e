package io.hadb.api;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * A register's value and the version that wrote it. The value array is copied in and out, so a
 * caller can never change a stored value by mutating an array.
 *
 * @param value the bytes, never null (may be empty)
 * @param version strictly positive, strictly increasing per key (DESIGN §3.1 L-monotonic)
 */
public record Versioned(byte[] value, long version) {
  public Versioned {
    HadbException.requireArg(value, "value");
    if (version <= 0) {
      throw HadbException.invalidArgument("version must be > 0, was " + version);
    }
    value = value.clone();
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Versioned v && v.version == version && Arrays.equals(v.value, value);
  }

  @Override
  public int hashCode() {
    return 31 * Long.hashCode(version) + Arrays.hashCode(value);
  }

  @Override
  public String toString() {
    // Values may be application data: show only their size and a short prefix.
    String head = HexFormat.of().formatHex(value, 0, Math.min(8, value.length));
    return "Versioned[version=" + version + ", " + value.length + " bytes: " + head
        + (value.length > 8 ? "…" : "") + "]";
  }
}
