package io.hadb.lease.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.Versioned;
import io.hadb.lease.storage.StorageLeaseOptions.Collection;
import io.hadb.lease.storage.internal.LeaseRecord;
import io.hadb.lease.storage.internal.Layout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The generic store on the real in-process mem: backend, with faults injected around it. */
class StorageLeaseStoreTest {
  private final String namespace = "mem://lease-storage-test-" + UUID.randomUUID();
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool();

  record Client(StorageLeaseStore store, GatedBackend backend) {}

  private Client client(StorageLeaseOptions options) {
    GatedBackend backend = new GatedBackend(StorageBackends.open(namespace));
    StorageLeaseStore store = StorageLeaseStore.open(backend, options);
    toClose.add(store);
    return new Client(store, backend);
  }

  private static StorageLeaseOptions inlineGc(int keep) {
    return StorageLeaseOptions.defaults().withKeepVersions(keep).withCollectEvery(1)
        .withCollection(Collection.INLINE);
  }

  private StorageBackend raw() {
    StorageBackend b = StorageBackends.open(namespace);
    toClose.add(b);
    return b;
  }

  @AfterEach
  void closeAll() throws Exception {
    pool.shutdownNow();
    for (AutoCloseable c : toClose) {
      c.close();
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  private static String text(Optional<Versioned> v) {
    return v.map(x -> new String(x.value(), UTF_8)).orElse("<absent>");
  }

  // ---------------------------------------------------------------- races

  @Test
  void sixteenThreadCasRaceHasExactlyOneWinnerEveryRound() throws Exception {
    int threads = 16;
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      clients.add(client(inlineGc(2)));
    }
    long version = clients.get(0).store().create("race/k", utf8("start")).version();
    CyclicBarrier barrier = new CyclicBarrier(threads);
    for (int round = 0; round < 40; round++) {
      long expected = version;
      List<Future<CasResult>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Client c = clients.get(i);
        String value = "round " + round + " thread " + i;
        results.add(pool.submit(() -> {
          barrier.await(10, TimeUnit.SECONDS);
          return c.store().compareAndSet("race/k", expected, utf8(value));
        }));
      }
      List<Integer> winners = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        CasResult r = results.get(i).get(30, TimeUnit.SECONDS);
        if (r.isWon()) {
          winners.add(i);
          assertEquals(expected + 1, r.version());
        }
      }
      assertEquals(1, winners.size(), "round " + round + " winners " + winners);
      version = expected + 1;
      Optional<Versioned> now = clients.get(threads - 1).store().read("race/k");
      assertEquals("round " + round + " thread " + winners.get(0), text(now));
      assertEquals(version, now.orElseThrow().version());
    }
  }

  @Test
  void createRacesAcrossDeletesHaveOneWinnerAndVersionsKeepRising() throws Exception {
    int threads = 16;
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      clients.add(client(inlineGc(3)));
    }
    long last = 0;
    CyclicBarrier barrier = new CyclicBarrier(threads);
    for (int round = 0; round < 20; round++) {
      List<Future<CasResult>> results = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Client c = clients.get(i);
        byte[] value = utf8("r" + round + "t" + i);
        results.add(pool.submit(() -> {
          barrier.await(10, TimeUnit.SECONDS);
          return c.store().create("race/c", value);
        }));
      }
      long won = -1;
      int winners = 0;
      for (Future<CasResult> f : results) {
        CasResult r = f.get(30, TimeUnit.SECONDS);
        if (r.isWon()) {
          winners++;
          won = r.version();
        }
      }
      assertEquals(1, winners, "round " + round);
      assertTrue(won > last, "version " + won + " after " + last);
      // delete is a version too (a tombstone), so the next create is at least two higher
      assertEquals(CasResult.won(won), clients.get(round % threads).store().delete("race/c", won));
      last = won + 1;
    }
  }

  // ---------------------------------------------------------------- versions and layout

  @Test
  void versionsAreMonotonicAcrossDeleteAndRecreate() {
    StorageLeaseStore s = client(StorageLeaseOptions.defaults()).store();
    assertEquals(CasResult.won(1), s.create("m", utf8("a")));
    assertEquals(CasResult.lost(), s.create("m", utf8("again")));
    assertEquals(CasResult.won(2), s.compareAndSet("m", 1, utf8("b")));
    assertEquals(CasResult.lost(), s.compareAndSet("m", 1, utf8("stale")));
    assertEquals(CasResult.lost(), s.delete("m", 1));
    assertEquals(CasResult.won(2), s.delete("m", 2));
    assertEquals(Optional.empty(), s.read("m"));
    // The tombstone holds version 3: nothing may write from it, and a re-create goes on at 4.
    assertEquals(CasResult.lost(), s.compareAndSet("m", 3, utf8("x")));
    assertEquals(CasResult.lost(), s.delete("m", 3));
    assertEquals(CasResult.won(4), s.create("m", utf8("c")));
    assertEquals(new Versioned(utf8("c"), 4), s.read("m").orElseThrow());
  }

  @Test
  void collectionKeepsTheNewestVersionsAndNeverTheTombstone() {
    Client c = client(inlineGc(4));
    StorageLeaseStore s = c.store();
    Layout layout = new Layout("");
    long v = s.create("gc/key", utf8("0")).version();
    for (int i = 1; i <= 50; i++) {
      v = s.compareAndSet("gc/key", v, utf8(Integer.toString(i))).version();
    }
    List<String> stored = raw().listAll(layout.dir("gc/key"));
    assertTrue(stored.size() <= 4 + 1, "kept " + stored);
    assertEquals(layout.object("gc/key", v), stored.get(0), "the newest version sorts first");
    assertEquals(CasResult.won(v), s.delete("gc/key", v));
    for (int i = 0; i < 10; i++) {
      // Deleting an absent key loses and writes nothing: the tombstone stays the newest.
      assertFalse(s.delete("gc/key", v + 1).isWon());
    }
    stored = raw().listAll(layout.dir("gc/key"));
    assertEquals(layout.object("gc/key", v + 1), stored.get(0));
    assertEquals(CasResult.won(v + 2), s.create("gc/key", utf8("back")));
  }

  @Test
  void aKeyAndItsChildrenAndLongKeysAreIndependentRegisters() {
    StorageLeaseStore s = client(inlineGc(2)).store();
    String longKey = "long/" + "x".repeat(190) + "/" + "y".repeat(190) + "/" + "z".repeat(190);
    List<String> keys = List.of("a", "a/b", "a/b/c", "a-b", "ab", "0", longKey, longKey + "2");
    for (String k : keys) {
      assertEquals(CasResult.won(1), s.create(k, utf8(k)));
    }
    for (int round = 0; round < 5; round++) {
      for (String k : keys) {
        long v = s.read(k).orElseThrow().version();
        assertEquals(CasResult.won(v + 1), s.compareAndSet(k, v, utf8(k + round)));
      }
    }
    for (String k : keys) {
      assertEquals(new Versioned(utf8(k + 4), 6), s.read(k).orElseThrow());
    }
    assertTrue(raw().listAll("h/").size() >= 2, "long keys are stored under their hash");
  }

  // ---------------------------------------------------------------- orphans (stale writers)

  @Test
  void aStaleWriteIntoACollectedSlotIsLostAndInvisible() throws Exception {
    Client a = client(inlineGc(4));
    Client b = client(inlineGc(4));
    assertEquals(CasResult.won(1), b.store().create("o", utf8("v1")));

    // A reads version 1 and is held just before writing version 2.
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    a.backend().beforePutIfAbsent = k -> {
      held.countDown();
      await(release);
    };
    Future<CasResult> stale = pool.submit(() -> a.store().compareAndSet("o", 1, utf8("stale A")));
    assertTrue(held.await(10, TimeUnit.SECONDS));

    // Meanwhile B moves on to version 6; collection deletes versions 1 and 2.
    for (long v = 1; v < 6; v++) {
      assertEquals(CasResult.won(v + 1), b.store().compareAndSet("o", v, utf8("v" + (v + 1))));
    }
    Layout layout = new Layout("");
    assertTrue(raw().get(layout.object("o", 2)).isEmpty(), "slot 2 was collected");

    // A's put-if-absent of slot 2 now succeeds: an orphan, which A must report as lost.
    a.backend().beforePutIfAbsent = k -> { };
    release.countDown();
    assertEquals(CasResult.lost(), stale.get(10, TimeUnit.SECONDS));
    assertTrue(raw().get(layout.object("o", 2)).isPresent(), "the orphan object exists");
    assertEquals(new Versioned(utf8("v6"), 6), b.store().read("o").orElseThrow());

    // A writer that builds on the orphan: it reads slot 2 (the orphan, live), is held, and by
    // the time it writes slot 3, B reached version 8 and collected slots up to 4.
    CountDownLatch held2 = new CountDownLatch(1);
    CountDownLatch release2 = new CountDownLatch(1);
    a.backend().beforePutIfAbsent = k -> {
      held2.countDown();
      await(release2);
    };
    Future<CasResult> onOrphan = pool.submit(() -> a.store().compareAndSet("o", 2, utf8("on the orphan")));
    assertTrue(held2.await(10, TimeUnit.SECONDS));
    for (long v = 6; v < 8; v++) {
      assertEquals(CasResult.won(v + 1), b.store().compareAndSet("o", v, utf8("v" + (v + 1))));
    }
    assertTrue(raw().get(layout.object("o", 3)).isEmpty(), "slot 3 was collected");
    a.backend().beforePutIfAbsent = k -> { };
    release2.countDown();
    assertEquals(CasResult.lost(), onOrphan.get(10, TimeUnit.SECONDS));
    assertTrue(raw().get(layout.object("o", 3)).isPresent(), "the second orphan object exists");
    assertEquals(new Versioned(utf8("v8"), 8), a.store().read("o").orElseThrow());
    assertEquals(CasResult.won(9), a.store().compareAndSet("o", 8, utf8("v9")));
  }

  @Test
  void aReadRacingCollectionNeverReturnsAnOrphan() throws Exception {
    Client r = client(StorageLeaseOptions.defaults().withKeepVersions(2).withCollection(Collection.OFF));
    Client w = client(inlineGc(2));
    Layout layout = new Layout("");
    assertEquals(CasResult.won(1), w.store().create("rd", utf8("v1")));
    assertEquals(CasResult.won(2), w.store().compareAndSet("rd", 1, utf8("v2")));

    // The reader lists version 2 as the newest, then is held before getting it.
    CountDownLatch held = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean once = new AtomicBoolean();
    r.backend().beforeGet = k -> {
      if (k.equals(layout.object("rd", 2)) && once.compareAndSet(false, true)) {
        held.countDown();
        await(release);
      }
    };
    Future<Optional<Versioned>> read = pool.submit(() -> r.store().read("rd"));
    assertTrue(held.await(10, TimeUnit.SECONDS));
    // The chain moves to 4, version 2 is collected, and a stale writer refills slot 2.
    assertEquals(CasResult.won(3), w.store().compareAndSet("rd", 2, utf8("v3")));
    assertEquals(CasResult.won(4), w.store().compareAndSet("rd", 3, utf8("v4")));
    assertTrue(raw().get(layout.object("rd", 2)).isEmpty());
    LeaseRecord orphan = LeaseRecord.next(Optional.empty(), 2, false, "rd", utf8("ORPHAN"));
    assertTrue(raw().putIfAbsent(layout.object("rd", 2), orphan.encode()));
    release.countDown();
    assertEquals("v4", text(read.get(10, TimeUnit.SECONDS)));
  }

  // ---------------------------------------------------------------- ambiguous outcomes

  @Test
  void aWriteWhoseAnswerWasLostIsResolvedAsWon() {
    Client c = client(StorageLeaseOptions.defaults());
    assertEquals(CasResult.won(1), c.store().create("amb", utf8("v1")));
    AtomicBoolean once = new AtomicBoolean();
    c.backend().afterPutIfAbsent = k -> {
      if (once.compareAndSet(false, true)) {
        throw HadbException.unknownOutcome("injected: the answer to a put that landed was lost", null);
      }
    };
    assertEquals(CasResult.won(2), c.store().compareAndSet("amb", 1, utf8("v2")));
    assertEquals(new Versioned(utf8("v2"), 2), c.store().read("amb").orElseThrow());
  }

  @Test
  void aWriteThatMayStillLandIsUnknownOutcome() {
    Client c = client(StorageLeaseOptions.defaults());
    assertEquals(CasResult.won(1), c.store().create("amb2", utf8("v1")));
    c.backend().beforePutIfAbsent = k -> {
      throw HadbException.timeout("injected: timed out, nothing stored yet", null);
    };
    HadbException e = assertThrows(HadbException.class,
        () -> c.store().compareAndSet("amb2", 1, utf8("v2")));
    assertEquals(ErrorCode.UNKNOWN_OUTCOME, e.code());
    assertTrue(e.getMessage().contains("amb2"), e.getMessage());
    c.backend().beforePutIfAbsent = k -> { };
    assertEquals(new Versioned(utf8("v1"), 1), c.store().read("amb2").orElseThrow());
    assertEquals(CasResult.won(2), c.store().compareAndSet("amb2", 1, utf8("v2")));
  }

  @Test
  void aFailedWriteWhoseSlotAnotherWriterTookIsLost() {
    Client a = client(StorageLeaseOptions.defaults());
    Client b = client(StorageLeaseOptions.defaults());
    assertEquals(CasResult.won(1), a.store().create("amb3", utf8("v1")));
    a.backend().beforePutIfAbsent = k -> {
      a.backend().beforePutIfAbsent = x -> { };
      assertEquals(CasResult.won(2), b.store().compareAndSet("amb3", 1, utf8("B")));
      throw HadbException.unavailable("injected: connection reset", null);
    };
    assertEquals(CasResult.lost(), a.store().compareAndSet("amb3", 1, utf8("A")));
    assertEquals("B", text(a.store().read("amb3")));
  }

  @Test
  void refusalsOfTheBackendPassThrough() {
    Client c = client(StorageLeaseOptions.defaults());
    c.backend().beforePutIfAbsent = k -> {
      throw HadbException.notFound("injected: bucket 'b' does not exist");
    };
    HadbException e = assertThrows(HadbException.class, () -> c.store().create("nf", utf8("x")));
    assertEquals(ErrorCode.NOT_FOUND, e.code());
  }

  // ---------------------------------------------------------------- corruption, lifecycle

  @Test
  void corruptOrForeignObjectsAreReportedNotMisread() {
    StorageLeaseStore s = client(StorageLeaseOptions.defaults()).store();
    Layout layout = new Layout("");
    assertEquals(CasResult.won(1), s.create("bad", utf8("v1")));
    byte[] bytes = raw().get(layout.object("bad", 1)).orElseThrow();
    bytes[bytes.length - 7] ^= 1;
    raw().put(layout.object("bad", 1), bytes);
    HadbException e = assertThrows(HadbException.class, () -> s.read("bad"));
    assertEquals(ErrorCode.CORRUPT, e.code());
    assertTrue(e.getMessage().contains(layout.object("bad", 1)), e.getMessage());

    raw().put(layout.dir("other") + "not-a-version", utf8("foreign"));
    HadbException f = assertThrows(HadbException.class, () -> s.read("other"));
    assertEquals(ErrorCode.CORRUPT, f.code());
    assertTrue(f.getMessage().contains("not-a-version"), f.getMessage());
  }

  @Test
  void closeIsIdempotentRefusesCallsAndClosesAnOwnedBackend() {
    StorageBackend backend = StorageBackends.open(namespace);
    StorageLeaseStore s = StorageLeaseStore.open(backend, StorageLeaseOptions.defaults());
    s.create("c", utf8("x"));
    s.close();
    s.close();
    assertEquals(ErrorCode.CLOSED, assertThrows(HadbException.class, () -> s.read("c")).code());
    assertEquals(ErrorCode.CLOSED, assertThrows(HadbException.class, () -> backend.get("x")).code());

    StorageBackend kept = StorageBackends.open(namespace);
    toClose.add(kept);
    StorageLeaseStore borrowing = StorageLeaseStore.open(kept, StorageLeaseOptions.defaults().withCloseBackend(false));
    borrowing.close();
    assertTrue(kept.list("", Optional.empty(), 1).keys().size() <= 1);
  }

  @Test
  void optionsAreValidated() {
    StorageLeaseOptions d = StorageLeaseOptions.defaults();
    assertThrows(HadbException.class, () -> d.withKeepVersions(1));
    assertThrows(HadbException.class, () -> d.withCollectEvery(0));
    assertThrows(HadbException.class, () -> d.withRoot("no-slash"));
    assertThrows(HadbException.class, () -> d.withRoot("a//b/"));
    assertEquals("leases/", d.withRoot("leases/").root());
  }

  @Test
  void aRootKeepsRegistersApart() {
    StorageLeaseStore one = client(StorageLeaseOptions.defaults().withRoot("one/")).store();
    StorageLeaseStore two = client(StorageLeaseOptions.defaults().withRoot("two/")).store();
    assertEquals(CasResult.won(1), one.create("k", utf8("1")));
    assertEquals(Optional.empty(), two.read("k"));
    assertEquals(CasResult.won(1), two.create("k", utf8("2")));
    assertArrayEquals(utf8("1"), one.read("k").orElseThrow().value());
    assertTrue(raw().listAll("one/").size() == 1 && raw().listAll("two/").size() == 1);
  }

  private static void await(CountDownLatch latch) {
    try {
      if (!latch.await(30, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test latch never released");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
