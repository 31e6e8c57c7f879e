package io.hadb.conformance.gen;

/**
 * Maps one raw choice to a number in a range so that the choice 0 is the simplest number: 0 when
 * the range holds it (then 1, -1, 2, -2, … in turn while both sides last), else the bound nearest
 * to 0 and outwards from there.
 */
final class Ranges {
  private Ranges() {}

  static long value(Choices c, long min, long max) {
    if (min >= 0) {
      return min + c.choose(max - min); // max - min fits an unsigned long
    }
    if (max <= 0) {
      return max - c.choose(max - min);
    }
    long below = -(min + 1) + 1; // values below 0, counted as unsigned: -min
    long above = max;
    long side = Long.compareUnsigned(below, above) < 0 ? below : above;
    // 0, then pairs (+k, -k) for k = 1..side, then the rest of the longer side.
    long raw = c.choose(max - min);
    if (raw == 0) {
      return 0;
    }
    long paired = side * 2; // unsigned; side < 2^63, so no overflow
    if (Long.compareUnsigned(raw, paired) <= 0) {
      long k = (raw + 1) >>> 1;
      return (raw & 1) == 1 ? k : -k;
    }
    long beyond = side + (raw - paired);
    return Long.compareUnsigned(above, below) >= 0 ? beyond : -beyond;
  }
}
