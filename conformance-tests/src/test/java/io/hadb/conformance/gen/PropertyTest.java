package io.hadb.conformance.gen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Properties fail with the seed that replays them and shrink to short counterexamples: integers
 * to the boundary that breaks, lists to the one element that matters, action sequences to the
 * few steps that reproduce a bug.
 */
class PropertyTest {

  @AfterEach
  void clearSeed() {
    System.clearProperty(Property.SEED);
    System.clearProperty(Property.TRIES);
  }

  @Test
  void aPassingPropertyRunsEveryTry() {
    AtomicInteger runs = new AtomicInteger();
    Property.named("always").tries(250).forAll(Gen.ints(0, 5), x -> runs.incrementAndGet());
    assertEquals(250, runs.get());
  }

  @Test
  void integersShrinkToTheBoundaryThatBreaks() {
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.named("small").tries(1000)
        .forAll(Gen.ints(0, 1_000_000), x -> assertTrue(x < 12_345, "too big: " + x)));
    assertTrue(f.getMessage().startsWith("too big: 12345"), f.getMessage());
    assertTrue(f.getMessage().contains("counterexample: 12345"), f.getMessage());
    assertTrue(f.getMessage().contains("replay: -Dhadb.seed=" + f.seed()), f.getMessage());
  }

  @Test
  void listsShrinkToTheOneElementThatMatters() {
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.named("no large element").tries(500)
        .forAll(Gen.lists(Gen.ints(0, 10_000), 0, 50), l -> assertTrue(l.stream().allMatch(x -> x < 1000))));
    assertTrue(f.getMessage().contains("counterexample: [1000]"), f.getMessage());
  }

  @Test
  void aFailureReplaysFromThePrintedSeed() {
    Gen<List<Integer>> gen = Gen.lists(Gen.ints(-100, 100), 0, 20);
    List<List<Integer>> firstSeen = new ArrayList<>();
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.named("sum").tries(1000).forAll(gen, l -> {
      if (firstSeen.isEmpty() && l.stream().mapToInt(Integer::intValue).sum() > 150) {
        firstSeen.add(l);
      }
      assertTrue(l.stream().mapToInt(Integer::intValue).sum() <= 150);
    }));
    System.setProperty(Property.SEED, Long.toString(f.seed()));
    System.setProperty(Property.TRIES, "1");
    List<List<Integer>> replayed = new ArrayList<>();
    assertThrows(PropertyFailure.class, () -> Property.named("sum").withoutShrinking().forAll(gen, l -> {
      replayed.add(l);
      assertTrue(l.stream().mapToInt(Integer::intValue).sum() <= 150);
    }));
    assertEquals(firstSeen, replayed, "the printed seed replays the failing case as the first try");
  }

  /** A stack whose pop loses the element below the top once it holds three or more. */
  static final class LeakyStack {
    private final Deque<Integer> items = new ArrayDeque<>();

    void push(int x) {
      items.push(x);
    }

    int pop() {
      int top = items.pop();
      if (items.size() >= 2) {
        items.pop();
      }
      return top;
    }

    int size() {
      return items.size();
    }
  }

  @Test
  void actionSequencesShrinkToTheStepsThatReproduceTheBug() {
    PropertyFailure f = assertThrows(PropertyFailure.class, () -> Property.named("stack matches a model").tries(300)
        .check(c -> {
          LeakyStack real = new LeakyStack();
          Deque<Integer> model = new ArrayDeque<>();
          List<String> steps = new ArrayList<>();
          while (c.another(steps.size(), 0, 60)) {
            if (model.isEmpty() || c.choose(2) != 0) {
              int x = c.draw(Gen.ints(0, 99));
              steps.add("push " + x);
              real.push(x);
              model.push(x);
            } else {
              steps.add("pop");
              assertEquals(model.pop(), real.pop(), "pop after " + steps);
              assertEquals(model.size(), real.size(), "size after " + steps);
            }
          }
        }));
    // The shortest reproduction: three pushes and a pop.
    assertTrue(f.getMessage().contains("size after [push 0, push 0, push 0, pop]"), f.getMessage());
  }

  @Test
  void anAssumptionThatFailsDiscardsTheCase() {
    AtomicInteger checked = new AtomicInteger();
    Property.named("even only").tries(200).forAll(Gen.ints(0, 100), x -> {
      org.junit.jupiter.api.Assumptions.assumeTrue(x % 2 == 0);
      checked.incrementAndGet();
      assertEquals(0, x % 2);
    });
    assertTrue(checked.get() > 50, "checked " + checked.get());
  }
}
