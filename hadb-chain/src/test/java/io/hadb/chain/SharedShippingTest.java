package io.hadb.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.EngineThreads;
import io.hadb.chain.toy.ToyEngine;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Leaders shipping on a host's shared threads (DESIGN §9) instead of a shipper and a snapshot
 * thread each: the chain is the same as with threads of their own, no leader starts a thread, and
 * a database whose uploads hang holds one shipping thread only: another database's SYNC commits go
 * on beside it.
 */
class SharedShippingTest {
  /** Generous: only a hang (a commit queued behind the held upload) reaches it. */
  private static final long HANG_SECONDS = 60;

  @TempDir Path dir;
  StorageBackend storage;
  ScheduledExecutorService timer;
  ExecutorService shipping;
  ExecutorService snapshots;
  EngineThreads threads;

  @BeforeEach
  void open() {
    storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
    timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "test-timer"));
    shipping = Executors.newFixedThreadPool(2, r -> new Thread(r, "test-ship"));
    snapshots = Executors.newFixedThreadPool(1, r -> new Thread(r, "test-snapshot"));
    threads = new EngineThreads(timer, shipping, snapshots);
  }

  @AfterEach
  void close() {
    timer.shutdownNow();
    shipping.shutdownNow();
    snapshots.shutdownNow();
    storage.close();
  }

  ChainOptions shared() {
    return ToyChainTest.sync().withThreads(java.util.Optional.of(threads));
  }

  static boolean ownThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .anyMatch(n -> n.startsWith("hadb-ship-") || n.startsWith("hadb-snapshot-"));
  }

  @Test
  void leadersShipAndSnapshotOnTheSharedThreadsAndFollowersGetTheSameChain() {
    try (ToyEngine a = new ToyEngine(dir.resolve("a.db"), storage, "a/", shared());
        ToyEngine b = new ToyEngine(dir.resolve("b.db"), storage, "b/", shared())) {
      a.replicator().startPublishing(1, 1);
      b.replicator().startPublishing(1, 1);
      ToyChainTest.commits(a, 0, 30);
      ToyChainTest.commits(b, 100, 120);
      long snapshotSeq = a.replicator().snapshot();
      ToyChainTest.commits(a, 30, 40);
      long headA = a.replicator().sync();
      long headB = b.replicator().sync();
      assertFalse(ownThreads(), "no leader ran a shipper or snapshot thread of its own");
      assertTrue(snapshotSeq > 0 && snapshotSeq < headA);
      try (ToyEngine fa = new ToyEngine(dir.resolve("fa.db"), storage, "a/", ToyChainTest.sync());
          ToyEngine fb = new ToyEngine(dir.resolve("fb.db"), storage, "b/", ToyChainTest.sync())) {
        assertEquals(headA, fa.replicator().bootstrap());
        assertEquals(headB, fb.replicator().bootstrap());
        assertEquals(a.content(), fa.content());
        assertEquals(b.content(), fb.content());
      }
      a.replicator().stopPublishing();
      b.replicator().stopPublishing();
      assertEquals(0, a.replicator().droppedCommits());
      assertEquals(0, b.replicator().droppedCommits());
    }
  }

  @Test
  void aHungUploadHoldsOneThreadAndAnotherDatabaseCommitsBesideIt() throws Exception {
    CountDownLatch uploadHeld = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    StorageBackend hanging = hangingUploads(uploadHeld, release);
    // Resources close last first: the upload is let go before either database closes.
    try (ToyEngine slow = new ToyEngine(dir.resolve("slow.db"), hanging, "slow/", shared());
        ToyEngine quick = new ToyEngine(dir.resolve("quick.db"), storage, "quick/", shared());
        AutoCloseable letGo = release::countDown) {
      slow.replicator().startPublishing(1, 1);
      quick.replicator().startPublishing(1, 1);
      CompletableFuture<Void> slowCommit = CompletableFuture.runAsync(() -> slow.commit(Map.of(2L, 1)));
      assertTrue(uploadHeld.await(HANG_SECONDS, TimeUnit.SECONDS), "the slow database's upload started");
      CompletableFuture<Long> quickCommits = CompletableFuture.supplyAsync(() -> {
        ToyChainTest.commits(quick, 0, 20); // SYNC: each returns once durable
        return quick.replicator().sync();
      });
      long quickHead = quickCommits.get(HANG_SECONDS, TimeUnit.SECONDS);
      assertTrue(quickHead >= 2, "the quick database's commits are durable while the other's upload hangs");
      assertFalse(slowCommit.isDone(), "the slow database's commit still waits for its upload");
      release.countDown();
      slowCommit.get(HANG_SECONDS, TimeUnit.SECONDS);
      slow.replicator().stopPublishing();
      quick.replicator().stopPublishing();
    }
  }

  /** {@link #storage} whose changeset uploads wait for {@code release}. */
  StorageBackend hangingUploads(CountDownLatch held, CountDownLatch release) {
    return (StorageBackend) Proxy.newProxyInstance(StorageBackend.class.getClassLoader(),
        new Class<?>[] {StorageBackend.class}, (proxy, m, args) -> {
          if (m.getName().equals("putIfAbsent") && args[0] instanceof String key && key.contains("changes/")) {
            held.countDown();
            release.await();
          }
          try {
            return m.invoke(storage, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }
}
