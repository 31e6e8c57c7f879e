package io.hadb.changeset;

import io.hadb.api.HadbException;
import java.util.Arrays;

/**
 * One page image: page {@code number} covers file bytes {@code (number-1)*pageSize} onward.
 *
 * @param number the 1-based page number
 * @param data the page's bytes (copied in and out)
 */
public record Page(long number, byte[] data) {
  public Page {
    if (number < 1 || number > Limits.MAX_U32) {
      throw HadbException.invalidArgument("page number must be 1.." + Limits.MAX_U32
          + ", was " + number);
    }
    data = HadbException.requireArg(data, "page data").clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public int length() {
    return data.length;
  }

  byte[] dataUnsafe() {
    return data;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Page p && p.number == number && Arrays.equals(p.data, data);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(number) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "Page[" + number + ", " + data.length + " bytes]";
  }
}
