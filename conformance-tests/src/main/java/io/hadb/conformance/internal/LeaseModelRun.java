package io.hadb.conformance.internal;

import io.hadb.api.CasResult;
import io.hadb.api.LeaseStore;
import io.hadb.api.Versioned;
import io.hadb.conformance.gen.Choices;
import io.hadb.conformance.gen.Gen;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * One model-based run for rule L5.1: two clients of the store under test and a model of the
 * registers. Versions are the store's choice, so the model learns each one from the won result
 * and checks only what the contract fixes: greater than every earlier version of the key.
 */
public final class LeaseModelRun {
  public static final String RULE = "L5.1";
  /** A key, a key below it, and a neighbour: the registers must not interfere. */
  public static final List<String> KEYS = List.of("k0", "k0/sub", "k1");

  /** What the model knows about one key. */
  private static final class Reg {
    byte[] value; // null when absent
    long version;
    long highest;
  }

  private final LeaseStore[] clients;
  private final String prefix;
  private final Map<String, Reg> model = new HashMap<>();
  private final List<String> steps = new ArrayList<>();

  public LeaseModelRun(Supplier<LeaseStore> open) {
    this.clients = new LeaseStore[] {open.get(), open.get()};
    this.prefix = Kit.newPrefix();
    for (String k : KEYS) {
      model.put(k, new Reg());
    }
  }

  /** The most steps of one sequence; shrinking shortens a failing one to the steps that matter. */
  public static final int MAX_STEPS = 50;

  private static final Gen<Integer> CLIENT = Gen.ints(0, 1);
  private static final Gen<String> KEY = Gen.of(KEYS);
  private static final Gen<byte[]> VALUE = Gen.bytes(0, 8);

  private enum Step { CREATE, READ, CAS, DELETE }

  /** create : read : compareAndSet : delete as 3 : 3 : 4 : 2. */
  private static final Gen<Step> STEP = Gen.frequency(Gen.weight(3, Gen.constant(Step.CREATE)),
      Gen.weight(3, Gen.constant(Step.READ)), Gen.weight(4, Gen.constant(Step.CAS)),
      Gen.weight(2, Gen.constant(Step.DELETE)));

  /**
   * Runs one random sequence of 1 to {@value #MAX_STEPS} calls drawn from {@code choices}, each
   * checked against the model as it runs. Expected versions are drawn from what the model knows
   * at that moment (current, stale, future, another key's), so the sequence is generated step by
   * step.
   */
  public void play(Choices choices) {
    for (int n = 0; choices.another(n, 1, MAX_STEPS); n++) {
      Step step = STEP.generate(choices);
      int client = CLIENT.generate(choices);
      String key = KEY.generate(choices);
      switch (step) {
        case CREATE -> create(client, key, VALUE.generate(choices));
        case READ -> read(client, key);
        case CAS -> compareAndSet(client, key, Gen.of(versionCandidates(key)).generate(choices),
            VALUE.generate(choices));
        case DELETE -> delete(client, key, Gen.of(versionCandidates(key)).generate(choices));
      }
    }
  }

  /** Expected versions worth trying on {@code key}: current, stale, future, and another key's. */
  public List<Long> versionCandidates(String key) {
    Set<Long> c = new LinkedHashSet<>();
    Reg r = model.get(key);
    if (r.value != null) {
      c.add(r.version);
    }
    c.add(r.highest + 1);
    if (r.highest > 1) {
      c.add(r.highest - 1);
    }
    c.add(1L);
    for (Reg other : model.values()) {
      if (other.value != null) {
        c.add(other.version);
      }
    }
    return new ArrayList<>(c);
  }

  @Override
  public String toString() {
    return "LeaseModelRun[prefix " + prefix + ", " + steps.size() + " steps]";
  }

  private String full(String rel) {
    return prefix + rel;
  }

  private AssertionError fail(String what) {
    return Check.failure(RULE, "step " + steps.size() + " " + steps.get(steps.size() - 1) + ": " + what
        + "\n  steps so far: " + String.join("; ", steps),
        "two clients of one URI, used one call at a time, must behave like one set of versioned registers:"
            + " create wins only on an absent key, compareAndSet and delete only from the current version,"
            + " and every new version is greater than any the key ever had. The failing step is the last one");
  }

  public void create(int client, String key, byte[] value) {
    steps.add("create(" + key + ", " + value.length + " bytes) via client " + client);
    CasResult r = call(() -> clients[client].create(full(key), value));
    Reg m = model.get(key);
    if (m.value == null) {
      if (!r.isWon()) {
        throw fail("lost, but the key was absent");
      }
      won(m, r.version(), value);
    } else if (r.isWon()) {
      throw fail("won with v" + r.version() + ", but the key existed at v" + m.version);
    }
  }

  public void compareAndSet(int client, String key, long expected, byte[] value) {
    steps.add("compareAndSet(" + key + ", v" + expected + ", " + value.length + " bytes) via client " + client);
    CasResult r = call(() -> clients[client].compareAndSet(full(key), expected, value));
    Reg m = model.get(key);
    boolean shouldWin = m.value != null && m.version == expected;
    if (shouldWin != r.isWon()) {
      throw fail((r.isWon() ? "won with v" + r.version() : "lost") + ", but the key was "
          + (m.value == null ? "absent" : "at v" + m.version));
    }
    if (shouldWin) {
      won(m, r.version(), value);
    }
  }

  public void delete(int client, String key, long expected) {
    steps.add("delete(" + key + ", v" + expected + ") via client " + client);
    CasResult r = call(() -> clients[client].delete(full(key), expected));
    Reg m = model.get(key);
    boolean shouldWin = m.value != null && m.version == expected;
    if (shouldWin != r.isWon()) {
      throw fail((r.isWon() ? "won" : "lost") + ", but the key was " + (m.value == null ? "absent" : "at v" + m.version));
    }
    if (shouldWin) {
      if (r.version() != expected) {
        throw fail("won but reported deleting v" + r.version() + " instead of v" + expected);
      }
      m.value = null;
    }
  }

  public void read(int client, String key) {
    steps.add("read(" + key + ") via client " + client);
    Optional<Versioned> got = call(() -> clients[client].read(full(key)));
    Reg m = model.get(key);
    if (m.value == null) {
      if (got.isPresent()) {
        throw fail("returned " + got.get() + ", but the key is absent");
      }
      return;
    }
    if (got.isEmpty()) {
      throw fail("returned empty, but the key holds v" + m.version);
    }
    if (got.get().version() != m.version || !Arrays.equals(got.get().value(), m.value)) {
      throw fail("returned " + got.get() + ", but the key holds v" + m.version + " " + Check.bytes(m.value));
    }
  }

  private <T> T call(Supplier<T> c) {
    try {
      return c.get();
    } catch (RuntimeException e) {
      AssertionError f = fail("threw " + e + " (a lost condition is CasResult.lost(), not an exception)");
      f.initCause(e);
      throw f;
    }
  }

  private void won(Reg m, long version, byte[] value) {
    if (version <= m.highest) {
      throw fail("won with v" + version + ", not greater than v" + m.highest
          + ", a version this key already had (versions must grow across delete and re-create)");
    }
    m.value = value.clone();
    m.version = version;
    m.highest = version;
  }
}
