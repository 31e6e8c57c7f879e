package io.hadb.conformance.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The generators stay in their ranges, reach their edges, and give the same values for the same seed. */
class GenTest {

  private static <T> List<T> sample(Gen<T> gen, int n, long seed) {
    Choices c = Choices.random(seed);
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(gen.generate(c));
    }
    return out;
  }

  @Test
  void integersStayInRangeAndReachBothEnds() {
    List<Integer> v = sample(Gen.ints(-3, 7), 2000, 1);
    assertTrue(v.stream().allMatch(x -> x >= -3 && x <= 7), v.toString());
    assertEquals(Set.of(-3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7), new HashSet<>(v));
    List<Long> wide = sample(Gen.longs(), 2000, 2);
    assertTrue(wide.contains(Long.MIN_VALUE) && wide.contains(Long.MAX_VALUE) && wide.contains(0L), "edges drawn");
    List<Long> high = sample(Gen.longs(Long.MAX_VALUE - 5, Long.MAX_VALUE), 500, 3);
    assertTrue(high.stream().allMatch(x -> x >= Long.MAX_VALUE - 5), high.toString());
    List<Long> negative = sample(Gen.longs(-10, -4), 500, 4);
    assertTrue(negative.stream().allMatch(x -> x >= -10 && x <= -4), negative.toString());
  }

  @Test
  void theSimplestChoiceIsTheSimplestValue() {
    Choices zeros = Choices.replay(new long[0]);
    assertEquals(0, Gen.ints(-5, 5).generate(zeros));
    assertEquals(3, Gen.ints(3, 9).generate(zeros));
    assertEquals(-4, Gen.ints(-9, -4).generate(zeros));
    assertEquals(List.of(), Gen.lists(Gen.ints(0, 9), 0, 10).generate(zeros));
    assertEquals(List.of(0, 0), Gen.lists(Gen.ints(0, 9), 2, 10).generate(zeros));
    assertEquals("aa", Gen.strings("abc", 2, 5).generate(zeros));
    assertEquals(0.0, Gen.doubles().generate(zeros));
    assertEquals("first", Gen.of("first", "second").generate(zeros));
    // Signed ranges go 0, 1, -1, 2, -2: small choices are small numbers of either sign.
    assertEquals(List.of(0, 1, -1, 2, -2, 3, 4, 5), List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L).stream()
        .map(raw -> Gen.ints(-2, 5).generate(Choices.replay(new long[] {raw}))).toList());
  }

  @Test
  void listsAndStringsRespectTheirSizes() {
    for (List<Integer> l : sample(Gen.lists(Gen.ints(0, 3), 2, 6), 500, 5)) {
      assertTrue(l.size() >= 2 && l.size() <= 6, l.toString());
    }
    for (String s : sample(Gen.strings("xy", 1, 4), 500, 6)) {
      assertTrue(s.length() >= 1 && s.length() <= 4 && s.matches("[xy]+"), s);
    }
    for (byte[] b : sample(Gen.bytes(0, 3), 500, 7)) {
      assertTrue(b.length <= 3);
    }
    assertTrue(sample(Gen.doubles(), 1000, 8).stream().allMatch(Double::isFinite));
  }

  @Test
  void frequencyFollowsTheWeights() {
    List<String> v = sample(Gen.frequency(Gen.weight(9, Gen.constant("common")), Gen.weight(1, Gen.constant("rare"))),
        5000, 9);
    long rare = v.stream().filter("rare"::equals).count();
    assertTrue(rare > 250 && rare < 1000, "rare drawn " + rare + " of 5000");
  }

  @Test
  void theSameSeedGivesTheSameValuesAndAnotherSeedOthers() {
    Gen<List<Long>> gen = Gen.lists(Gen.longs(), 0, 30);
    assertEquals(sample(gen, 20, 42), sample(gen, 20, 42));
    assertNotEquals(sample(gen, 20, 42), sample(gen, 20, 43));
    Choices first = Choices.random(7);
    List<Long> drawn = gen.generate(first);
    assertEquals(drawn, gen.generate(Choices.replay(first.recorded())), "replaying the recorded choices");
  }

  @Test
  void filterRefusesAGeneratorThatNeverPasses() {
    Gen<Integer> never = Gen.ints(0, 10).filter(x -> x > 10);
    assertFalse(Shrinker.simpler(new long[] {1}, new long[] {1}));
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
        () -> never.generate(Choices.random(1)));
    assertTrue(e.getMessage().contains("rejected 100 values"), e.getMessage());
  }
}
