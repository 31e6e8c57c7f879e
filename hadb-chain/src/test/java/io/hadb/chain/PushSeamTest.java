package io.hadb.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.chain.toy.ToyEngine;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The push seam (DESIGN §9) on the toy engine and a real storage plug-in: the leader tells of each
 * changeset only once storage holds it, a follower applies offered changesets without a storage
 * request, and an offered changeset that fails verification is never applied: the follower reads
 * storage instead and ends with the leader's content.
 */
class PushSeamTest {
  @TempDir Path dir;
  StorageBackend storage;
  final AtomicInteger followerRequests = new AtomicInteger();

  record Told(long seq, String key, byte[] body, boolean stored) {}

  @BeforeEach
  void openStore() {
    storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
  }

  @AfterEach
  void closeStore() {
    storage.close();
  }

  /** {@link #storage} with every call counted: what the follower asked storage. */
  StorageBackend counted() {
    return (StorageBackend) Proxy.newProxyInstance(StorageBackend.class.getClassLoader(),
        new Class<?>[] {StorageBackend.class}, (proxy, m, args) -> {
          if (!m.getName().equals("close")) {
            followerRequests.incrementAndGet();
          }
          try {
            return m.invoke(storage, args);
          } catch (InvocationTargetException e) {
            throw e.getCause();
          }
        });
  }

  List<Told> listen(ToyEngine leader) {
    List<Told> told = new CopyOnWriteArrayList<>();
    leader.replicator().onDurable((seq, key, body) -> {
      try (InputStream in = body.open()) {
        told.add(new Told(seq, key, in.readAllBytes(), storage.getStream(key).isPresent()));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    return told;
  }

  @Test
  void offeredChangesetsApplyWithoutAStorageRequestAndOnlyOnceDurable() {
    ChainOptions o = ChainOptions.defaults().withDurability(io.hadb.api.Durability.SYNC);
    try (ToyEngine leader = new ToyEngine(dir.resolve("leader.db"), storage, ToyChainTest.PREFIX, o);
        ToyEngine follower = new ToyEngine(dir.resolve("follower.db"), counted(), ToyChainTest.PREFIX, o)) {
      List<Told> told = listen(leader);
      leader.replicator().startPublishing(1, 1);
      ToyChainTest.commits(leader, 0, 5);
      follower.replicator().bootstrap();
      long at = follower.replicator().appliedSeq();
      ToyChainTest.commits(leader, 5, 25);
      long head = leader.replicator().sync();
      assertTrue(told.stream().allMatch(Told::stored), "a changeset is told of only once storage holds it");
      assertEquals(head, told.get(told.size() - 1).seq());
      for (Told t : told) {
        if (t.seq() > at) {
          assertTrue(follower.replicator().offer(t.seq(), t.key(), t.body()));
        }
      }
      followerRequests.set(0);
      assertEquals(head, follower.replicator().pullOffered());
      assertEquals(0, followerRequests.get(), "applied from the offers alone");
      assertEquals(leader.content(), follower.content());
    }
  }

  @Test
  void aBadOfferIsNeverAppliedAndStorageFillsIn() {
    ChainOptions o = ChainOptions.defaults().withDurability(io.hadb.api.Durability.SYNC);
    try (ToyEngine leader = new ToyEngine(dir.resolve("leader.db"), storage, ToyChainTest.PREFIX, o);
        ToyEngine follower = new ToyEngine(dir.resolve("follower.db"), counted(), ToyChainTest.PREFIX, o)) {
      List<Told> told = listen(leader);
      leader.replicator().startPublishing(1, 1);
      ToyChainTest.commits(leader, 0, 3);
      follower.replicator().bootstrap();
      long at = follower.replicator().appliedSeq();
      ToyChainTest.commits(leader, 3, 9);
      long head = leader.replicator().sync();
      long bad = at + 3;
      for (Told t : told) {
        if (t.seq() > at) {
          byte[] body = t.body().clone();
          if (t.seq() == bad) {
            body[body.length / 2] ^= 0x40; // a flipped bit on the way
          }
          follower.replicator().offer(t.seq(), t.key(), body);
        }
      }
      assertEquals(bad - 1, follower.replicator().pullOffered(), "stops before the bad offer, applies the good ones");
      assertEquals(head, follower.replicator().pull(), "storage fills in from the bad one on");
      assertEquals(leader.content(), follower.content());

      // A bad offer met by an ordinary pull is replaced by the stored changeset at once.
      ToyChainTest.commits(leader, 9, 12);
      long head2 = leader.replicator().sync();
      for (Told t : told) {
        if (t.seq() > head) {
          byte[] body = t.body().clone();
          body[body.length - 1] ^= 0x01;
          follower.replicator().offer(t.seq(), t.key(), body);
        }
      }
      assertEquals(head2, follower.replicator().pull());
      assertEquals(leader.content(), follower.content());
    }
  }
}
