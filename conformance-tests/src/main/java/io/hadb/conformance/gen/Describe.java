package io.hadb.conformance.gen;

import java.util.Arrays;
import java.util.HexFormat;

/** Short printable forms of generated values, for failure reports (arrays by content). */
final class Describe {
  private static final int MAX_CHARS = 2000;

  private Describe() {}

  static String value(Object v) {
    String s;
    if (v instanceof byte[] b) {
      s = b.length + " bytes [" + HexFormat.of().formatHex(b, 0, Math.min(b.length, 64)) + (b.length > 64 ? "…" : "") + "]";
    } else if (v instanceof Object[] a) {
      s = Arrays.deepToString(a);
    } else if (v instanceof int[] a) {
      s = Arrays.toString(a);
    } else if (v instanceof long[] a) {
      s = Arrays.toString(a);
    } else {
      s = String.valueOf(v);
    }
    return s.length() > MAX_CHARS ? s.substring(0, MAX_CHARS) + "…(" + s.length() + " chars)" : s;
  }
}
