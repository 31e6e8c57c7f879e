package io.hadb.conformance.internal;

import io.hadb.api.BodySource;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.conformance.gen.Choices;
import io.hadb.conformance.gen.Gen;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * One model-based run for rule S6.1: two clients of the store under test and a sorted map that
 * says what they must answer. Every step runs one call on the store and the same call on the
 * model and fails at the first difference, naming the step.
 */
public final class StorageModelRun {
  public static final String RULE = "S6.1";
  /** Keys that collide on purpose: a key, its "directory", and neighbours in ASCII order. */
  public static final List<String> KEYS = List.of("a", "a/b", "a-b", "ab", "b/c");
  public static final List<String> PREFIXES = List.of("", "a", "a/", "b");
  public static final List<String> START_AFTER = List.of("a", "a/b", "aa", "b/c");

  /** The most steps of one sequence; shrinking shortens a failing one to the steps that matter. */
  public static final int MAX_STEPS = 50;

  private static final Gen<Integer> CLIENT = Gen.ints(0, 1);
  private static final Gen<String> KEY = Gen.of(KEYS);
  private static final Gen<byte[]> VALUE = Gen.bytes(0, 12);
  private static final Gen<Boolean> FLAG = Gen.booleans();

  private enum Step { PUT, PUT_IF_ABSENT, GET, DELETE, LIST }

  /** put : putIfAbsent : get : delete : list as 3 : 2 : 3 : 2 : 2. */
  private static final Gen<Step> STEP = Gen.frequency(Gen.weight(3, Gen.constant(Step.PUT)),
      Gen.weight(2, Gen.constant(Step.PUT_IF_ABSENT)), Gen.weight(3, Gen.constant(Step.GET)),
      Gen.weight(2, Gen.constant(Step.DELETE)), Gen.weight(2, Gen.constant(Step.LIST)));

  /**
   * Runs one random sequence of 1 to {@value #MAX_STEPS} calls drawn from {@code choices}, each
   * checked against the sorted-map model as it runs. Listings use a random prefix, an optional
   * {@code startAfter} and limits 1-3, and are followed to the last page.
   */
  public void play(Choices choices) {
    for (int n = 0; choices.another(n, 1, MAX_STEPS); n++) {
      Step step = STEP.generate(choices);
      int client = CLIENT.generate(choices);
      switch (step) {
        case PUT -> put(client, KEY.generate(choices), VALUE.generate(choices), FLAG.generate(choices));
        case PUT_IF_ABSENT -> putIfAbsent(client, KEY.generate(choices), VALUE.generate(choices), FLAG.generate(choices));
        case GET -> get(client, KEY.generate(choices), FLAG.generate(choices));
        case DELETE -> delete(client, KEY.generate(choices));
        case LIST -> list(client, Gen.of(PREFIXES).generate(choices),
            Gen.optionals(Gen.of(START_AFTER), 60).generate(choices), Gen.ints(1, 3).generate(choices));
      }
    }
  }

  private final StorageBackend[] clients;
  private final String prefix;
  private final TreeMap<String, byte[]> model = new TreeMap<>();
  private final List<String> steps = new ArrayList<>();

  public StorageModelRun(Supplier<StorageBackend> open) {
    this.clients = new StorageBackend[] {open.get(), open.get()};
    this.prefix = Kit.newPrefix();
  }

  @Override
  public String toString() {
    return "StorageModelRun[prefix " + prefix + ", " + steps.size() + " steps]";
  }

  private String full(String rel) {
    return prefix + rel;
  }

  private void step(String what) {
    steps.add(what);
  }

  private AssertionError fail(String what) {
    return Check.failure(RULE, "step " + steps.size() + " " + steps.get(steps.size() - 1) + ": " + what
        + "\n  steps so far: " + String.join("; ", steps),
        "two clients of one URI, used one call at a time, must behave like one sorted map of objects:"
            + " put replaces, putIfAbsent writes only when absent, delete removes, get returns the last"
            + " bytes written, list returns matching keys in order. The failing step is the last one");
  }

  private <T> T call(Supplier<T> c) {
    try {
      return c.get();
    } catch (RuntimeException e) {
      AssertionError f = fail("threw " + e);
      f.initCause(e);
      throw f;
    }
  }

  public void put(int client, String key, byte[] value, boolean asBody) {
    step("put(" + key + ", " + value.length + " bytes" + (asBody ? " as BodySource" : "") + ") via client " + client);
    call(() -> {
      if (asBody) {
        clients[client].put(full(key), BodySource.of(value));
      } else {
        clients[client].put(full(key), value);
      }
      return null;
    });
    model.put(key, value.clone());
  }

  public void putIfAbsent(int client, String key, byte[] value, boolean asBody) {
    step("putIfAbsent(" + key + ", " + value.length + " bytes" + (asBody ? " as BodySource" : "") + ") via client " + client);
    boolean created = call(() -> asBody
        ? clients[client].putIfAbsent(full(key), BodySource.of(value))
        : clients[client].putIfAbsent(full(key), value));
    boolean expected = !model.containsKey(key);
    if (created != expected) {
      throw fail("returned " + created + " but the key was " + (expected ? "absent" : "present"));
    }
    if (expected) {
      model.put(key, value.clone());
    }
  }

  public void get(int client, String key, boolean asStream) {
    step((asStream ? "getStream(" : "get(") + key + ") via client " + client);
    Optional<byte[]> got;
    if (asStream) {
      got = call(() -> clients[client].getStream(full(key))).map(in -> {
        try (in) {
          return in.readAllBytes();
        } catch (java.io.IOException e) {
          throw fail("reading the stream failed: " + e);
        }
      });
    } else {
      got = call(() -> clients[client].get(full(key)));
    }
    byte[] want = model.get(key);
    if (want == null && got.isPresent()) {
      throw fail("returned " + Check.bytes(got.get()) + " but the key is absent");
    }
    if (want != null && got.isEmpty()) {
      throw fail("returned empty but the key holds " + Check.bytes(want));
    }
    if (want != null && !Arrays.equals(want, got.get())) {
      throw fail("returned " + Check.bytes(got.get()) + " but the key holds " + Check.bytes(want));
    }
  }

  public void delete(int client, String key) {
    step("delete(" + key + ") via client " + client);
    call(() -> {
      clients[client].delete(full(key));
      return null;
    });
    model.remove(key);
  }

  public void list(int client, String relPrefix, Optional<String> relAfter, int limit) {
    step("list(prefix '" + relPrefix + "', startAfter " + relAfter.map(s -> "'" + s + "'").orElse("none")
        + ", limit " + limit + ") via client " + client);
    List<String> expected = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : model.entrySet()) {
      String k = e.getKey();
      if (k.startsWith(relPrefix) && (relAfter.isEmpty() || k.compareTo(relAfter.get()) > 0)) {
        expected.add(full(k));
      }
    }
    List<String> got = new ArrayList<>();
    Optional<String> after = relAfter.map(this::full);
    for (int page = 0; ; page++) {
      if (page > expected.size() + 2) {
        throw fail("pagination did not end after " + page + " pages; keys so far " + got + ", expected " + expected);
      }
      Optional<String> from = after;
      ListPage p = call(() -> clients[client].list(full(relPrefix), from, limit));
      if (p.keys().size() > limit) {
        throw fail("a page had " + p.keys().size() + " keys, more than the limit " + limit + ": " + p.keys());
      }
      got.addAll(p.keys());
      if (got.size() < expected.size() && !p.hasMore()) {
        throw fail("the listing stopped (no nextStartAfter) after " + got + " but expected " + expected);
      }
      if (!expected.subList(0, Math.min(got.size(), expected.size())).equals(got)) {
        throw fail("listed " + got + " but expected " + expected);
      }
      if (!p.hasMore()) {
        break;
      }
      after = p.nextStartAfter();
    }
    if (!got.equals(expected)) {
      throw fail("listed " + got + " but expected " + expected);
    }
  }
}
