package io.hadb.api.engine;

import io.hadb.api.HadbException;
import java.util.Arrays;

/** A statement parameter or a result cell: the five storage classes engines agree on. */
public sealed interface SqlValue
    permits SqlValue.Null, SqlValue.Int, SqlValue.Real, SqlValue.Text, SqlValue.Blob {

  record Null() implements SqlValue {}

  record Int(long value) implements SqlValue {}

  record Real(double value) implements SqlValue {}

  record Text(String value) implements SqlValue {
    public Text {
      HadbException.requireArg(value, "text value");
    }
  }

  record Blob(byte[] value) implements SqlValue {
    public Blob {
      value = HadbException.requireArg(value, "blob value").clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Blob b && Arrays.equals(b.value, value);
    }

    @Override
    public int hashCode() {
      return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
      return "Blob[" + value.length + " bytes]";
    }
  }

  Null NULL = new Null();

  static SqlValue of(long v) {
    return new Int(v);
  }

  static SqlValue of(double v) {
    return new Real(v);
  }

  static SqlValue of(String v) {
    return v == null ? NULL : new Text(v);
  }

  static SqlValue of(byte[] v) {
    return v == null ? NULL : new Blob(v);
  }

  /** Maps a plain Java value (null, Integer, Long, Short, Byte, Float, Double, String, byte[]). */
  static SqlValue ofObject(Object v) {
    if (v == null) {
      return NULL;
    }
    if (v instanceof SqlValue s) {
      return s;
    }
    if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return new Int(((Number) v).longValue());
    }
    if (v instanceof Boolean b) {
      return new Int(b ? 1 : 0);
    }
    if (v instanceof Double || v instanceof Float) {
      return new Real(((Number) v).doubleValue());
    }
    if (v instanceof String s) {
      return new Text(s);
    }
    if (v instanceof byte[] b) {
      return new Blob(b);
    }
    throw HadbException.invalidArgument(
        "cannot bind a " + v.getClass().getName()
            + "; use null, a whole number, a floating-point number, a String or a byte[]");
  }
}
