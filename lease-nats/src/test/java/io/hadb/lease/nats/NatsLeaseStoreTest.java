package io.hadb.lease.nats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.Subscription;
import io.hadb.testservers.NatsServer;
import io.nats.client.Connection;
import io.nats.client.Nats;
import io.nats.client.api.KeyValueConfiguration;
import io.nats.client.api.MessageInfo;
import io.nats.client.api.StorageType;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** NATS-specific behaviour; the general contract is proven by {@link NatsLeaseStoreConformanceTest}. */
class NatsLeaseStoreTest {
  static final String BUCKET = "hadb-unit";

  LeaseStore store;
  String prefix;

  @BeforeEach
  void open() {
    store = LeaseStores.open(NatsServer.shared().leaseUri(BUCKET));
    prefix = "t" + UUID.randomUUID().toString().substring(0, 8) + "/";
  }

  @AfterEach
  void close() {
    store.close();
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void opensThroughServiceLoaderAndKeysWithEveryAllowedCharacterWork() {
    assertInstanceOf(NatsLeaseStore.class, store);
    String key = prefix + "a.b_c+d,e@f-g=h/..x/z";
    long v = store.create(key, b("v")).version();
    assertArrayEquals(b("v"), store.read(key).orElseThrow().value());
    assertTrue(store.compareAndSet(key, v, b("w")).isWon());
  }

  @Test
  void compareAndSetFromADeleteMarkersSequenceIsLost() {
    String key = prefix + "marker";
    long v = store.create(key, b("a")).version();
    assertTrue(store.delete(key, v).isWon());
    // The delete marker is the key's last message; its sequence is very likely v + 1. NATS alone
    // would accept a write conditional on it: the store must not.
    for (long guess = v + 1; guess <= v + 3; guess++) {
      assertEquals(CasResult.lost(), store.compareAndSet(key, guess, b("b")), "guess " + guess);
      assertEquals(CasResult.lost(), store.delete(key, guess), "guess " + guess);
    }
    // A second client without the first one's cache sees the same.
    try (LeaseStore other = LeaseStores.open(NatsServer.shared().leaseUri(BUCKET))) {
      assertEquals(CasResult.lost(), other.compareAndSet(key, v + 1, b("b")));
    }
    assertTrue(store.read(key).isEmpty());
  }

  @Test
  void versionsGrowAcrossDeleteAndCreate() {
    String key = prefix + "mono";
    long v1 = store.create(key, b("1")).version();
    assertEquals(CasResult.lost(), store.create(key, b("x")));
    assertTrue(store.delete(key, v1).isWon());
    long v2 = store.create(key, b("2")).version();
    assertTrue(v2 > v1 + 1, v1 + " then " + v2);
    assertTrue(store.delete(key, v2).isWon());
    long v3 = store.create(key, b("3")).version();
    assertTrue(v3 > v2, v2 + " then " + v3);
  }

  @Test
  void writesCarryAMessageIdAndResendingItIsRecognisedAsADuplicate() throws Exception {
    // The resolution of ambiguous writes rests on this server behaviour: a duplicate message id
    // is answered with the original ack even when the expected sequence no longer holds.
    String key = prefix + "dup";
    long v = store.create(key, b("x")).version();
    store.compareAndSet(key, v, b("y"));
    try (Connection c = Nats.connect(NatsServer.shared().url())) {
      String subject = "$KV." + BUCKET + "." + io.hadb.lease.nats.internal.NatsKeyCodec.encode(key);
      MessageInfo last = c.jetStreamManagement().getLastMessage("KV_" + BUCKET, subject);
      String id = last.getHeaders().getFirst("Nats-Msg-Id");
      assertFalse(id == null || id.isEmpty());
      io.nats.client.impl.Headers h = new io.nats.client.impl.Headers()
          .put("Nats-Expected-Last-Subject-Sequence", Long.toString(v))
          .put("Nats-Msg-Id", id);
      io.nats.client.api.PublishAck ack = c.jetStream().publish(
          io.nats.client.impl.NatsMessage.builder().subject(subject).headers(h).data(b("y")).build());
      assertTrue(ack.isDuplicate());
      assertEquals(last.getSeq(), ack.getSeqno());
    }
  }

  @Test
  void watchFiresOnChangesByAnotherClient() throws Exception {
    String key = prefix + "watched";
    Semaphore changes = new Semaphore(0);
    try (LeaseStore other = LeaseStores.open(NatsServer.shared().leaseUri(BUCKET))) {
      Subscription sub = store.watch(key, changes::release).orElseThrow();
      long v = other.create(key, b("1")).version();
      assertTrue(changes.tryAcquire(5, TimeUnit.SECONDS), "no notice of the create");
      v = other.compareAndSet(key, v, b("2")).version();
      assertTrue(changes.tryAcquire(5, TimeUnit.SECONDS), "no notice of the CAS");
      other.delete(key, v);
      assertTrue(changes.tryAcquire(5, TimeUnit.SECONDS), "no notice of the delete");
      sub.close();
      sub.close();
      other.create(key, b("3"));
      assertFalse(changes.tryAcquire(300, TimeUnit.MILLISECONDS), "notice after close");
    }
  }

  @Test
  void closedStoreRefusesEveryCall() {
    store.close();
    store.close();
    for (Runnable call : new Runnable[] {
        () -> store.read("k"), () -> store.create("k", b("")),
        () -> store.compareAndSet("k", 1, b("")), () -> store.delete("k", 1),
        () -> store.watch("k", () -> {})}) {
      assertEquals(ErrorCode.CLOSED, assertThrows(HadbException.class, call::run).code());
    }
  }

  @Test
  void aMissingBucketIsCreatedWithFileStorageHistoryOneAndTheReplicasParameter() throws Exception {
    String bucket = "created-" + UUID.randomUUID().toString().substring(0, 8);
    try (LeaseStore created = LeaseStores.open(NatsServer.shared().leaseUri(bucket, "replicas=1"));
        Connection nc = Nats.connect(NatsServer.shared().url())) {
      created.create("k", b("v"));
      KeyValueConfiguration c = nc.keyValueManagement().getBucketInfo(bucket).getConfiguration();
      assertEquals(StorageType.File, c.getStorageType());
      assertEquals(1, c.getMaxHistoryPerKey());
      assertEquals(1, c.getReplicas());
    }
    // A single server cannot hold 3 replicas: the store says which bucket it could not create.
    String three = "three-" + UUID.randomUUID().toString().substring(0, 8);
    HadbException e = assertThrows(HadbException.class,
        () -> LeaseStores.open(NatsServer.shared().leaseUri(three, "replicas=3")));
    assertTrue(e.getMessage().contains("'" + three + "'"), e.getMessage());
  }

  @Test
  void userAndPasswordFromTheUriAreUsedAndAWrongOneIsNamedAtOpen() {
    try (NatsServer secured = NatsServer.start(List.of("--user", "hadb", "--pass", "p@ss w0rd"))) {
      String host = "127.0.0.1:" + secured.port() + "?bucket=auth";
      try (LeaseStore ok = LeaseStores.open("nats://hadb:p%40ss%20w0rd@" + host)) {
        assertTrue(ok.create("k", b("v")).isWon());
      }
      HadbException e = assertThrows(HadbException.class,
          () -> LeaseStores.open("nats://hadb:wrong@" + host + "&connectTimeout=2s"));
      assertTrue(e.getMessage().contains("Authorization Violation"), e.getMessage());
      assertFalse(e.getMessage().contains("wrong"), "password printed: " + e.getMessage());
    }
  }

  @Test
  void unreachableServerIsUnavailableAtOpen() {
    HadbException e = assertThrows(HadbException.class,
        () -> LeaseStores.open("nats://127.0.0.1:1?bucket=b&connectTimeout=1s"));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
  }
}
