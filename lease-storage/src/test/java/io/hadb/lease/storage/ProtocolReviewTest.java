package io.hadb.lease.storage;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Adversarial schedules against the protocol (README, "The protocol"): clients held for a long
 * time between two storage calls (a GC pause) while others write and collect, stale writers
 * refilling collected slots (orphans), answers of puts that landed being lost, and clients of one
 * register configured with different {@code keepVersions}. Each schedule is forced with
 * {@link GatedBackend} holds, so it runs the same way every time; the last test adds random
 * stalls to many clients and checks the register's invariants.
 */
class ProtocolReviewTest {
  private static final String K = "review/k";
  private final String namespace = "mem://lease-review-" + UUID.randomUUID();
  private final Layout layout = new Layout("");
  private final List<AutoCloseable> toClose = new ArrayList<>();
  private final ExecutorService pool = Executors.newCachedThreadPool();
  /** The register's objects as stored, seen without any client. */
  private final StorageBackend raw = StorageBackends.open(namespace);

  record Client(StorageLeaseStore store, GatedBackend backend) {}

  private Client client(int keep, Collection collection) {
    GatedBackend backend = new GatedBackend(StorageBackends.open(namespace));
    StorageLeaseStore store = StorageLeaseStore.open(backend, StorageLeaseOptions.defaults()
        .withKeepVersions(keep).withCollectEvery(1).withCollection(collection));
    toClose.add(store);
    return new Client(store, backend);
  }

  /** The most aggressive collector the options allow: keep 2, after every win, inline. */
  private Client collector() {
    return client(2, Collection.INLINE);
  }

  @AfterEach
  void closeAll() throws Exception {
    pool.shutdownNow();
    for (AutoCloseable c : toClose) {
      c.close();
    }
    raw.close();
  }

  // ---------------------------------------------------------------- a lost answer, a refilled slot

  /** Where the answer to a put that landed is lost. */
  enum LostAnswer {
    /** The put throws a retryable error; the store reads the slot back. */
    TO_THE_STORE,
    /** The backend retries its conditional put and answers false (storage-s3 does this). */
    INSIDE_THE_BACKEND
  }

  /**
   * A's put of version 2 lands (it is the real version 2: B builds on it) but its answer is lost.
   * Before A, or its backend, reads the slot back, B moves on and collects slot 2, and a stale
   * writer C refills it. Finding C's record in slot 2 must not make A report a loss: it won.
   */
  @ParameterizedTest(name = "answer lost {0}")
  @EnumSource(LostAnswer.class)
  void aWinWhoseAnswerWasLostStaysWonAfterItsSlotIsCollectedAndRefilled(LostAnswer where) throws Exception {
    Client a = client(2, Collection.OFF);
    Client b = collector();
    Client c = client(2, Collection.OFF);
    assertEquals(CasResult.won(1), b.store().create(K, utf8("v1")));
    Hold cPut = Hold.at(c.backend(), Gate.PUT, name -> true);
    Future<CasResult> stale = pool.submit(() -> c.store().compareAndSet(K, 1, utf8("C")));
    cPut.awaitHeld();

    Runnable meanwhile = () -> moveOnCollectAndRefillSlot2(b, cPut, stale);
    if (where == LostAnswer.INSIDE_THE_BACKEND) {
      a.backend().answerLost = meanwhile;
    } else {
      AtomicBoolean once = new AtomicBoolean();
      a.backend().afterPutIfAbsent = name -> {
        if (once.compareAndSet(false, true)) {
          meanwhile.run();
          throw HadbException.unknownOutcome("injected: the answer to a put that landed was lost", null);
        }
      };
    }
    assertEquals(CasResult.won(2), a.store().compareAndSet(K, 1, utf8("A")));
    assertEquals(new Versioned(utf8("v4"), 4), a.store().read(K).orElseThrow());
  }

  /** B, building on A's version 2, reaches 4 and collects slot 2; C's stale put refills it. */
  private void moveOnCollectAndRefillSlot2(Client b, Hold cPut, Future<CasResult> stale) {
    assertEquals(new Versioned(utf8("A"), 2), b.store().read(K).orElseThrow(), "A's write is version 2");
    assertEquals(CasResult.won(3), b.store().compareAndSet(K, 2, utf8("v3")));
    assertEquals(CasResult.won(4), b.store().compareAndSet(K, 3, utf8("v4")));
    assertTrue(raw.get(layout.object(K, 2)).isEmpty(), "slot 2 was collected");
    cPut.release();
    assertEquals(CasResult.lost(), get(stale), "C's write is an orphan");
    assertArrayEquals(utf8("C"), record(2).value(), "C refilled slot 2");
  }

  // ---------------------------------------------------------------- clients with different keeps

  /**
   * A reader configured with keep 16 on a register whose writer collects with keep 2: the reader
   * lists version 2, is held, the writer reaches 4 and deletes 2, a stale writer refills slot 2.
   * Keep 16 must not make the reader trust slot 2 (4 < 2 + 16): the orphan was never current.
   */
  @Test
  void aReaderWithALargerKeepThanTheCollectorNeverReturnsAnOrphan() throws Exception {
    Client r = client(16, Collection.OFF);
    Client w = collector();
    assertEquals(CasResult.won(1), w.store().create(K, utf8("v1")));
    assertEquals(CasResult.won(2), w.store().compareAndSet(K, 1, utf8("v2")));
    Hold rGet = Hold.at(r.backend(), Gate.GET, name -> name.equals(layout.object(K, 2)));
    Future<Optional<Versioned>> read = pool.submit(() -> r.store().read(K));
    rGet.awaitHeld();
    assertEquals(CasResult.won(3), w.store().compareAndSet(K, 2, utf8("v3")));
    assertEquals(CasResult.won(4), w.store().compareAndSet(K, 3, utf8("v4")));
    assertTrue(raw.get(layout.object(K, 2)).isEmpty());
    LeaseRecord orphan = LeaseRecord.next(Optional.empty(), 2, false, K, utf8("ORPHAN"));
    assertTrue(raw.putIfAbsent(layout.object(K, 2), orphan.encode()));
    rGet.release();
    assertEquals(new Versioned(utf8("v4"), 4), get(read).orElseThrow());
  }

  /**
   * Two winners for one expected version through a chain of orphans. A (keep under test) writes
   * version 3 over version 2 after a long stall: an orphan, since B (keep 2) reached 5 and
   * collected slot 3. A lists 5 as the newest and is held before fetching it. Stale writers then
   * build orphans on A's orphan: E fills collected slot 4, F fills collected slot 5, so F's record
   * names A's nonce at version 3 in its history. When A fetches slot 5 it gets F's record; only
   * the second listing (newest 7) tells A that slot 5 may have been refilled. A must report lost:
   * B won version 3.
   */
  @ParameterizedTest(name = "keep {0}")
  @ValueSource(ints = {2, 16})
  void anOrphanChainNamingAStalledWritersNonceIsNotTrusted(int keep) throws Exception {
    Client a = client(keep, Collection.OFF);
    Client b = collector();
    Client e = client(2, Collection.OFF);
    Client f = client(2, Collection.OFF);
    assertEquals(CasResult.won(1), b.store().create(K, utf8("B1")));
    assertEquals(CasResult.won(2), b.store().compareAndSet(K, 1, utf8("B2")));

    Hold aPut = Hold.at(a.backend(), Gate.PUT, name -> true);
    Future<CasResult> aCas = pool.submit(() -> a.store().compareAndSet(K, 2, utf8("A")));
    aPut.awaitHeld();
    for (long v = 2; v < 5; v++) {
      assertEquals(CasResult.won(v + 1), b.store().compareAndSet(K, v, utf8("B" + (v + 1))));
    }
    assertTrue(raw.get(layout.object(K, 3)).isEmpty(), "slot 3 was collected");

    Hold aGet = Hold.at(a.backend(), Gate.GET, name -> name.equals(layout.object(K, 5)));
    aPut.release();
    aGet.awaitHeld(); // A's orphan is in slot 3; A listed 5 as the newest
    byte[] aNonce = record(3).nonce();

    staleWriteOver(e, 3, "E", () -> assertEquals(CasResult.won(6), b.store().compareAndSet(K, 5, utf8("B6"))));
    staleWriteOver(f, 4, "F", () -> assertEquals(CasResult.won(7), b.store().compareAndSet(K, 6, utf8("B7"))));
    assertArrayEquals(aNonce, record(5).nonceOf(3).orElseThrow(), "F's orphan names A's write as version 3");

    aGet.release();
    assertEquals(CasResult.lost(), get(aCas), "B won version 3, so A must not");
    assertEquals(new Versioned(utf8("B7"), 7), a.store().read(K).orElseThrow());
  }

  /** {@code stale} reads version v (an orphan) and is held while {@code meanwhile} collects v+1. */
  private void staleWriteOver(Client stale, long v, String value, Runnable meanwhile) throws Exception {
    Hold put = Hold.at(stale.backend(), Gate.PUT, name -> true);
    Future<CasResult> cas = pool.submit(() -> stale.store().compareAndSet(K, v, utf8(value)));
    put.awaitHeld();
    meanwhile.run();
    assertTrue(raw.get(layout.object(K, v + 1)).isEmpty(), "slot " + (v + 1) + " was collected");
    put.release();
    assertEquals(CasResult.lost(), get(cas));
    assertArrayEquals(utf8(value), record(v + 1).value(), value + " refilled slot " + (v + 1));
  }

  // ---------------------------------------------------------------- stalled creates

  /** A create that saw no key, stalled while the key was created and moved on, fills slot 1. */
  @Test
  void aCreateStalledOnAnAbsentKeyLosesAndItsOrphanStaysInvisible() throws Exception {
    Client a = client(2, Collection.OFF);
    Client b = collector();
    CasResult create = createStalledBeforeItsPut(a, () -> {
      assertEquals(CasResult.won(1), b.store().create(K, utf8("B1")));
      advance(b, 1, 3);
      assertTrue(raw.get(layout.object(K, 1)).isEmpty());
    });
    assertEquals(CasResult.lost(), create);
    assertArrayEquals(utf8("A"), record(1).value(), "the orphan exists");
    assertEquals(new Versioned(utf8("B3"), 3), a.store().read(K).orElseThrow());
    assertEquals(CasResult.won(4), a.store().compareAndSet(K, 3, utf8("A4")));
  }

  /**
   * A create that saw the tombstone at 2, stalled while the key was re-created and moved to 5,
   * fills collected slot 3: lost. After the next delete (tombstone 6) it re-creates at 7, never
   * reusing a version.
   */
  @Test
  void aCreateStalledOnATombstoneLosesAndVersionsNeverRepeat() throws Exception {
    Client a = client(2, Collection.OFF);
    Client b = collector();
    assertEquals(CasResult.won(1), b.store().create(K, utf8("B1")));
    assertEquals(CasResult.won(1), b.store().delete(K, 1));
    CasResult create = createStalledBeforeItsPut(a, () -> {
      assertEquals(CasResult.won(3), b.store().create(K, utf8("B3")));
      advance(b, 3, 5);
      assertTrue(raw.get(layout.object(K, 3)).isEmpty());
    });
    assertEquals(CasResult.lost(), create);
    assertEquals(CasResult.lost(), a.store().delete(K, 3), "slot 3 holds an orphan, not the live version");
    assertEquals(CasResult.won(5), a.store().delete(K, 5));
    assertEquals(Optional.empty(), b.store().read(K));
    assertEquals(CasResult.won(7), a.store().create(K, utf8("A7")));
  }

  /** {@code a} creates value "A" and is held before its put while {@code meanwhile} runs. */
  private CasResult createStalledBeforeItsPut(Client a, Runnable meanwhile) throws Exception {
    Hold put = Hold.at(a.backend(), Gate.PUT, name -> true);
    Future<CasResult> create = pool.submit(() -> a.store().create(K, utf8("A")));
    put.awaitHeld();
    meanwhile.run();
    put.release();
    return get(create);
  }

  // ---------------------------------------------------------------- stalled confirmation

  /**
   * A winner held after its put landed, before confirming: others build on it and collect its
   * slot. Within the history window (32 newer versions) it learns it won; beyond, it must say
   * UNKNOWN_OUTCOME, never lost.
   */
  @Test
  void aWinnerStalledBeforeConfirmingIsWonWithinHistoryAndUnknownBeyond() throws Exception {
    Client a = client(2, Collection.OFF);
    Client b = collector();
    assertEquals(CasResult.won(1), b.store().create(K, utf8("B1")));

    Hold landed = Hold.at(a.backend(), Gate.AFTER_PUT, name -> true);
    Future<CasResult> won = pool.submit(() -> a.store().compareAndSet(K, 1, utf8("A2")));
    landed.awaitHeld();
    assertEquals(new Versioned(utf8("A2"), 2), b.store().read(K).orElseThrow());
    advance(b, 2, 2 + LeaseRecord.HISTORY);
    assertTrue(raw.get(layout.object(K, 2)).isEmpty());
    landed.release();
    assertEquals(CasResult.won(2), get(won));

    long top = 2 + LeaseRecord.HISTORY;
    Hold landed2 = Hold.at(a.backend(), Gate.AFTER_PUT, name -> true);
    Future<CasResult> unknown = pool.submit(() -> a.store().compareAndSet(K, top, utf8("A")));
    landed2.awaitHeld();
    advance(b, top + 1, top + 1 + LeaseRecord.HISTORY + 1);
    landed2.release();
    try {
      CasResult r = unknown.get(20, TimeUnit.SECONDS);
      fail("a write 33 versions behind cannot be confirmed either way, but was " + r);
    } catch (java.util.concurrent.ExecutionException ex) {
      assertTrue(ex.getCause() instanceof HadbException, ex.getCause().toString());
      assertEquals(ErrorCode.UNKNOWN_OUTCOME, ((HadbException) ex.getCause()).code());
    }
  }

  /**
   * A winner held before confirming lists 5 as the newest and is held again before fetching it;
   * meanwhile slot 5 is collected and refilled with a record whose history names another write as
   * version 3 (what a chain of stale writers builds). The second listing shows 7, so the winner
   * must look again instead of believing the refill and calling its win an orphan.
   */
  @ParameterizedTest(name = "keep {0}")
  @ValueSource(ints = {2, 16})
  void aConfirmationWhoseNewestIsRefilledLooksAgain(int keep) throws Exception {
    Client a = client(keep, Collection.OFF);
    Client b = collector();
    assertEquals(CasResult.won(1), b.store().create(K, utf8("B1")));
    assertEquals(CasResult.won(2), b.store().compareAndSet(K, 1, utf8("B2")));
    Hold landed = Hold.at(a.backend(), Gate.AFTER_PUT, name -> true);
    Future<CasResult> aCas = pool.submit(() -> a.store().compareAndSet(K, 2, utf8("A3")));
    landed.awaitHeld();
    advance(b, 3, 5);
    Hold aGet = Hold.at(a.backend(), Gate.GET, name -> name.equals(layout.object(K, 5)));
    landed.release();
    aGet.awaitHeld(); // A listed 5 as the newest and is about to fetch it
    advance(b, 5, 7);
    assertTrue(raw.get(layout.object(K, 5)).isEmpty(), "slot 5 was collected");
    LeaseRecord other3 = LeaseRecord.next(Optional.empty(), 3, false, K, utf8("S3"));
    LeaseRecord other4 = LeaseRecord.next(Optional.of(other3), 4, false, K, utf8("S4"));
    LeaseRecord refill = LeaseRecord.next(Optional.of(other4), 5, false, K, utf8("S5"));
    assertTrue(raw.putIfAbsent(layout.object(K, 5), refill.encode()));
    aGet.release();
    assertEquals(CasResult.won(3), get(aCas));
  }

  // ---------------------------------------------------------------- collection

  /**
   * Collection runs after the outcome is known; a backend whose listing ignores the start key
   * hands the collector the newest versions too. It must refuse to delete them and must not turn
   * the win it follows into an exception.
   */
  @Test
  void aBrokenListingNeitherLetsCollectionDeleteTheNewestNorFailsTheWin() {
    Client c = collector();
    assertEquals(CasResult.won(1), c.store().create(K, utf8("v1")));
    assertEquals(CasResult.won(2), c.store().compareAndSet(K, 1, utf8("v2")));
    c.backend().listIgnoresStartAfter = true;
    assertEquals(CasResult.won(3), c.store().compareAndSet(K, 2, utf8("v3")));
    assertEquals(CasResult.won(4), c.store().compareAndSet(K, 3, utf8("v4")));
    assertEquals(new Versioned(utf8("v4"), 4), c.store().read(K).orElseThrow());
    assertTrue(raw.get(layout.object(K, 3)).isPresent(), "version 3 is within keep 2 of 4");
  }

  /** A register at the last version refuses to go on with a HadbException, not an overflow. */
  @Test
  void theLastVersionIsRefusedNotOverflowed() {
    StorageLeaseStore s = client(2, Collection.OFF).store();
    LeaseRecord live = LeaseRecord.next(Optional.empty(), Long.MAX_VALUE, false, K, utf8("last"));
    assertTrue(raw.putIfAbsent(layout.object(K, Long.MAX_VALUE), live.encode()));
    assertEquals(new Versioned(utf8("last"), Long.MAX_VALUE), s.read(K).orElseThrow());
    assertEquals(ErrorCode.UNSUPPORTED, assertThrows(HadbException.class,
        () -> s.compareAndSet(K, Long.MAX_VALUE, utf8("x"))).code());
    String other = K + "2";
    LeaseRecord tombstone = LeaseRecord.next(Optional.empty(), Long.MAX_VALUE, true, other, new byte[0]);
    assertTrue(raw.putIfAbsent(layout.object(other, Long.MAX_VALUE), tombstone.encode()));
    HadbException e = assertThrows(HadbException.class, () -> s.create(other, utf8("x")));
    assertEquals(ErrorCode.UNSUPPORTED, e.code());
    assertTrue(e.getMessage().contains(other), e.getMessage());
  }

  // ---------------------------------------------------------------- many clients, random stalls

  /**
   * Six clients (keeps 2 and 16 mixed, background and inline collection) increment a counter by
   * read-then-CAS, with random stalls before their storage calls (a few long ones). Every version
   * has at most one winner, every read returns the value its version's winner wrote, each thread
   * sees versions only rise, and the final counter equals the final version.
   */
  @Test
  void randomStallsNeverBreakTheRegister() throws Exception {
    int threads = 6;
    Map<Long, String> winners = new ConcurrentHashMap<>();
    Map<String, Long> readsSeen = new ConcurrentHashMap<>();
    AtomicInteger wins = new AtomicInteger();
    AtomicInteger unknown = new AtomicInteger();
    AtomicInteger unavailable = new AtomicInteger();
    List<Client> clients = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      Client c = client(i % 2 == 0 ? 2 : 16, i % 3 == 0 ? Collection.BACKGROUND : Collection.INLINE);
      GatedBackend.Hook stall = name -> sleepMillis(ThreadLocalRandom.current().nextInt(100) < 3 ? 20 : 0);
      c.backend().beforeGet = stall;
      c.backend().beforeList = stall;
      c.backend().beforePutIfAbsent = stall;
      clients.add(c);
    }
    CasResult first = clients.get(0).store().create(K, utf8("0/1"));
    winners.put(1L, "0/1");
    wins.incrementAndGet();
    assertEquals(CasResult.won(1), first);
    long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
    List<Future<?>> runs = new ArrayList<>();
    for (int i = 0; i < threads; i++) {
      StorageLeaseStore store = clients.get(i).store();
      int id = i;
      runs.add(pool.submit(() -> {
        long lastSeen = 0;
        int seq = 0;
        while (System.nanoTime() < deadline) {
          try {
            Versioned now = store.read(K).orElseThrow();
            assertTrue(now.version() >= lastSeen, "thread " + id + " saw " + now.version() + " after " + lastSeen);
            lastSeen = now.version();
            String value = new String(now.value(), UTF_8);
            readsSeen.put(value, now.version());
            long count = Long.parseLong(value.substring(value.indexOf('/') + 1));
            String next = id + "." + seq++ + "/" + (count + 1);
            CasResult r = store.compareAndSet(K, now.version(), utf8(next));
            if (r.isWon()) {
              assertEquals(now.version() + 1, r.version());
              String before = winners.putIfAbsent(r.version(), next);
              assertEquals(null, before, "two winners of version " + r.version());
              wins.incrementAndGet();
              lastSeen = r.version();
            }
          } catch (HadbException ex) {
            if (ex.code() == ErrorCode.UNKNOWN_OUTCOME) {
              unknown.incrementAndGet();
            } else if (ex.code() == ErrorCode.UNAVAILABLE) {
              unavailable.incrementAndGet();
            } else {
              throw ex;
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> run : runs) {
      run.get(30, TimeUnit.SECONDS);
    }
    Versioned last = clients.get(1).store().read(K).orElseThrow();
    String text = new String(last.value(), UTF_8);
    assertEquals(last.version(), Long.parseLong(text.substring(text.indexOf('/') + 1)),
        "the counter equals the number of versions: no write was lost or doubled");
    assertTrue(wins.get() <= last.version() && last.version() <= wins.get() + unknown.get(),
        wins + " wins, " + unknown + " unknown, version " + last.version());
    for (Map.Entry<String, Long> read : readsSeen.entrySet()) {
      String winner = winners.get(read.getValue());
      if (winner != null) {
        assertEquals(winner, read.getKey(), "read of version " + read.getValue());
      }
    }
    assertTrue(wins.get() > 20, "too little progress to mean anything: " + wins + " wins");
    System.out.printf("randomStalls: %d wins, %d unknown outcomes, %d unavailable, final version %d%n",
        wins.get(), unknown.get(), unavailable.get(), last.version());
  }

  // ---------------------------------------------------------------- helpers

  private void advance(Client c, long from, long to) {
    for (long v = from; v < to; v++) {
      assertEquals(CasResult.won(v + 1), c.store().compareAndSet(K, v, utf8("B" + (v + 1))));
    }
  }

  private LeaseRecord record(long version) {
    String name = layout.object(K, version);
    return LeaseRecord.decode(raw.get(name).orElseThrow(() -> new AssertionError(name + " is absent")),
        K, version, name);
  }

  private static <T> T get(Future<T> f) {
    try {
      return f.get(20, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new AssertionError("the held call failed: " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(UTF_8);
  }

  private static void sleepMillis(long ms) {
    if (ms > 0) {
      try {
        Thread.sleep(ms);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  enum Gate { GET, LIST, PUT, AFTER_PUT }

  /** Holds the first call of a client at a gate whose object name matches, until released. */
  static final class Hold implements GatedBackend.Hook {
    private final Predicate<String> which;
    private final AtomicBoolean armed = new AtomicBoolean(true);
    private final CountDownLatch held = new CountDownLatch(1);
    private final CountDownLatch release = new CountDownLatch(1);

    private Hold(Predicate<String> which) {
      this.which = which;
    }

    static Hold at(GatedBackend backend, Gate gate, Predicate<String> which) {
      Hold h = new Hold(which);
      switch (gate) {
        case GET -> backend.beforeGet = h;
        case LIST -> backend.beforeList = h;
        case PUT -> backend.beforePutIfAbsent = h;
        case AFTER_PUT -> backend.afterPutIfAbsent = h;
        default -> throw new IllegalArgumentException(gate.name());
      }
      return h;
    }

    @Override
    public void run(String name) {
      if (which.test(name) && armed.compareAndSet(true, false)) {
        held.countDown();
        await(release);
      }
    }

    void awaitHeld() throws InterruptedException {
      assertTrue(held.await(20, TimeUnit.SECONDS), "the client never reached the hold");
    }

    void release() {
      release.countDown();
    }

    private static void await(CountDownLatch latch) {
      try {
        if (!latch.await(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("hold never released");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }
}
