package io.hadb.conformance;

import io.hadb.api.BodySource;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbUri;
import io.hadb.api.Keys;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackendProvider;
import io.hadb.api.StorageBackends;
import io.hadb.conformance.gen.Property;
import io.hadb.conformance.internal.Check;
import io.hadb.conformance.internal.GeneratedBody;
import io.hadb.conformance.internal.Kit;
import io.hadb.conformance.internal.PausingBody;
import io.hadb.conformance.internal.Race;
import io.hadb.conformance.internal.RacerFailure;
import io.hadb.conformance.internal.RuleNaming;
import io.hadb.conformance.internal.StorageModelRun;
import io.hadb.conformance.lin.HistoryRecorder;
import io.hadb.conformance.lin.LinearizabilityChecker;
import io.hadb.conformance.lin.ObjectOp;
import io.hadb.conformance.lin.ObjectSpec;
import io.hadb.conformance.lin.Operation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The contract every {@link StorageBackend} plug-in must pass. Subclass it in your tests and
 * return the URI of the store under test:
 *
 * <pre>{@code
 * class MyStorageConformanceTest extends StorageBackendContract {
 *   @Override protected String uri() { return "mystore://bucket/prefix"; }
 * }
 * }</pre>
 *
 * <p>The kit opens its clients with {@link StorageBackends#open(String)}, so the provider must be
 * registered for the URI's scheme. Every test writes under its own random key prefix, so one
 * namespace can be shared by all tests and by re-runs; nothing is cleaned up. Each test is named
 * after the rule of {@code conformance-tests/SPEC.md} it proves ({@code required_S5_1_…}), and a
 * failure says which rule broke and what to check.
 */
@ExtendWith(RuleNaming.class)
public abstract class StorageBackendContract {

  /**
   * URI of the store under test. Every {@code StorageBackends.open(uri())} must return a client of
   * the same namespace (two clients see each other's objects). Called many times; must be cheap.
   */
  protected abstract String uri();

  /**
   * The URIs the kit opens its clients from, in turn: by default {@code uri()} alone. Override it
   * to list URIs of the <em>same namespace</em> with different client settings, so that every
   * rule, the races included, runs clients configured differently. Every URI must name the same
   * objects.
   */
  protected List<String> clientUris() {
    return List.of(uri());
  }

  private final String prefix = Kit.newPrefix();
  private final List<StorageBackend> opened = Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger nextUri = new AtomicInteger();

  /** A new client of the store under test, from the next of {@link #clientUris()}, closed after the test. */
  protected final StorageBackend open() {
    List<String> uris = clientUris();
    return open(uris.get(Math.floorMod(nextUri.getAndIncrement(), uris.size())));
  }

  private StorageBackend open(String u) {
    StorageBackend b;
    try {
      b = StorageBackends.open(u);
    } catch (RuntimeException e) {
      throw Check.failure("S1.1", "StorageBackends.open(\"" + HadbUri.redact(u) + "\") threw " + e,
          "the provider for this scheme must be registered (ServiceLoader) and able to open the URI", e);
    }
    opened.add(b);
    return b;
  }

  @AfterEach
  void closeOpenedClients() {
    synchronized (opened) {
      for (StorageBackend b : opened) {
        try {
          b.close();
        } catch (RuntimeException ignored) {
          // S1.3 checks close; a failing close must not hide the rule that actually failed
        }
      }
      opened.clear();
    }
  }

  /** {@code rel} under this test's private prefix. */
  protected final String key(String rel) {
    return prefix + rel;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static String text(byte[] b) {
    return new String(b, StandardCharsets.UTF_8);
  }

  private static Optional<byte[]> readStream(Optional<InputStream> in) {
    return in.map(s -> {
      try (s) {
        return s.readAllBytes();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static void expectBytes(byte[] expected, Optional<byte[]> actual, String rule, String what, String check) {
    Check.that(actual.isPresent(), rule, () -> what + " returned empty; expected " + Check.bytes(expected), check);
    Check.that(Arrays.equals(expected, actual.get()), rule,
        () -> what + " returned " + Check.bytes(actual.get()) + "; expected " + Check.bytes(expected), check);
  }

  private static List<String> listAllPages(StorageBackend b, String prefix, Optional<String> after, int limit,
      int expectedCount, String rule) {
    List<String> all = new ArrayList<>();
    Optional<String> next = after;
    int pages = 0;
    while (true) {
      ListPage p = b.list(prefix, next, limit);
      int size = p.keys().size();
      Check.that(size <= limit, rule, () -> "list(limit " + limit + ") returned " + size + " keys: " + p.keys(),
          "a page must hold at most 'limit' keys");
      all.addAll(p.keys());
      if (!p.hasMore()) {
        return all;
      }
      pages++;
      int n = pages;
      Check.that(pages <= expectedCount + 2, rule,
          () -> "pagination with limit " + limit + " did not end after " + n + " pages (" + expectedCount
              + " keys exist); keys so far: " + all,
          "nextStartAfter must move forward: list(prefix, nextStartAfter, limit) continues strictly after"
              + " the last key returned, and is empty once the listing is complete");
      next = p.nextStartAfter();
    }
  }

  // ---------------------------------------------------------------- S1 registration and clients

  @Test
  void required_S1_1_providerIsRegisteredForScheme() {
    String scheme = HadbUri.parse(uri()).scheme();
    Map<String, List<StorageBackendProvider>> all = StorageBackends.registry().providersByScheme();
    Check.that(all.containsKey(scheme), "S1.1",
        () -> "ServiceLoader found no available StorageBackendProvider for scheme '" + scheme + ":' (schemes found: "
            + all.keySet() + ")",
        "annotate the provider with @AutoService(StorageBackendProvider.class) or list it in"
            + " META-INF/services/io.hadb.api.StorageBackendProvider; it needs a public no-arg constructor,"
            + " scheme() must return '" + scheme + "' and isAvailable() must be true");
    StorageBackend b = open();
    b.put(key("registered"), utf8("yes"));
    expectBytes(utf8("yes"), b.get(key("registered")), "S1.1", "get after put on a freshly opened client",
        "a client opened through StorageBackends.open must work at once");
  }

  @Test
  void required_S1_2_clientsOfOneUriShareObjects() {
    String check = "two clients opened from the same URI (or from the URIs of clientUris(), which may differ in"
        + " client settings) must share one namespace and read each other's bytes exactly (for mem:, opening"
        + " mem://name twice in one JVM gives the same objects)";
    List<String> uris = clientUris();
    for (int i = 0; i < uris.size(); i++) {
      for (int j = 0; j < uris.size(); j++) {
        StorageBackend a = open(uris.get(i));
        StorageBackend b = open(uris.get(j));
        String pair = uris.size() == 1 ? "" : " (A from " + HadbUri.redact(uris.get(i)) + ", B from "
            + HadbUri.redact(uris.get(j)) + ")";
        String dir = key("shared/" + i + "-" + j + "/");
        a.put(dir + "x", utf8("from a"));
        expectBytes(utf8("from a"), b.get(dir + "x"), "S1.2", "client B's get of an object client A wrote" + pair,
            check);
        Check.equal(List.of(dir + "x"), b.list(dir, Optional.empty(), 10).keys(), "S1.2",
            "client B's listing after client A's put" + pair, check);
      }
    }
  }

  @Test
  void required_S1_3_closedClientThrowsClosed() {
    StorageBackend b = open();
    b.put(key("x"), utf8("x"));
    b.close();
    String check = "after close() every call must throw HadbException(CLOSED) before touching the store";
    Check.rejects(ErrorCode.CLOSED, "S1.3", "get after close", () -> b.get(key("x")), check, "closed");
    Check.rejects(ErrorCode.CLOSED, "S1.3", "getStream after close", () -> b.getStream(key("x")), check, "closed");
    Check.rejects(ErrorCode.CLOSED, "S1.3", "put after close", () -> b.put(key("y"), utf8("y")), check, "closed");
    Check.rejects(ErrorCode.CLOSED, "S1.3", "put(BodySource) after close",
        () -> b.put(key("y"), BodySource.of(utf8("y"))), check, "closed");
    Check.rejects(ErrorCode.CLOSED, "S1.3", "putIfAbsent after close",
        () -> b.putIfAbsent(key("z"), utf8("z")), check, "closed");
    Check.rejects(ErrorCode.CLOSED, "S1.3", "list after close",
        () -> b.list(key(""), Optional.empty(), 10), check, "closed");
    Check.rejects(ErrorCode.CLOSED, "S1.3", "delete after close", () -> b.delete(key("x")), check, "closed");
    Check.noThrow("S1.3", "a second close()", () -> {
      b.close();
      return null;
    }, "close() must be idempotent");
  }

  @Test
  void required_S1_4_closingOneClientLeavesOthersWorking() {
    StorageBackend a = open();
    StorageBackend b = open();
    a.put(key("kept"), utf8("kept"));
    a.close();
    String check = "close() ends one client only; the namespace and every other client of the URI keep working";
    expectBytes(utf8("kept"), b.get(key("kept")), "S1.4", "another client's get after the writer closed", check);
    b.put(key("after"), utf8("after"));
    StorageBackend c = open();
    expectBytes(utf8("kept"), c.get(key("kept")), "S1.4", "a client opened after another closed", check);
    expectBytes(utf8("after"), c.get(key("after")), "S1.4", "a client opened after another closed", check);
  }

  // ---------------------------------------------------------------- S2 objects

  @Test
  void required_S2_1_getOfAbsentKeyIsEmpty() {
    StorageBackend b = open();
    String check = "an absent object is Optional.empty(), not an exception or an empty array";
    Check.that(b.get(key("never/written")).isEmpty(), "S2.1", () -> "get of a never-written key was not empty", check);
    Check.that(b.getStream(key("never/written")).isEmpty(), "S2.1",
        () -> "getStream of a never-written key was not empty", check);
  }

  @Test
  void required_S2_2_putThenGetReturnsSameBytes() {
    StorageBackend b = open();
    byte[] all = new byte[256];
    for (int i = 0; i < 256; i++) {
      all[i] = (byte) i;
    }
    byte[] big = new byte[200_000];
    new Random(42).nextBytes(big);
    String check = "get and getStream must return exactly the bytes written (read-after-write), every byte"
        + " value included, the empty object included";
    Map<String, byte[]> objects = Map.of("empty", new byte[0], "all-bytes", all, "big", big, "text", utf8("hello"));
    for (Map.Entry<String, byte[]> e : objects.entrySet()) {
      b.put(key("bytes/" + e.getKey()), e.getValue());
      expectBytes(e.getValue(), b.get(key("bytes/" + e.getKey())), "S2.2", "get of '" + e.getKey() + "'", check);
      expectBytes(e.getValue(), readStream(b.getStream(key("bytes/" + e.getKey()))), "S2.2",
          "getStream of '" + e.getKey() + "'", check);
      b.put(key("body/" + e.getKey()), BodySource.of(e.getValue()));
      expectBytes(e.getValue(), b.get(key("body/" + e.getKey())), "S2.2",
          "get of '" + e.getKey() + "' written with put(BodySource)", check);
    }
  }

  @Test
  void required_S2_3_putReplacesWholeObject() {
    StorageBackend b = open();
    String check = "put replaces the whole object: no bytes of a longer previous object may remain";
    byte[] longer = new byte[10_000];
    Arrays.fill(longer, (byte) 'L');
    b.put(key("obj"), longer);
    b.put(key("obj"), utf8("short"));
    expectBytes(utf8("short"), b.get(key("obj")), "S2.3", "get after replacing 10000 bytes by 5", check);
    b.put(key("obj"), new byte[0]);
    expectBytes(new byte[0], b.get(key("obj")), "S2.3", "get after replacing by an empty object", check);
    b.put(key("obj"), BodySource.of(longer));
    expectBytes(longer, b.get(key("obj")), "S2.3", "get after replacing by 10000 bytes", check);
  }

  @Test
  void required_S2_4_putIfAbsentCreatesOnlyWhenAbsent() {
    StorageBackend b = open();
    String check = "putIfAbsent writes and returns true only when no object exists; when one exists it returns"
        + " false and leaves the object untouched (losing is a result, not an exception)";
    Check.that(b.putIfAbsent(key("once"), utf8("first")), "S2.4",
        () -> "putIfAbsent on an absent key returned false", check);
    expectBytes(utf8("first"), b.get(key("once")), "S2.4", "get after a successful putIfAbsent", check);
    Check.that(!b.putIfAbsent(key("once"), utf8("second")), "S2.4",
        () -> "putIfAbsent on an existing key returned true", check);
    Check.that(!b.putIfAbsent(key("once"), BodySource.of(utf8("third"))), "S2.4",
        () -> "putIfAbsent(BodySource) on an existing key returned true", check);
    expectBytes(utf8("first"), b.get(key("once")), "S2.4", "get after two losing putIfAbsent calls", check);
    Check.that(!b.putIfAbsent(key("once"), utf8("first")), "S2.4",
        () -> "putIfAbsent with the bytes already stored returned true", check + "; the same bytes are no exception"
            + " (only this call's own earlier attempt, verified by the store, may count as created)");
    b.delete(key("once"));
    Check.that(b.putIfAbsent(key("once"), BodySource.of(utf8("again"))), "S2.4",
        () -> "putIfAbsent after delete returned false", check);
    expectBytes(utf8("again"), b.get(key("once")), "S2.4", "get after putIfAbsent on a deleted key", check);
  }

  @Test
  void required_S2_5_deleteRemovesAndIsIdempotent() {
    StorageBackend b = open();
    String check = "delete removes the object for get, getStream and list; deleting an absent key is not an error";
    b.put(key("gone"), utf8("x"));
    b.delete(key("gone"));
    Check.that(b.get(key("gone")).isEmpty(), "S2.5", () -> "get after delete was not empty", check);
    Check.that(b.getStream(key("gone")).isEmpty(), "S2.5", () -> "getStream after delete was not empty", check);
    Check.that(b.list(key(""), Optional.empty(), 10).keys().isEmpty(), "S2.5",
        () -> "list after delete still shows the key", check);
    Check.noThrow("S2.5", "delete of a deleted key", () -> {
      b.delete(key("gone"));
      return null;
    }, check);
    Check.noThrow("S2.5", "delete of a never-written key", () -> {
      b.delete(key("never"));
      return null;
    }, check);
  }

  @Test
  void required_S2_6_readAfterWriteAcrossClients() {
    StorageBackend a = open();
    StorageBackend b = open();
    String check = "a completed write by one client is seen by the next read of every other client; a client"
        + " must not answer from a cache another client's write can make stale";
    a.put(key("raw"), utf8("v1"));
    expectBytes(utf8("v1"), b.get(key("raw")), "S2.6", "client B's get after A wrote v1", check);
    a.put(key("raw"), utf8("v2"));
    expectBytes(utf8("v2"), b.get(key("raw")), "S2.6", "client B's get after A replaced v1 by v2", check);
    expectBytes(utf8("v2"), readStream(b.getStream(key("raw"))), "S2.6", "client B's getStream after A wrote v2", check);
    a.delete(key("raw"));
    Check.that(b.get(key("raw")).isEmpty(), "S2.6", () -> "client B still reads the object A deleted", check);
    Check.that(a.putIfAbsent(key("raw"), utf8("v3")), "S2.6", () -> "putIfAbsent after delete returned false", check);
    expectBytes(utf8("v3"), b.get(key("raw")), "S2.6", "client B's get after A's putIfAbsent of v3", check);
    Check.that(!b.putIfAbsent(key("raw"), utf8("v4")), "S2.6",
        () -> "client B's putIfAbsent won although A had just created the key", check);
  }

  @Test
  void required_S2_7_relatedKeysAreIndependent() {
    StorageBackend b = open();
    String check = "keys are opaque strings: 'x', 'x/y', 'x-y', 'x.y' and 'xy' are five separate objects; an"
        + " object may share its name with the 'directory' of other keys (as on S3); writing 'p/q/r'"
        + " creates no object 'p' or 'p/q'";
    List<String> names = List.of("x", "x/y", "x-y", "x.y", "xy", "x/y/z");
    for (String n : names) {
      b.put(key(n), utf8("value of " + n));
    }
    for (String n : names) {
      expectBytes(utf8("value of " + n), b.get(key(n)), "S2.7", "get of '" + n + "'", check);
    }
    b.delete(key("x"));
    b.delete(key("x/y"));
    expectBytes(utf8("value of x/y/z"), b.get(key("x/y/z")), "S2.7", "get of 'x/y/z' after deleting 'x' and 'x/y'", check);
    expectBytes(utf8("value of xy"), b.get(key("xy")), "S2.7", "get of 'xy' after deleting 'x'", check);
    b.put(key("p/q/r"), utf8("deep"));
    Check.that(b.get(key("p")).isEmpty() && b.get(key("p/q")).isEmpty(), "S2.7",
        () -> "writing 'p/q/r' made 'p' or 'p/q' readable as objects", check);
  }

  // ---------------------------------------------------------------- S3 listing

  @Test
  void required_S3_1_listIsLexicographic() {
    StorageBackend b = open();
    // '-' < '.' < '/' < digits < '=' < '@' < upper case < '_' < lower case in ASCII: a store that
    // walks directories or sorts per segment gets "a-b" / "a.b" / "a/b" wrong.
    List<String> rel = new ArrayList<>(List.of("a", "a-b", "a.b", "a/b", "a/b/c", "a/c", "a0", "a=b", "a+b",
        "a,b", "a@b", "aB", "a_b", "ab", "b", "B", "0", "a/b-c", "a/b.c", "a/b0"));
    Collections.shuffle(rel, new Random(7));
    for (String r : rel) {
      b.put(key(r), utf8(r));
    }
    List<String> expected = rel.stream().map(this::key).sorted().toList();
    List<String> got = b.list(key(""), Optional.empty(), StorageBackend.MAX_LIST_LIMIT).keys();
    List<String> all = got;
    if (b.list(key(""), Optional.empty(), StorageBackend.MAX_LIST_LIMIT).hasMore()) {
      all = listAllPages(b, key(""), Optional.empty(), StorageBackend.MAX_LIST_LIMIT, rel.size(), "S3.1");
    }
    Check.equal(expected, all, "S3.1", "keys listed under the test prefix",
        "list returns keys in ascending order of their characters (String.compareTo on these ASCII keys, the"
            + " same as UTF-8 byte order), not per path segment and not in insertion or hash order");
  }

  @Test
  void required_S3_2_paginationReturnsEveryKeyOnce() {
    StorageBackend b = open();
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      String k = key(String.format("page/%03d", i));
      b.put(k, utf8("p" + i));
      expected.add(k);
    }
    for (int limit : new int[] {1, 2, 3, 7, 22, 23, 24, StorageBackend.MAX_LIST_LIMIT}) {
      List<String> got = listAllPages(b, key("page/"), Optional.empty(), limit, expected.size(), "S3.2");
      Check.equal(expected, got, "S3.2", "all pages of list(limit " + limit + ") joined",
          "following nextStartAfter page by page must return every key exactly once, in order, and end with an"
              + " empty nextStartAfter");
    }
  }

  @Test
  void required_S3_3_startAfterIsExclusive() {
    StorageBackend b = open();
    List<String> keys = new ArrayList<>();
    for (int i = 1; i <= 10; i++) {
      keys.add(key(String.format("s/k%02d", i)));
      b.put(keys.get(i - 1), utf8("v" + i));
    }
    String check = "list returns only keys strictly greater than startAfter; startAfter need not exist";
    record Case(String startAfter, List<String> expected) {}
    List<Case> cases = List.of(
        new Case(key("s/k05"), keys.subList(5, 10)),
        new Case(key("s/k05x"), keys.subList(5, 10)),
        new Case(key("s/k00"), keys),
        new Case(key("a"), keys),
        new Case(key("s/k10"), List.of()),
        new Case(key("s/k99"), List.of()));
    for (Case c : cases) {
      List<String> got = listAllPages(b, key("s/"), Optional.of(c.startAfter()), 100, 10, "S3.3");
      Check.equal(c.expected(), got, "S3.3", "list(prefix 's/', startAfter '" + c.startAfter() + "')", check);
    }
    List<String> paged = listAllPages(b, key("s/"), Optional.of(key("s/k03")), 2, 10, "S3.3");
    Check.equal(keys.subList(3, 10), paged, "S3.3", "list from startAfter 's/k03' in pages of 2", check);
  }

  @Test
  void required_S3_4_prefixFiltersByCharacters() {
    StorageBackend b = open();
    List<String> rel = List.of("changes/0001", "changes/0002", "changes-x", "changesets/1", "change", "chang", "snap/1");
    for (String r : rel) {
      b.put(key(r), utf8(r));
    }
    String check = "the prefix is a plain string prefix: it may end inside a segment ('changes/000') or"
        + " without '/' ('changes' also matches 'changes-x' and 'changesets/1')";
    Map<String, List<String>> cases = Map.of(
        "changes/", List.of("changes/0001", "changes/0002"),
        "changes/000", List.of("changes/0001", "changes/0002"),
        "changes", List.of("changes-x", "changes/0001", "changes/0002", "changesets/1"),
        "change", List.of("change", "changes-x", "changes/0001", "changes/0002", "changesets/1"),
        "snap/", List.of("snap/1"),
        "nothing", List.of());
    for (Map.Entry<String, List<String>> c : cases.entrySet()) {
      List<String> got = listAllPages(b, key(c.getKey()), Optional.empty(), 100, rel.size(), "S3.4");
      Check.equal(c.getValue().stream().map(this::key).toList(), got, "S3.4",
          "list(prefix '" + c.getKey() + "')", check);
    }
  }

  @Test
  void required_S3_5_listAfterWriteAndDelete() {
    StorageBackend a = open();
    StorageBackend b = open();
    String check = "a listing started after a write or delete completed reflects it, on every client";
    a.put(key("l/1"), utf8("1"));
    a.put(key("l/2"), utf8("2"));
    Check.equal(List.of(key("l/1"), key("l/2")), b.list(key("l/"), Optional.empty(), 100).keys(), "S3.5",
        "client B's listing after A wrote two keys", check);
    a.delete(key("l/1"));
    Check.equal(List.of(key("l/2")), b.list(key("l/"), Optional.empty(), 100).keys(), "S3.5",
        "client B's listing after A deleted one", check);
    Check.that(b.putIfAbsent(key("l/0"), utf8("0")), "S3.5", () -> "putIfAbsent of a new key returned false", check);
    Check.equal(List.of(key("l/0"), key("l/2")), a.list(key("l/"), Optional.empty(), 100).keys(), "S3.5",
        "client A's listing after B's putIfAbsent", check);
  }

  @Test
  void required_S3_6_limitIsRespectedAndMoreIsSignalled() {
    StorageBackend b = open();
    for (int i = 0; i < 5; i++) {
      b.put(key("m/" + i), utf8("m"));
    }
    String check = "a page holds at most 'limit' keys; nextStartAfter is present whenever keys remain and absent"
        + " when the page holds the last key, also when that page is exactly full (limit = keys remaining)";
    ListPage first = b.list(key("m/"), Optional.empty(), 2);
    Check.that(first.keys().size() <= 2, "S3.6", () -> "list(limit 2) returned " + first.keys(), check);
    Check.that(first.hasMore(), "S3.6", () -> "list(limit 2) of 5 keys returned no nextStartAfter", check);
    ListPage one = b.list(key("m/"), Optional.empty(), 1);
    Check.that(one.keys().size() <= 1 && one.hasMore(), "S3.6",
        () -> "list(limit 1) of 5 keys returned " + one.keys() + " with hasMore " + one.hasMore(), check);
    ListPage whole = b.list(key("m/"), Optional.empty(), 100);
    Check.equal(5, whole.keys().size(), "S3.6", "number of keys in list(limit 100) of 5 keys", check);
    Check.that(!whole.hasMore(), "S3.6", () -> "list(limit 100) of 5 keys said more keys follow", check);
    ListPage exact = b.list(key("m/"), Optional.empty(), 5);
    Check.equal(5, exact.keys().size(), "S3.6", "number of keys in list(limit 5) of 5 keys", check);
    Check.that(!exact.hasMore(), "S3.6", () -> "list(limit 5) of exactly 5 keys returned them all and still said"
        + " more follow (nextStartAfter " + exact.nextStartAfter().orElse("") + ")", check);
    ListPage tail = b.list(key("m/"), Optional.of(key("m/2")), 2);
    Check.equal(List.of(key("m/3"), key("m/4")), tail.keys(), "S3.6", "list(startAfter 'm/2', limit 2)", check);
    Check.that(!tail.hasMore(), "S3.6", () -> "list(startAfter 'm/2', limit 2) returned the last 2 keys and still"
        + " said more follow", check);
  }

  // ---------------------------------------------------------------- S4 streaming and atomic objects

  @Test
  void required_S4_1_largeObjectStreamsRoundTrip() throws IOException {
    StorageBackend b = open();
    long size = Kit.largeObjectBytes() + 12_345;
    GeneratedBody body = new GeneratedBody(ThreadLocalRandom.current().nextLong(), size);
    String check = "put(key, BodySource) must read the body to its end (a read() may return fewer bytes than"
        + " asked), and getStream must return every byte; neither may truncate or reorder";
    b.put(key("large/put"), body);
    compareStream(b, key("large/put"), body, "S4.1", check);
    Check.that(b.putIfAbsent(key("large/pia"), body), "S4.1",
        () -> "putIfAbsent(BodySource) of a large object on an absent key returned false", check);
    compareStream(b, key("large/pia"), body, "S4.1", check);
  }

  private static void compareStream(StorageBackend b, String k, GeneratedBody body, String rule, String check)
      throws IOException {
    Optional<InputStream> in = b.getStream(k);
    Check.that(in.isPresent(), rule, () -> "getStream of " + k + " was empty after writing it", check);
    String diff;
    try (InputStream s = in.get()) {
      diff = body.compare(s);
    }
    Check.that(diff == null, rule, () -> "the object read back from " + k + " differs: " + diff, check);
  }

  @Test
  void required_S4_2_openStreamIsSnapshot() throws IOException {
    StorageBackend b = open();
    int size = 1024 * 1024;
    GeneratedBody first = new GeneratedBody(1, size);
    GeneratedBody second = new GeneratedBody(2, size);
    b.put(key("snap"), first);
    Optional<InputStream> in = b.getStream(key("snap"));
    Check.that(in.isPresent(), "S4.2", () -> "getStream after put was empty", "read-after-write");
    try (InputStream s = in.get()) {
      byte[] head = s.readNBytes(4096);
      b.put(key("snap"), second);
      byte[] rest = s.readAllBytes();
      String check = "a stream opened by getStream returns the object as it was when opened, even if the object"
          + " is replaced while it is read (no in-place overwrite, no mix of two versions)";
      Check.equal(size, head.length + rest.length, "S4.2", "bytes read through a stream opened before a replace",
          check);
      for (int i = 0; i < size; i++) {
        byte got = i < head.length ? head[i] : rest[i - head.length];
        if (got != GeneratedBody.byteAt(1, i)) {
          int at = i;
          String whose = got == GeneratedBody.byteAt(2, i) ? "the replacing object's" : "an unknown";
          throw Check.failure("S4.2", "byte " + at + " of a stream opened before a replace holds " + whose + " byte",
              check);
        }
      }
    }
    compareStream(b, key("snap"), second, "S4.2", "after the replace, a new getStream returns the new object");
  }

  @Test
  void required_S4_3_readersNeverSeePartialObjects() throws Exception {
    StorageBackend writer = open();
    int readers = 3;
    List<StorageBackend> readerClients = new ArrayList<>();
    for (int i = 0; i < readers; i++) {
      readerClients.add(open());
    }
    String k = key("atomic");
    int writes = 24;
    writer.put(k, PausingBody.uniform(0, sizeFor(0), TORN_WRITE_PAUSE_MILLIS));
    AtomicBoolean done = new AtomicBoolean();
    AtomicReference<String> torn = new AtomicReference<>();
    String check = "a reader sees the whole old object or the whole new one, never a partly written object:"
        + " write to a temporary place and publish atomically (rename, a map swap, a conditional commit)";
    try (Race race = new Race(readers + 1)) {
      List<Race.Outcome<Integer>> out = race.run("S4.3", i -> () -> {
        if (i == 0) {
          try {
            for (int w = 1; w <= writes; w++) {
              writer.put(k, PausingBody.uniform(w, sizeFor(w), TORN_WRITE_PAUSE_MILLIS));
            }
          } finally {
            done.set(true);
          }
          return writes;
        }
        StorageBackend r = readerClients.get(i - 1);
        int reads = 0;
        while (!done.get() || reads == 0) {
          Optional<byte[]> got = r.get(k);
          reads++;
          if (got.isEmpty()) {
            torn.compareAndSet(null, "a get returned empty while the object was being replaced");
            continue;
          }
          byte[] v = got.get();
          int id = v.length == 0 ? -1 : v[0] & 0xff;
          boolean whole = id >= 0 && v.length == sizeFor(id);
          for (int j = 0; whole && j < v.length; j += 997) {
            whole = (v[j] & 0xff) == id;
          }
          if (whole && (v[v.length - 1] & 0xff) != id) {
            whole = false;
          }
          if (!whole) {
            torn.compareAndSet(null, "a get returned " + v.length + " bytes that are not one whole written object"
                + " (first byte " + id + ", expected length " + (id >= 0 ? sizeFor(id) : "?") + ")");
          }
        }
        return reads;
      });
      RacerFailure.check(out, "S4.3", check, null);
    }
    Check.that(torn.get() == null, "S4.3", torn::get, check);
  }

  /** How long each write of S4.3 stops halfway through its body: the moment a torn object shows. */
  private static final long TORN_WRITE_PAUSE_MILLIS = 2;

  private static int sizeFor(int id) {
    return 128 * 1024 + (id % 3) * 1000;
  }

  // ---------------------------------------------------------------- S5 concurrency

  @Test
  void required_S5_1_putIfAbsentRaceHasExactlyOneWinner() {
    int threads = Kit.raceThreads();
    List<StorageBackend> clients = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      clients.add(open());
    }
    String check = "putIfAbsent must be atomic across clients: of N racers writing one absent key exactly one"
        + " gets true, and the stored object is that racer's bytes (check-then-write is a race)";
    try (Race race = new Race(threads)) {
      for (int round = 0; round < Kit.raceRounds(); round++) {
        String k = key("race/" + round);
        int r = round;
        // Every body stops halfway for a while, as a slow upload does: a store that decides or
        // writes outside one atomic step leaves that window open to every other racer.
        List<Race.Outcome<Boolean>> out = race.run("S5.1",
            i -> () -> clients.get(i).putIfAbsent(k, PausingBody.of(racerBody(r, i), RACE_BODY_PAUSE_MILLIS)));
        RacerFailure.check(out, "S5.1", check, "false");
        List<Integer> winners = new ArrayList<>();
        for (Race.Outcome<Boolean> o : out) {
          if (o.value()) {
            winners.add(o.racer());
          }
        }
        Check.that(winners.size() == 1, "S5.1",
            () -> winners.size() + " of " + threads + " racers got true from putIfAbsent on one absent key in round "
                + r + " (winners " + winners + ")", check);
        byte[] expected = racerBody(r, winners.get(0));
        for (int i = 0; i < threads; i += Math.max(1, threads / 4)) {
          Optional<byte[]> got = clients.get(i).get(k);
          if (got.isPresent() && !Arrays.equals(expected, got.get())) {
            String whose = new String(got.get(), 0, Math.min(32, got.get().length), StandardCharsets.UTF_8).strip();
            throw Check.failure("S5.1", "after round " + r + " the object holds a loser's bytes ('" + whose
                + "…'), although racer " + winners.get(0) + " alone got true", check + "; a loser must not"
                + " write anything");
          }
          expectBytes(expected, got, "S5.1", "get after the race (winner " + winners.get(0) + ")", check);
        }
      }
    }
  }

  /** How long each racer's body of S5.1 stops halfway (a slow upload in flight). */
  private static final long RACE_BODY_PAUSE_MILLIS = 20;

  private static byte[] racerBody(int round, int racer) {
    byte[] b = new byte[2048];
    Arrays.fill(b, (byte) racer);
    byte[] tag = utf8("round " + round + " racer " + racer);
    System.arraycopy(tag, 0, b, 0, tag.length);
    return b;
  }

  @Test
  void required_S5_2_concurrentHistoryIsLinearizable() {
    int threads = Kit.raceThreads();
    List<StorageBackend> clients = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      clients.add(open());
    }
    String check = "every call must take effect atomically at one instant between its call and return, as seen by"
        + " all clients (no lost or resurrected writes, no stale reads after a completed write)";
    try (Race race = new Race(threads)) {
      for (int round = 0; round < Math.max(2, Kit.raceRounds() / 2); round++) {
        HistoryRecorder<ObjectOp> rec = new HistoryRecorder<>();
        List<String> keys = List.of(key("lin/" + round + "/a"), key("lin/" + round + "/b"));
        List<Race.Outcome<Integer>> out = race.run("S5.2", i -> () -> {
          StorageBackend c = clients.get(i);
          Random rnd = new Random(i * 31L + System.nanoTime());
          for (int n = 0; n < 6; n++) {
            String k = keys.get(rnd.nextInt(keys.size()));
            String v = "p" + i + "-" + n;
            switch (rnd.nextInt(4)) {
              case 0 -> rec.record(i, k, () -> c.get(k), r -> new ObjectOp.Get(r.map(StorageBackendContract::text)));
              case 1 -> rec.record(i, k, () -> {
                c.put(k, utf8(v));
                return v;
              }, r -> new ObjectOp.Put(v));
              case 2 -> rec.record(i, k, () -> c.putIfAbsent(k, utf8(v)), r -> new ObjectOp.PutIfAbsent(v, r));
              default -> rec.record(i, k, () -> {
                c.delete(k);
                return true;
              }, r -> new ObjectOp.Delete());
            }
          }
          return 6;
        });
        RacerFailure.check(out, "S5.2", check, "false for a losing putIfAbsent");
        for (Map.Entry<String, List<Operation<ObjectOp>>> e : rec.byKey().entrySet()) {
          LinearizabilityChecker.Result res = LinearizabilityChecker.check(new ObjectSpec(), e.getValue());
          Check.that(res.linearizable(), "S5.2",
              () -> "the history of " + e.getKey() + " is " + res.verdict() + ": " + res.explanation(), check);
        }
      }
    }
  }

  // ---------------------------------------------------------------- S6 model-based sequences

  @Test
  void required_S6_1_actionSequencesMatchModel() {
    Property.named("S6.1 action sequences").tries(Kit.tries()).check(choices -> {
      try {
        new StorageModelRun(this::openForModel).play(choices);
      } finally {
        closeModelClients();
      }
    });
  }

  private final List<StorageBackend> modelClients = Collections.synchronizedList(new ArrayList<>());

  private void closeModelClients() {
    synchronized (modelClients) {
      modelClients.forEach(c -> {
        try {
          c.close();
        } catch (RuntimeException ignored) {
          // closing is best effort here; the close rules are S1.3 and S1.4
        }
      });
      modelClients.clear();
    }
  }

  private StorageBackend openForModel() {
    List<String> uris = clientUris();
    StorageBackend b = StorageBackends.open(uris.get(Math.floorMod(nextUri.getAndIncrement(), uris.size())));
    modelClients.add(b);
    return b;
  }

  // ---------------------------------------------------------------- S7 bad input

  @Test
  void required_S7_1_nullArgumentsRejected() {
    StorageBackend b = open();
    String check = "a null argument must throw HadbException(INVALID_ARGUMENT) naming it, before any I/O";
    String k = key("n");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.1", "get(null)", () -> b.get(null), check, "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.1", "getStream(null)", () -> b.getStream(null), check, "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.1", "put(null, bytes)", () -> b.put(null, utf8("x")), check, "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.1", "put(key, (byte[]) null)", () -> b.put(k, (byte[]) null),
        check, "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.1", "put(key, (BodySource) null)",
        () -> b.put(k, (BodySource) null), check, "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.1", "putIfAbsent(null, bytes)",
        () -> b.putIfAbsent(null, utf8("x")), check, "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.1", "putIfAbsent(key, (BodySource) null)",
        () -> b.putIfAbsent(k, (BodySource) null), check, "null");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.1", "list(null, ...)",
        () -> b.list(null, Optional.empty(), 10), check, "null", "prefix");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.1", "list(prefix, null, ...)",
        () -> b.list(key(""), null, 10), check, "null", "startAfter");
    Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.1", "delete(null)", () -> b.delete(null), check, "null");
    Check.that(b.get(k).isEmpty(), "S7.1", () -> "a rejected put still wrote " + k, check);
  }

  /** Keys every store must refuse (see {@link Keys}). */
  protected List<String> invalidKeys() {
    return List.of("", key("a//b"), "/" + key("a"), key("a/"), key("a/../b"), key("./a"), key("a b"),
        key("a\\b"), key("a?b"), key("x").repeat(1) + "/" + "s".repeat(Keys.MAX_SEGMENT_LENGTH + 1),
        key(("seg" + "x".repeat(150) + "/").repeat(7) + "end"));
  }

  @Test
  void required_S7_2_invalidKeysRejected() {
    StorageBackend b = open();
    String check = "keys must follow io.hadb.api.Keys (no empty, '.' or '..' segment, no leading or trailing '/',"
        + " only A-Z a-z 0-9 . _ - = + , @, at most " + Keys.MAX_KEY_LENGTH + " characters); a bad key throws"
        + " INVALID_ARGUMENT naming the key problem before anything is read or written";
    for (String bad : invalidKeys()) {
      String shown = bad.length() > 60 ? bad.substring(0, 60) + "…(" + bad.length() + " chars)" : bad;
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.2", "get(\"" + shown + "\")", () -> b.get(bad), check, "key");
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.2", "getStream(\"" + shown + "\")", () -> b.getStream(bad), check,
          "key");
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.2", "put(\"" + shown + "\")", () -> b.put(bad, utf8("x")), check,
          "key");
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.2", "put(\"" + shown + "\", BodySource)",
          () -> b.put(bad, BodySource.of(utf8("x"))), check, "key");
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.2", "putIfAbsent(\"" + shown + "\")",
          () -> b.putIfAbsent(bad, utf8("x")), check, "key");
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.2", "delete(\"" + shown + "\")", () -> b.delete(bad), check, "key");
    }
    List<String> leaked = listAllPages(b, key(""), Optional.empty(), 100, 100, "S7.2");
    Check.that(leaked.isEmpty(), "S7.2", () -> "rejected writes still stored objects: " + leaked, check);
  }

  @Test
  void required_S7_3_invalidPrefixesRejected() {
    StorageBackend b = open();
    String check = "a listing prefix must be empty or a key that may end with '/' or inside a segment"
        + " (Keys.validatePrefix); anything else throws INVALID_ARGUMENT naming the prefix problem";
    for (String bad : List.of("/" + key("a"), key("a//b"), key("../x"), key("a b"),
        key("p").repeat(1) + "x".repeat(Keys.MAX_KEY_LENGTH))) {
      String shown = bad.length() > 60 ? bad.substring(0, 60) + "…" : bad;
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.3", "list(\"" + shown + "\", ...)",
          () -> b.list(bad, Optional.empty(), 10), check, "prefix", "key");
    }
  }

  @Test
  void required_S7_4_badListLimitsRejected() {
    StorageBackend b = open();
    String check = "limit must be 1.." + StorageBackend.MAX_LIST_LIMIT + " (StorageBackend.checkLimit); anything else"
        + " throws INVALID_ARGUMENT naming the limit";
    for (int bad : new int[] {0, -1, Integer.MIN_VALUE, StorageBackend.MAX_LIST_LIMIT + 1, Integer.MAX_VALUE}) {
      Check.rejects(ErrorCode.INVALID_ARGUMENT, "S7.4", "list(prefix, empty, " + bad + ")",
          () -> b.list(key(""), Optional.empty(), bad), check, "limit");
    }
  }
}
