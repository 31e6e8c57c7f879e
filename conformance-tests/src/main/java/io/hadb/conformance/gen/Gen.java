package io.hadb.conformance.gen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * A generator of values of type {@code T}, drawn from {@link Choices}. Every generator maps the
 * choice 0 to its simplest value, so a shrunk choice sequence gives a simpler value: integers move
 * towards 0 (or towards the bound nearest to it), lists get shorter, elements of {@link #of} move
 * towards the first, {@link #oneOf} and {@link #frequency} towards their first option.
 *
 * <pre>{@code
 * Gen<List<Integer>> lists = Gen.lists(Gen.ints(0, 100), 0, 20);
 * Property.named("sorted twice is sorted once").tries(200).forAll(lists, l -> ...);
 * }</pre>
 */
@FunctionalInterface
public interface Gen<T> {

  /** One value, drawn from {@code choices}. */
  T generate(Choices choices);

  default <R> Gen<R> map(Function<? super T, ? extends R> f) {
    return c -> f.apply(generate(c));
  }

  /** A generator whose shape depends on a value drawn first (a length, then that many bytes). */
  default <R> Gen<R> flatMap(Function<? super T, ? extends Gen<? extends R>> f) {
    return c -> f.apply(generate(c)).generate(c);
  }

  /**
   * Values that satisfy {@code accept}, drawing again (up to 100 times) when one does not. Keep the
   * rejected share small; a generator built to produce only good values shrinks better.
   */
  default Gen<T> filter(Predicate<? super T> accept) {
    return c -> {
      for (int i = 0; i < 100; i++) {
        T v = generate(c);
        if (accept.test(v)) {
          return v;
        }
      }
      throw new IllegalStateException("a filtered generator rejected 100 values in a row;"
          + " generate acceptable values directly instead of filtering");
    };
  }

  // ---------------------------------------------------------------- numbers

  /** Integers in {@code [min, max]}, shrinking towards 0 when it is in range, else towards the nearer bound. */
  static Gen<Integer> ints(int min, int max) {
    Gen<Long> longs = longs(min, max);
    return c -> (int) (long) longs.generate(c);
  }

  /** Longs in {@code [min, max]}, shrinking towards 0 when it is in range, else towards the nearer bound. */
  static Gen<Long> longs(long min, long max) {
    if (min > max) {
      throw new IllegalArgumentException("min " + min + " > max " + max);
    }
    return c -> Ranges.value(c, min, max);
  }

  /** Any long, shrinking towards 0 (0, -1, 1, -2, 2, …). */
  static Gen<Long> longs() {
    return longs(Long.MIN_VALUE, Long.MAX_VALUE);
  }

  static Gen<Boolean> booleans() {
    return c -> c.choose(1) == 1;
  }

  /** Finite doubles of every magnitude and sign, shrinking towards 0.0. */
  static Gen<Double> doubles() {
    return c -> {
      long bits = c.choose(-1);
      // Sign in the lowest bit so small choices are small positive and negative numbers; an
      // exponent of all ones (infinity, NaN) is folded back into the finite range.
      long sign = (bits & 1) << 63;
      long rest = bits >>> 1;
      if (((rest >>> 52) & 0x7FF) == 0x7FF) {
        rest &= ~(1L << 62);
      }
      return Double.longBitsToDouble(sign | rest);
    };
  }

  // ---------------------------------------------------------------- choices among values

  /** A constant. */
  static <T> Gen<T> constant(T value) {
    return c -> value;
  }

  /** One of {@code values}, shrinking towards the first. */
  @SafeVarargs
  static <T> Gen<T> of(T... values) {
    return of(Arrays.asList(values));
  }

  /** One of {@code values}, shrinking towards the first. */
  static <T> Gen<T> of(List<? extends T> values) {
    List<T> copy = List.copyOf(values);
    if (copy.isEmpty()) {
      throw new IllegalArgumentException("Gen.of needs at least one value");
    }
    return c -> copy.get((int) c.choose(copy.size() - 1));
  }

  /** A value of one of {@code gens}, chosen with equal weight, shrinking towards the first. */
  @SafeVarargs
  static <T> Gen<T> oneOf(Gen<? extends T>... gens) {
    List<Gen<? extends T>> copy = List.of(gens);
    return c -> copy.get((int) c.choose(copy.size() - 1)).generate(c);
  }

  /** One option of a {@link #frequency} choice: {@code weight} out of the sum of all weights. */
  record Weighted<T>(int weight, Gen<? extends T> gen) {
    public Weighted {
      if (weight < 1) {
        throw new IllegalArgumentException("weight must be >= 1, was " + weight);
      }
      Objects.requireNonNull(gen, "gen");
    }
  }

  static <T> Weighted<T> weight(int weight, Gen<? extends T> gen) {
    return new Weighted<>(weight, gen);
  }

  /** A value of one of the options, chosen by weight, shrinking towards the first option. */
  @SafeVarargs
  static <T> Gen<T> frequency(Weighted<? extends T>... options) {
    List<Weighted<? extends T>> copy = List.of(options);
    int total = copy.stream().mapToInt(Weighted::weight).sum();
    return c -> {
      long pick = c.choose(total - 1);
      for (Weighted<? extends T> w : copy) {
        if (pick < w.weight()) {
          return w.gen().generate(c);
        }
        pick -= w.weight();
      }
      throw new AssertionError("unreachable: pick beyond the total weight");
    };
  }

  /** Empty or a value, shrinking towards empty; present about {@code percentPresent} % of the time. */
  static <T> Gen<Optional<T>> optionals(Gen<T> gen, int percentPresent) {
    return c -> c.choose(99) < percentPresent ? Optional.of(gen.generate(c)) : Optional.empty();
  }

  // ---------------------------------------------------------------- collections

  /** Lists of {@code min..max} elements, shrinking by dropping elements and shrinking the rest. */
  static <T> Gen<List<T>> lists(Gen<T> element, int min, int max) {
    if (min < 0 || min > max) {
      throw new IllegalArgumentException("list sizes must satisfy 0 <= min <= max, were " + min + ", " + max);
    }
    return c -> {
      List<T> out = new ArrayList<>();
      while (c.another(out.size(), min, max)) {
        out.add(element.generate(c));
      }
      return out;
    };
  }

  /** Lists of exactly {@code size} elements. */
  static <T> Gen<List<T>> listsOf(Gen<T> element, int size) {
    return lists(element, size, size);
  }

  /** Byte arrays of {@code min..max} bytes of any value. */
  static Gen<byte[]> bytes(int min, int max) {
    Gen<List<Integer>> values = lists(ints(Byte.MIN_VALUE, Byte.MAX_VALUE), min, max);
    return c -> {
      List<Integer> l = values.generate(c);
      byte[] b = new byte[l.size()];
      for (int i = 0; i < b.length; i++) {
        b[i] = (byte) (int) l.get(i);
      }
      return b;
    };
  }

  /** Strings of {@code min..max} characters taken from {@code alphabet}, shrinking towards its first character. */
  static Gen<String> strings(String alphabet, int min, int max) {
    if (alphabet.isEmpty()) {
      throw new IllegalArgumentException("the alphabet must not be empty");
    }
    int[] chars = alphabet.codePoints().toArray();
    Gen<List<Integer>> indexes = lists(ints(0, chars.length - 1), min, max);
    return c -> {
      StringBuilder s = new StringBuilder();
      for (int i : indexes.generate(c)) {
        s.appendCodePoint(chars[i]);
      }
      return s.toString();
    };
  }
}
