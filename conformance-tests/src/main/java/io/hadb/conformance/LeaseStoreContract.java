package io.hadb.conformance;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbUri;
import io.hadb.api.Keys;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStoreProvider;
import io.hadb.api.LeaseStores;
import io.hadb.api.Subscription;
import io.hadb.api.Versioned;
import io.hadb.conformance.gen.Property;
import io.hadb.conformance.internal.Check;
import io.hadb.conformance.internal.Kit;
import io.hadb.conformance.internal.KitFinding;
import io.hadb.conformance.internal.LeaseModelRun;
import io.hadb.conformance.internal.Race;
import io.hadb.conformance.internal.RacerFailure;
import io.hadb.conformance.internal.RuleNaming;
import io.hadb.conformance.internal.WatchCounter;
import io.hadb.conformance.lin.HistoryRecorder;
import io.hadb.conformance.lin.LeaseOp;
import io.hadb.conformance.lin.LeaseRegisterSpec;
import io.hadb.conformance.lin.LinearizabilityChecker;
import io.hadb.conformance.lin.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every {@link LeaseStore} plug-in must pass. Subclass it in your tests and return
 * the URI of the store under test:
 *
 * <pre>{@code
 * class MyLeaseStoreConformanceTest extends LeaseStoreContract {
 *   @Override protected String uri() { return "mystore://host:1234?bucket=leases"; }
 * }
 * }</pre>
 *
 * <p>The kit opens its clients with {@link LeaseStores#open(String)}, so the provider must be
 * registered for the URI's scheme. Every test uses its own random key prefix, so one namespace
 * can be shared by all tests and by re-runs; nothing is cleaned up. Each test is named after the
 * rule of {@code conformance-tests/SPEC.md} it proves ({@code required_L4_2_…}), and a failure
 * says which rule broke and what to check.
 */
@ExtendWith(RuleNaming.class)
public abstract class LeaseStoreContract {

  /**
   * URI of the store under test. Every {@code LeaseStores.open(uri())} must return a client of the
   * same namespace (two clients see each other's writes). Called many times; must be cheap.
   */
  protected abstract String uri();

  /**
   * The URIs the kit opens its clients from, in turn: by default {@code uri()} alone. Override it
   * to list URIs of the <em>same namespace</em> with different client settings (for a protocol
   * store: how many old versions a client keeps, how eagerly it collects), so that every rule,
   * the races included, runs clients of one register configured differently, as a rolling
   * configuration change does. Every URI must name the same registers.
   */
  protected List<String> clientUris() {
    return List.of(uri());
  }

  private final String prefix = Kit.newPrefix();
  private final List<LeaseStore> opened = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger nextUri = new AtomicInteger();

  /** A new client of the store under test, from the next of {@link #clientUris()}, closed after the test. */
  protected final LeaseStore open() {
    List<String> uris = clientUris();
    return open(uris.get(Math.floorMod(nextUri.getAndIncrement(), uris.size())));
  }

  private LeaseStore open(String u) {
    LeaseStore s;
    try {
      s = LeaseStores.open(u);
    } catch (RuntimeException e) {
      throw Check.failure("L1.1", "LeaseStores.open(\"" + HadbUri.redact(u) + "\") threw " + e,
          "the provider for this scheme must be registered (ServiceLoader) and able to open the URI", e);
    }
    opened.add(s);
    return s;
  }

  @AfterEach
  void closeOpenedClients() {
    closeAll(opened);
  }

  private static void closeAll(List<LeaseStore> stores) {
    synchronized (stores) {
      for (LeaseStore s : stores) {
        try {
          s.close();
        } catch (RuntimeException ignored) {
          // L1.3 checks close; a failing close must not hide the rule that actually failed
        }
      }
      stores.clear();
    }
  }

  /** {@code rel} under this test's private prefix. */
  protected final String key(String rel) {
    return prefix + rel;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static void expectValue(Optional<Versioned> got, byte[] value, long version, String rule, String what,
      String check) {
    Check.that(got != null && got.isPresent(), rule,
        () -> what + " returned empty; expected v" + version + " " + Check.bytes(value), check);
    Check.that(got.get().version() == version && Arrays.equals(got.get().value(), value), rule,
        () -> what + " returned " + got.get() + "; expected v" + version + " " + Check.bytes(value), check);
  }

  private static void expectAbsent(Optional<Versioned> got, String rule, String what, String check) {
    Check.that(got != null && got.isEmpty(), rule, () -> what + " returned " + got + "; expected empty", check);
  }

  // ---------------------------------------------------------------- L1 registration and clients

  @Test
  void required_L1_1_providerIsRegisteredForScheme() {
    String scheme = HadbUri.parse(uri()).scheme();
    Map<String, List<LeaseStoreProvider>> all = LeaseStores.registry().providersByScheme();
    Check.that(all.containsKey(scheme), "L1.1",
        () -> "ServiceLoader found no available LeaseStoreProvider for scheme '" + scheme + ":' (schemes found: "
            + all.keySet() + ")",
        "annotate the provider with @AutoService(LeaseStoreProvider.class) or list it in"
            + " META-INF/services/io.hadb.api.LeaseStoreProvider; it needs a public no-arg constructor,"
            + " scheme() must return '" + scheme + "' and isAvailable() must be true");
    LeaseStore s = open();
    long v = Check.won(s.create(key("registered"), utf8("yes")), "L1.1", "create on a freshly opened client",
        "a client opened through LeaseStores.open must work at once");
    expectValue(s.read(key("registered")), utf8("yes"), v, "L1.1", "read after create",
        "a client opened through LeaseStores.open must work at once");
  }

  @Test
  void required_L1_2_clientsOfOneUriShareRegisters() {
    String check = "two clients opened from the same URI (or from the URIs of clientUris(), which may differ in"
        + " client settings) must share one namespace and read each other's values byte for byte (for mem:,"
        + " opening mem://name twice in one JVM gives the same registers)";
    List<String> uris = clientUris();
    for (int i = 0; i < uris.size(); i++) {
      for (int j = 0; j < uris.size(); j++) {
        LeaseStore a = open(uris.get(i));
        LeaseStore b = open(uris.get(j));
        String pair = uris.size() == 1 ? "" : " (A from " + HadbUri.redact(uris.get(i)) + ", B from "
            + HadbUri.redact(uris.get(j)) + ")";
        String k = key("shared/" + i + "-" + j);
        long v = Check.won(a.create(k, utf8("from a")), "L1.2", "create via client A" + pair, check);
        expectValue(b.read(k), utf8("from a"), v, "L1.2", "client B's read of A's register" + pair, check);
        long v2 = Check.won(b.compareAndSet(k, v, utf8("from b")), "L1.2", "client B's compareAndSet" + pair, check);
        expectValue(a.read(k), utf8("from b"), v2, "L1.2", "client A's read of B's write" + pair, check);
      }
    }
  }

  @Test
  void required_L1_3_closedClientThrowsClosed() {
    LeaseStore s = open();
    long v = s.create(key("x"), utf8("x")).version();
    s.close();
    String check = "after close() every call must throw HadbException(CLOSED) before touching the store";
    Check.rejects(ErrorCode.CLOSED, "L1.3", "read after close", () -> s.read(key("x")), check, "closed");
    Check.rejects(ErrorCode.CLOSED, "L1.3", "create after close", () -> s.create(key("y"), utf8("y")), check, "closed");
    Check.rejects(ErrorCode.CLOSED, "L1.3", "compareAndSet after close",
        () -> s.compareAndSet(key("x"), v, utf8("z")), check, "closed");
    Check.rejects(ErrorCode.CLOSED, "L1.3", "delete after close", () -> s.delete(key("x"), v), check, "closed");
    Check.noThrow("L1.3", "a second close()", () -> {
      s.close();
      return null;
    }, "close() must be idempotent");
  }

  @Test
  void required_L1_4_closingOneClientLeavesOthersWorking() {
    LeaseStore a = open();
    LeaseStore b = open();
    String check = "close() ends one client only; the namespace and every other client of the URI keep working";
    long v = Check.won(a.create(key("kept"), utf8("kept")), "L1.4", "create", check);
    a.close();
    expectValue(b.read(key("kept")), utf8("kept"), v, "L1.4", "another client's read after the writer closed", check);
    long v2 = Check.won(b.compareAndSet(key("kept"), v, utf8("b")), "L1.4", "compareAndSet by another client", check);
    LeaseStore c = open();
    expectValue(c.read(key("kept")), utf8("b"), v2, "L1.4", "a client opened after another closed", check);
  }

  // ---------------------------------------------------------------- L2 register semantics

  @Test
  void required_L2_1_readOfAbsentKeyIsEmpty() {
    LeaseStore s = open();
    expectAbsent(s.read(key("never/written")), "L2.1", "read of a never-written key",
        "an absent register is Optional.empty(), not an exception or an empty value");
  }

  @Test
  void required_L2_2_createOnAbsentKeyWins() {
    LeaseStore s = open();
    String check = "create on an absent key wins with a version > 0 and stores the value";
    long v = Check.won(s.create(key("c"), utf8("hello")), "L2.2", "create on an absent key", check);
    Check.that(v > 0, "L2.2", () -> "create won with version " + v + "; versions are > 0", check);
    expectValue(s.read(key("c")), utf8("hello"), v, "L2.2", "read after create", check);
  }

  @Test
  void required_L2_3_createOnExistingKeyLoses() {
    LeaseStore s = open();
    String check = "create on an existing key returns CasResult.lost() (not an exception) and changes nothing;"
        + " it must never overwrite";
    long v = Check.won(s.create(key("c"), utf8("first")), "L2.3", "create on an absent key", check);
    Check.lost(s.create(key("c"), utf8("second")), "L2.3", "create on an existing key", check);
    expectValue(s.read(key("c")), utf8("first"), v, "L2.3", "read after a losing create", check);
    long v2 = Check.won(s.compareAndSet(key("c"), v, utf8("third")), "L2.3", "compareAndSet from the current version", check);
    Check.lost(s.create(key("c"), utf8("fourth")), "L2.3", "create on a key written by compareAndSet", check);
    expectValue(s.read(key("c")), utf8("third"), v2, "L2.3", "read after a second losing create", check);
  }

  @Test
  void required_L2_4_casFromCurrentVersionWins() {
    LeaseStore s = open();
    String check = "compareAndSet from the current version wins, returns a new, greater version and stores the"
        + " value; a value equal to the stored one is a write like any other (a store that answers 'won' at"
        + " the current version without writing lets two clients win from one version)";
    long v = Check.won(s.create(key("r"), utf8("a")), "L2.4", "create", check);
    long v2 = Check.won(s.compareAndSet(key("r"), v, utf8("b")), "L2.4", "compareAndSet(v" + v + ")", check);
    expectValue(s.read(key("r")), utf8("b"), v2, "L2.4", "read after compareAndSet", check);
    long v3 = Check.won(s.compareAndSet(key("r"), v2, new byte[0]), "L2.4", "compareAndSet(v" + v2 + ") to an empty value",
        check);
    expectValue(s.read(key("r")), new byte[0], v3, "L2.4", "read after compareAndSet to an empty value", check);
    long v4 = Check.won(s.compareAndSet(key("r"), v3, new byte[0]), "L2.4",
        "compareAndSet(v" + v3 + ") with the value already stored", check);
    Check.that(v4 > v3, "L2.4", () -> "compareAndSet(v" + v3 + ") with the value already stored won at v" + v4
        + ", not a new version", check);
    expectValue(s.read(key("r")), new byte[0], v4, "L2.4", "read after compareAndSet with the same value", check);
    Check.lost(s.compareAndSet(key("r"), v3, utf8("second winner")), "L2.4",
        "a second compareAndSet(v" + v3 + ") after the first one won", check);
    expectValue(s.read(key("r")), new byte[0], v4, "L2.4", "read after the second compareAndSet from one version",
        check);
  }

  @Test
  void required_L2_5_casFromOtherVersionLoses() {
    LeaseStore s = open();
    String check = "compareAndSet whose expected version is not the current one (stale, future, or the key is"
        + " absent) returns CasResult.lost(), not an exception, and changes nothing";
    Check.lost(s.compareAndSet(key("absent"), 1, utf8("x")), "L2.5", "compareAndSet on an absent key", check);
    expectAbsent(s.read(key("absent")), "L2.5", "read after a losing compareAndSet on an absent key", check);
    long v = Check.won(s.create(key("r"), utf8("a")), "L2.5", "create", check);
    long v2 = Check.won(s.compareAndSet(key("r"), v, utf8("b")), "L2.5", "compareAndSet", check);
    Check.lost(s.compareAndSet(key("r"), v, utf8("stale")), "L2.5", "compareAndSet from the stale v" + v, check);
    Check.lost(s.compareAndSet(key("r"), v2 + 1, utf8("future")), "L2.5", "compareAndSet from the future v" + (v2 + 1), check);
    Check.lost(s.compareAndSet(key("r"), Long.MAX_VALUE, utf8("max")), "L2.5", "compareAndSet from Long.MAX_VALUE", check);
    expectValue(s.read(key("r")), utf8("b"), v2, "L2.5", "read after losing compareAndSets", check);
  }

  @Test
  void required_L2_6_deleteFromCurrentVersionWins() {
    LeaseStore s = open();
    String check = "delete from the current version wins, reports the deleted version, and the key reads empty";
    long v = Check.won(s.create(key("d"), utf8("a")), "L2.6", "create", check);
    long dv = Check.won(s.delete(key("d"), v), "L2.6", "delete(v" + v + ")", check);
    Check.equal(v, dv, "L2.6", "version reported by a won delete", check);
    expectAbsent(s.read(key("d")), "L2.6", "read after delete", check);
    Check.lost(s.compareAndSet(key("d"), v, utf8("b")), "L2.6", "compareAndSet on a deleted key", check);
  }

  @Test
  void required_L2_7_deleteFromOtherVersionLoses() {
    LeaseStore s = open();
    String check = "delete is conditional, never blind: from a stale or future version, or on an absent key, it"
        + " returns CasResult.lost() and the register is unchanged";
    Check.lost(s.delete(key("absent"), 1), "L2.7", "delete on an absent key", check);
    long v = Check.won(s.create(key("d"), utf8("a")), "L2.7", "create", check);
    long v2 = Check.won(s.compareAndSet(key("d"), v, utf8("b")), "L2.7", "compareAndSet", check);
    Check.lost(s.delete(key("d"), v), "L2.7", "delete from the stale v" + v, check);
    Check.lost(s.delete(key("d"), v2 + 1), "L2.7", "delete from the future v" + (v2 + 1), check);
    expectValue(s.read(key("d")), utf8("b"), v2, "L2.7", "read after losing deletes", check);
  }

  @Test
  void required_L2_8_valuesRoundTripExactly() {
    LeaseStore s = open();
    String check = "values are stored byte for byte: empty, every byte value, up to LeaseStore.MAX_VALUE_BYTES ("
        + LeaseStore.MAX_VALUE_BYTES + "); the caller's arrays are copied in and out";
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    byte[] max = new byte[LeaseStore.MAX_VALUE_BYTES];
    new Random(3).nextBytes(max);
    Map<String, byte[]> values = Map.of("empty", new byte[0], "all-bytes", all, "max", max);
    for (Map.Entry<String, byte[]> e : values.entrySet()) {
      byte[] value = e.getValue().clone();
      long v = Check.won(s.create(key(e.getKey()), value), "L2.8", "create of '" + e.getKey() + "'", check);
      Arrays.fill(value, (byte) 0x55);
      expectValue(s.read(key(e.getKey())), e.getValue(), v, "L2.8",
          "read of '" + e.getKey() + "' (after the caller changed its array)", check);
      byte[] again = e.getValue().clone();
      long v2 = Check.won(s.compareAndSet(key(e.getKey()), v, again), "L2.8", "compareAndSet of '" + e.getKey() + "'", check);
      Arrays.fill(again, (byte) 0x77);
      Check.that(v2 > v, "L2.8", () -> "compareAndSet(v" + v + ") of the same bytes won at v" + v2
          + ", not a new version", check);
      expectValue(s.read(key(e.getKey())), e.getValue(), v2, "L2.8", "read after compareAndSet of '" + e.getKey()
          + "' (after the caller changed its array)", check);
    }
  }

  @Test
  void required_L2_9_relatedKeysAreIndependent() {
    LeaseStore s = open();
    String check = "keys are opaque: 'x', 'x/y', 'x-y' and 'xy' are four separate registers; writing or deleting"
        + " one never changes another";
    List<String> names = List.of("x", "x/y", "x-y", "xy");
    Map<String, Long> versions = new java.util.HashMap<>();
    for (String n : names) {
      versions.put(n, Check.won(s.create(key(n), utf8(n)), "L2.9", "create of '" + n + "'", check));
    }
    long vx = Check.won(s.compareAndSet(key("x"), versions.get("x"), utf8("x2")), "L2.9", "compareAndSet of 'x'", check);
    Check.won(s.delete(key("x/y"), versions.get("x/y")), "L2.9", "delete of 'x/y'", check);
    expectValue(s.read(key("x")), utf8("x2"), vx, "L2.9", "read of 'x'", check);
    expectAbsent(s.read(key("x/y")), "L2.9", "read of deleted 'x/y'", check);
    expectValue(s.read(key("x-y")), utf8("x-y"), versions.get("x-y"), "L2.9", "read of 'x-y'", check);
    expectValue(s.read(key("xy")), utf8("xy"), versions.get("xy"), "L2.9", "read of 'xy'", check);
    Check.won(s.delete(key("x"), vx), "L2.9", "delete of 'x'", check);
    expectAbsent(s.read(key("x")), "L2.9", "read of deleted 'x' (while 'x-y' and 'xy' exist)", check);
    expectValue(s.read(key("x-y")), utf8("x-y"), versions.get("x-y"), "L2.9", "read of 'x-y' after deleting 'x'", check);
    Check.won(s.create(key("p/q"), utf8("p/q")), "L2.9", "create of 'p/q'", check);
    expectAbsent(s.read(key("p")), "L2.9", "read of 'p' (only 'p/q' was written)", check);
    Check.won(s.create(key("p"), utf8("p")), "L2.9", "create of 'p' while 'p/q' exists", check);
  }

  @Test
  void required_L2_10_readAfterWriteAcrossClients() {
    LeaseStore a = open();
    LeaseStore b = open();
    String check = "a completed write by one client is seen by the next read of every other client; a client"
        + " must not answer from a cache another client's write can make stale";
    long v1 = Check.won(a.create(key("raw"), utf8("v1")), "L2.10", "create via A", check);
    expectValue(b.read(key("raw")), utf8("v1"), v1, "L2.10", "B's read after A's create", check);
    long v2 = Check.won(a.compareAndSet(key("raw"), v1, utf8("v2")), "L2.10", "compareAndSet via A", check);
    expectValue(b.read(key("raw")), utf8("v2"), v2, "L2.10", "B's read after A's compareAndSet", check);
    Check.won(a.delete(key("raw"), v2), "L2.10", "delete via A", check);
    expectAbsent(b.read(key("raw")), "L2.10", "B's read after A's delete", check);
    long v3 = Check.won(b.create(key("raw"), utf8("v3")), "L2.10", "create via B after A's delete", check);
    expectValue(a.read(key("raw")), utf8("v3"), v3, "L2.10", "A's read after B's create", check);
  }

  // ---------------------------------------------------------------- L3 versions

  @Test
  void required_L3_1_versionsArePositiveAndIncrease() {
    LeaseStore s = open();
    String check = "every successful write gives the key a version > 0 and greater than its previous one";
    long v = Check.won(s.create(key("mono"), utf8("0")), "L3.1", "create", check);
    Check.that(v > 0, "L3.1", () -> "create won with version " + v, check);
    long prev = v;
    for (int i = 1; i <= 20; i++) {
      long next = Check.won(s.compareAndSet(key("mono"), prev, utf8(Integer.toString(i))), "L3.1",
          "compareAndSet #" + i, check);
      long p = prev;
      Check.that(next > p, "L3.1", () -> "compareAndSet from v" + p + " won with v" + next, check);
      prev = next;
    }
  }

  @Test
  void required_L3_2_versionsIncreaseAcrossDeleteAndRecreate() {
    LeaseStore a = open();
    LeaseStore b = open();
    String check = "a version is never reused for a key, even after delete: create after delete must return a"
        + " version greater than any the key ever had (the coordinator uses it as a fencing epoch; a per-key"
        + " counter that restarts on delete breaks fencing)";
    long highest = 0;
    for (int cycle = 0; cycle < 8; cycle++) {
      LeaseStore s = cycle % 2 == 0 ? a : b;
      long created = Check.won(s.create(key("epoch"), utf8("c" + cycle)), "L3.2", "create #" + cycle, check);
      long h = highest;
      int c = cycle;
      Check.that(created > h, "L3.2",
          () -> "create #" + c + " after delete won with v" + created + ", not greater than v" + h
              + " the key had before", check);
      long current = created;
      if (cycle % 3 == 1) {
        current = Check.won(s.compareAndSet(key("epoch"), created, utf8("w" + cycle)), "L3.2", "compareAndSet", check);
      }
      Check.won((cycle % 2 == 0 ? b : a).delete(key("epoch"), current), "L3.2", "delete #" + cycle, check);
      highest = current;
    }
  }

  @Test
  void required_L3_3_wonVersionMatchesRead() {
    LeaseStore s = open();
    String check = "the version in CasResult.won is the one read() then reports, and a won delete reports the"
        + " version it deleted";
    long v = Check.won(s.create(key("m"), utf8("a")), "L3.3", "create", check);
    Check.equal(v, s.read(key("m")).map(Versioned::version).orElse(-1L), "L3.3", "read().version after create", check);
    long v2 = Check.won(s.compareAndSet(key("m"), v, utf8("b")), "L3.3", "compareAndSet", check);
    Check.equal(v2, s.read(key("m")).map(Versioned::version).orElse(-1L), "L3.3",
        "read().version after compareAndSet", check);
    Check.equal(v2, Check.won(s.delete(key("m"), v2), "L3.3", "delete", check), "L3.3", "version of a won delete", check);
  }

  // ---------------------------------------------------------------- L4 concurrency

  private List<LeaseStore> openClients(int n) {
    List<LeaseStore> clients = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      clients.add(open());
    }
    return clients;
  }

  private static <T> void noErrors(List<Race.Outcome<T>> out, String rule, String check) {
    RacerFailure.check(out, rule, check, "CasResult.lost()");
  }

  private static void checkLinearizable(HistoryRecorder<LeaseOp> rec, String rule, String check) {
    for (Map.Entry<String, List<Operation<LeaseOp>>> e : rec.byKey().entrySet()) {
      LinearizabilityChecker.Result res = LinearizabilityChecker.check(new LeaseRegisterSpec(), e.getValue());
      Check.that(res.linearizable(), rule,
          () -> "the recorded history of " + e.getKey() + " (" + res.operations() + " calls) is " + res.verdict()
              + ": " + res.explanation(), check);
    }
  }

  @Test
  void required_L4_1_createRaceHasExactlyOneWinner() {
    int threads = Kit.raceThreads();
    List<LeaseStore> clients = openClients(threads);
    String check = "create must be atomic across clients: of N clients creating one absent key exactly one wins"
        + " (check-then-write is a race); every client then reads the winner's value and version";
    try (Race race = new Race(threads)) {
      for (int round = 0; round < Kit.raceRounds(); round++) {
        String k = key("create-race/" + round);
        HistoryRecorder<LeaseOp> rec = new HistoryRecorder<>();
        List<Race.Outcome<CasResult>> out = race.run("L4.1", i -> () -> {
          byte[] value = utf8("racer " + i);
          CasResult r = rec.record(i, k, () -> clients.get(i).create(k, value), res -> LeaseOp.Create.of(value, res));
          rec.record(i, k, () -> clients.get(i).read(k), LeaseOp.Read::of);
          return r;
        });
        noErrors(out, "L4.1", check);
        List<Integer> winners = out.stream().filter(o -> o.value().isWon()).map(Race.Outcome::racer).toList();
        int r = round;
        Check.that(winners.size() == 1, "L4.1", () -> winners.size() + " of " + threads
            + " clients won create of one absent key in round " + r + " (winners: " + winners + ")", check);
        int w = winners.get(0);
        for (int i = 0; i < threads; i++) {
          expectValue(clients.get(i).read(k), utf8("racer " + w), out.get(w).value().version(), "L4.1",
              (i == w ? "the winner's" : "loser " + i + "'s") + " read after round " + r, check);
        }
        checkLinearizable(rec, "L4.1", check);
      }
    }
  }

  @Test
  void required_L4_2_casRaceHasExactlyOneWinner() {
    int threads = Kit.raceThreads();
    List<LeaseStore> clients = openClients(threads);
    String check = "compareAndSet must compare and write in one atomic step across clients: of N clients racing"
        + " from the same version exactly one wins (a read-compare-write without a server-side condition lets"
        + " several win and silently loses updates)";
    String k = key("cas-race");
    long version = Check.won(clients.get(0).create(k, utf8("start")), "L4.2", "create", check);
    String current = "start";
    try (Race race = new Race(threads)) {
      for (int round = 0; round < Kit.raceRounds(); round++) {
        long from = version;
        LeaseRegisterSpec.State before = new LeaseRegisterSpec.State(Optional.of(current), from, from);
        HistoryRecorder<LeaseOp> rec = new HistoryRecorder<>();
        int r = round;
        List<Race.Outcome<CasResult>> out = race.run("L4.2", i -> () -> {
          byte[] value = utf8("round " + r + " racer " + i);
          return rec.record(i, k, () -> clients.get(i).compareAndSet(k, from, value),
              res -> LeaseOp.Cas.of(from, value, res));
        });
        noErrors(out, "L4.2", check);
        List<Integer> winners = out.stream().filter(o -> o.value().isWon()).map(Race.Outcome::racer).toList();
        Check.that(winners.size() == 1, "L4.2", () -> winners.size() + " of " + threads
            + " clients won compareAndSet from v" + from + " in round " + r + " (winners: " + winners + ")", check);
        int w = winners.get(0);
        version = out.get(w).value().version();
        long v = version;
        Check.that(v > from, "L4.2", () -> "the winner's version v" + v + " is not greater than v" + from, check);
        expectValue(clients.get((w + 1) % threads).read(k), utf8("round " + r + " racer " + w), version, "L4.2",
            "a loser's read after the race", check);
        current = "round " + r + " racer " + w;
        LinearizabilityChecker.Result res =
            LinearizabilityChecker.check(new LeaseRegisterSpec(before), rec.byKey().get(k));
        Check.that(res.linearizable(), "L4.2", () -> "the race history is " + res.verdict() + ": " + res.explanation(),
            check);
      }
    }
  }

  @Test
  void required_L4_3_deleteRaceHasExactlyOneWinner() {
    int threads = Kit.raceThreads();
    List<LeaseStore> clients = openClients(threads);
    String check = "delete must be conditional and atomic: of N clients deleting one version exactly one wins";
    try (Race race = new Race(threads)) {
      for (int round = 0; round < Kit.raceRounds(); round++) {
        String k = key("delete-race/" + round);
        long v = Check.won(clients.get(0).create(k, utf8("doomed")), "L4.3", "create", check);
        List<Race.Outcome<CasResult>> out = race.run("L4.3", i -> () -> clients.get(i).delete(k, v));
        noErrors(out, "L4.3", check);
        long wins = out.stream().filter(o -> o.value().isWon()).count();
        int r = round;
        Check.that(wins == 1, "L4.3", () -> wins + " of " + threads + " clients won delete of v" + v + " in round " + r,
            check);
        expectAbsent(clients.get(threads - 1).read(k), "L4.3", "read after the race", check);
      }
    }
  }

  @Test
  void required_L4_4_concurrentHistoryIsLinearizable() {
    int threads = Kit.raceThreads();
    List<LeaseStore> clients = openClients(threads);
    String check = "every call must take effect atomically at one instant between its call and its return, as seen"
        + " by all clients: no two wins from one version, no stale read after a completed write, no version reuse";
    try (Race race = new Race(threads)) {
      for (int round = 0; round < Math.max(2, Kit.raceRounds() / 2); round++) {
        HistoryRecorder<LeaseOp> rec = new HistoryRecorder<>();
        List<String> keys = List.of(key("lin/" + round + "/a"), key("lin/" + round + "/b"));
        List<Race.Outcome<Integer>> out = race.run("L4.4", i -> () -> {
          LeaseStore c = clients.get(i);
          Random rnd = new Random(i * 7919L + System.nanoTime());
          int ops = 0;
          for (int n = 0; n < 4; n++) {
            String k = keys.get(rnd.nextInt(keys.size()));
            Optional<Versioned> seen = rec.record(i, k, () -> c.read(k), LeaseOp.Read::of);
            ops++;
            byte[] value = utf8("p" + i + "-" + n);
            if (seen.isEmpty()) {
              rec.record(i, k, () -> c.create(k, value), res -> LeaseOp.Create.of(value, res));
            } else if (rnd.nextInt(4) == 0) {
              long v = seen.get().version();
              rec.record(i, k, () -> c.delete(k, v), res -> LeaseOp.Delete.of(v, res));
            } else {
              long v = seen.get().version();
              rec.record(i, k, () -> c.compareAndSet(k, v, value), res -> LeaseOp.Cas.of(v, value, res));
            }
            ops++;
          }
          return ops;
        });
        noErrors(out, "L4.4", check);
        checkLinearizable(rec, "L4.4", check);
      }
    }
  }

  @Test
  void required_L4_5_concurrentIncrementsLoseNoUpdate() {
    int threads = Kit.raceThreads();
    int perThread = 4;
    List<LeaseStore> clients = openClients(threads);
    String check = "N clients each adding 1 with read + compareAndSet (retrying on lost) must end at exactly N x"
        + " increments; fewer means a compareAndSet won against a version that was no longer current"
        + " (a lost update), for example by checking a client-side cached version";
    String k = key("counter");
    Check.won(clients.get(0).create(k, utf8("0")), "L4.5", "create", check);
    Set<Long> wonVersions = Collections.synchronizedSet(new HashSet<>());
    try (Race race = new Race(threads)) {
      List<Race.Outcome<Integer>> out = race.run("L4.5", i -> () -> {
        LeaseStore c = clients.get(i);
        int attempts = 0;
        for (int done = 0; done < perThread; ) {
          if (++attempts > 20_000) {
            throw new KitFinding("20000 read + compareAndSet attempts in a row lost: compareAndSet from the"
                + " version just read keeps losing (livelock, or a read that does not return the current version)");
          }
          Optional<Versioned> cur = c.read(k);
          if (cur.isEmpty()) {
            throw new KitFinding("the counter register read empty although no client deletes it");
          }
          long n = Long.parseLong(new String(cur.get().value(), StandardCharsets.UTF_8));
          // A moment between read and write, as a real client has: it lets the increments of
          // different clients interleave even on a store fast enough to serialize them by luck.
          LockSupport.parkNanos(ThreadLocalRandom.current().nextLong(20_000, 200_000));
          CasResult r = c.compareAndSet(k, cur.get().version(), utf8(Long.toString(n + 1)));
          if (r.isWon()) {
            if (!wonVersions.add(r.version())) {
              throw new KitFinding("compareAndSet answered Check.won(v" + r.version() + ") to two clients: version v"
                  + r.version() + " was won twice, so one increment was lost");
            }
            done++;
          }
        }
        return attempts;
      });
      noErrors(out, "L4.5", check);
    }
    Optional<Versioned> end = clients.get(0).read(k);
    long expected = (long) threads * perThread;
    Check.that(end.isPresent(), "L4.5", () -> "the counter is gone", check);
    long got = Long.parseLong(new String(end.get().value(), StandardCharsets.UTF_8));
    Check.that(got == expected, "L4.5", () -> threads + " clients x " + perThread + " won increments left the counter at "
        + got + " instead of " + expected + " (" + (expected - got) + " updates lost)", check);
  }

  // ---------------------------------------------------------------- L5 model-based sequences

  private final List<LeaseStore> modelClients = Collections.synchronizedList(new ArrayList<>());

  @Test
  void required_L5_1_actionSequencesMatchModel() {
    Property.named("L5.1 action sequences").tries(Kit.tries()).check(choices -> {
      try {
        new LeaseModelRun(this::openForModel).play(choices);
      } finally {
        closeAll(modelClients);
      }
    });
  }

  private LeaseStore openForModel() {
    List<String> uris = clientUris();
    LeaseStore s = LeaseStores.open(uris.get(Math.floorMod(nextUri.getAndIncrement(), uris.size())));
    modelClients.add(s);
    return s;
  }

  // ---------------------------------------------------------------- L6 bad input

  @Test
  void required_L6_1_nullArgumentsRejected() {
    LeaseStore s = open();
    String check = "a null key or value must throw HadbException(INVALID_ARGUMENT) naming it, before anything is sent";
    String k = key("n");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.1", "read(null)", () -> s.read(null), check, "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.1", "create(null, value)", () -> s.create(null, utf8("x")), check,
        "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.1", "create(key, null)", () -> s.create(k, null), check, "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.1", "compareAndSet(null, 1, value)",
        () -> s.compareAndSet(null, 1, utf8("x")), check, "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.1", "compareAndSet(key, 1, null)",
        () -> s.compareAndSet(k, 1, null), check, "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.1", "delete(null, 1)", () -> s.delete(null, 1), check, "null");
    expectAbsent(s.read(k), "L6.1", "read after a rejected create(key, null)", check);
  }

  /** Keys every store must refuse (see {@link Keys}). */
  protected List<String> invalidKeys() {
    return List.of("", key("a//b"), "/" + key("a"), key("a/"), key("a/../b"), key("./a"), key("a b"), key("a:b"),
        key("x") + "/" + "s".repeat(Keys.MAX_SEGMENT_LENGTH + 1),
        key(("seg" + "x".repeat(150) + "/").repeat(7) + "end"));
  }

  @Test
  void required_L6_2_invalidKeysRejected() {
    LeaseStore s = open();
    String check = "keys must follow io.hadb.api.Keys (no empty, '.' or '..' segment, no leading or trailing '/',"
        + " only A-Z a-z 0-9 . _ - = + , @, at most " + Keys.MAX_KEY_LENGTH + " characters); a bad key throws"
        + " INVALID_ARGUMENT naming the key problem before anything is sent";
    for (String bad : invalidKeys()) {
      String shown = bad.length() > 60 ? bad.substring(0, 60) + "…(" + bad.length() + " chars)" : bad;
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.2", "read(\"" + shown + "\")", () -> s.read(bad), check, "key");
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.2", "create(\"" + shown + "\")", () -> s.create(bad, utf8("x")),
          check, "key");
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.2", "compareAndSet(\"" + shown + "\")",
          () -> s.compareAndSet(bad, 1, utf8("x")), check, "key");
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.2", "delete(\"" + shown + "\")", () -> s.delete(bad, 1), check,
          "key");
    }
    expectAbsent(s.read(key("b")), "L6.2", "read of 'b' after a rejected create of 'a/../b'", check);
  }

  @Test
  void required_L6_3_oversizedValueRejected() {
    LeaseStore s = open();
    String check = "values over LeaseStore.MAX_VALUE_BYTES (" + LeaseStore.MAX_VALUE_BYTES + ") throw INVALID_ARGUMENT"
        + " naming the value size (LeaseStore.checkValue) and change nothing";
    byte[] big = new byte[LeaseStore.MAX_VALUE_BYTES + 1];
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.3", "create with " + big.length + " bytes",
        () -> s.create(key("big"), big), check, "value");
    expectAbsent(s.read(key("big")), "L6.3", "read after a rejected create", check);
    long v = Check.won(s.create(key("big"), utf8("small")), "L6.3", "create with a small value", check);
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.3", "compareAndSet with " + big.length + " bytes",
        () -> s.compareAndSet(key("big"), v, big), check, "value");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.3", "compareAndSet with 1 MiB",
        () -> s.compareAndSet(key("big"), v, new byte[1 << 20]), check, "value");
    expectValue(s.read(key("big")), utf8("small"), v, "L6.3", "read after rejected compareAndSets", check);
  }

  @Test
  void required_L6_4_nonPositiveExpectedVersionRejected() {
    LeaseStore s = open();
    String check = "versions start at 1, so an expected version <= 0 is a caller bug: compareAndSet and delete throw"
        + " INVALID_ARGUMENT naming the version (LeaseStore.checkVersion), they do not just lose";
    long v = Check.won(s.create(key("v"), utf8("a")), "L6.4", "create", check);
    for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.4", "compareAndSet(key, " + bad + ", value)",
          () -> s.compareAndSet(key("v"), bad, utf8("b")), check, "version");
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "L6.4", "delete(key, " + bad + ")", () -> s.delete(key("v"), bad),
          check, "version");
    }
    expectValue(s.read(key("v")), utf8("a"), v, "L6.4", "read after rejected calls", check);
  }

  // ---------------------------------------------------------------- L7 optional capabilities

  /**
   * Watches {@code key}, or skips the rule with the reason when the store offers no watch
   * ({@link LeaseStore#watch} returned empty): optional rules hold for stores that have the
   * capability and do not count against those that do not.
   */
  private static Subscription watchOrSkip(LeaseStore s, String key, Runnable onChange) {
    Optional<Subscription> sub = s.watch(key, onChange);
    Assumptions.assumeTrue(sub.isPresent(), "the store offers no watch (watch() returned empty); callers poll");
    return sub.get();
  }

  private static void awaitCallback(WatchCounter calls, int seen, String rule, String after, String check) {
    Check.that(calls.awaitMoreThan(seen, Kit.watchSeconds() * 1000L), rule,
        () -> "no watch callback within " + Kit.watchSeconds() + " s after " + after + " (callbacks so far: "
            + calls.calls() + ")", check);
  }

  /** One write of the L7.1 sequence and what the watcher must read once told of it. */
  private record WatchedWrite(String what, java.util.function.Supplier<CasResult> write, byte[] valueAfter) {}

  @Test
  void optional_L7_1_watchFiresOnEveryWriteAndDelete() {
    LeaseStore watcher = open();
    LeaseStore writer = open();
    String k = key("watched");
    String check = "a watch calls back after every write and every delete of its key, each time once the change"
        + " is visible: a reader told of a change then reads it (callbacks may be spurious or coalesced, never"
        + " missing or early)";
    WatchCounter calls = new WatchCounter();
    Subscription sub = watchOrSkip(watcher, k, calls);
    try {
      long[] v = new long[1];
      List<WatchedWrite> writes = List.of(
          new WatchedWrite("create", () -> writer.create(k, utf8("one")), utf8("one")),
          new WatchedWrite("compareAndSet", () -> writer.compareAndSet(k, v[0], utf8("two")), utf8("two")),
          new WatchedWrite("compareAndSet with the same value", () -> writer.compareAndSet(k, v[0], utf8("two")),
              utf8("two")),
          new WatchedWrite("delete", () -> writer.delete(k, v[0]), null),
          new WatchedWrite("create after delete", () -> writer.create(k, utf8("three")), utf8("three")),
          new WatchedWrite("delete", () -> writer.delete(k, v[0]), null));
      for (WatchedWrite w : writes) {
        int seen = calls.calls();
        long version = Check.won(w.write().get(), "L7.1", w.what(), check);
        awaitCallback(calls, seen, "L7.1", "another client's " + w.what() + " (v" + version + ")", check);
        if (w.valueAfter() == null) {
          expectAbsent(watcher.read(k), "L7.1", "the watcher's read after the callback for " + w.what(), check);
        } else {
          expectValue(watcher.read(k), w.valueAfter(), version, "L7.1",
              "the watcher's read after the callback for " + w.what(), check);
        }
        v[0] = version;
      }
    } finally {
      sub.close();
    }
  }

  @Test
  void optional_L7_2_watchStopsAfterClose() throws InterruptedException {
    LeaseStore watcher = open();
    LeaseStore other = open();
    LeaseStore writer = open();
    String k = key("unwatched");
    String check = "after Subscription.close() (closing twice is harmless), and after close() of the client that"
        + " watched, no callback runs for later writes";
    WatchCounter closed = new WatchCounter();
    WatchCounter control = new WatchCounter();
    WatchCounter ofClosedClient = new WatchCounter();
    Subscription sub = watchOrSkip(watcher, k, closed);
    Subscription clientEnds = watchOrSkip(watcher, k, ofClosedClient);
    Subscription ctl = watchOrSkip(other, k, control);
    try {
      int seen = control.calls();
      long v = Check.won(writer.create(k, utf8("before")), "L7.2", "create", check);
      awaitCallback(control, seen, "L7.2", "a create (control watch)", check);
      awaitCallback(closed, 0, "L7.2", "a create (the watch about to be closed)", check);
      awaitCallback(ofClosedClient, 0, "L7.2", "a create (the watch of the client about to be closed)", check);
      sub.close();
      Check.noThrow("L7.2", "a second Subscription.close()", () -> {
        sub.close();
        return null;
      }, check);
      watcher.close();
      int closedCalls = closed.calls();
      int clientCalls = ofClosedClient.calls();
      for (int i = 0; i < 3; i++) {
        seen = control.calls();
        v = Check.won(writer.compareAndSet(k, v, utf8("after " + i)), "L7.2", "compareAndSet #" + i, check);
        awaitCallback(control, seen, "L7.2", "compareAndSet #" + i + " (control watch)", check);
      }
      // The control watch has heard every write; give a callback of the closed ones the same
      // moment again to arrive before concluding it will not.
      Thread.sleep(200);
      int afterSub = closed.calls() - closedCalls;
      int afterClient = ofClosedClient.calls() - clientCalls;
      Check.that(afterSub == 0, "L7.2", () -> "a closed subscription's callback ran " + afterSub
          + " times for 3 later writes", check);
      Check.that(afterClient == 0, "L7.2", () -> "a watch of a closed client called back " + afterClient
          + " times for 3 later writes", check);
    } finally {
      sub.close();
      clientEnds.close();
      ctl.close();
    }
  }

  @Test
  void optional_L7_3_watchRejectsBadInput() {
    LeaseStore s = open();
    Subscription probe = watchOrSkip(s, key("w"), () -> { });
    probe.close();
    String check = "watch checks its arguments like every other call: a null or invalid key or a null callback"
        + " throws INVALID_ARGUMENT naming it, and after close() watch throws CLOSED";
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L7.3", "watch(null, callback)", () -> s.watch(null, () -> { }), check,
        "null", "key");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L7.3", "watch(\"a//b\", callback)",
        () -> s.watch(key("a//b"), () -> { }), check, "key");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "L7.3", "watch(key, null)", () -> s.watch(key("w"), null), check,
        "null", "onChange", "callback", "listener");
    s.close();
    Check.rejects(ErrorCode.CLOSED, "L7.3", "watch after close", () -> s.watch(key("w"), () -> { }), check, "closed");
  }
}
