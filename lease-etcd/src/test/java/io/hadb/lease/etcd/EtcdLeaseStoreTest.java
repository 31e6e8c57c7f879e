package io.hadb.lease.etcd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.etcd.jetcd.Auth;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.auth.Permission;
import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.Subscription;
import io.hadb.testservers.EtcdServer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** etcd-specific behaviour; the general contract is proven by {@link EtcdLeaseStoreConformanceTest}. */
class EtcdLeaseStoreTest {
  static final String PREFIX = "hadb-unit/";

  LeaseStore store;
  String prefix;

  @BeforeEach
  void open() {
    store = LeaseStores.open(EtcdServer.shared().leaseUri(PREFIX));
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
  void opensThroughServiceLoaderAndStoresUnderThePrefixWithAWriteId() throws Exception {
    assertInstanceOf(EtcdLeaseStore.class, store);
    String key = prefix + "a.b_c+d,e@f-g=h/..x";
    long v = store.create(key, b("value")).version();
    try (Client raw = Client.builder().endpoints(EtcdServer.shared().endpoint()).build()) {
      var kvs = raw.getKVClient().get(ByteSequence.from(PREFIX + key, StandardCharsets.UTF_8))
          .get(5, TimeUnit.SECONDS).getKvs();
      assertEquals(1, kvs.size());
      byte[] stored = kvs.get(0).getValue().getBytes();
      assertEquals(1 + 16 + 5, stored.length);
      assertEquals(1, stored[0]);
      assertEquals(v, kvs.get(0).getModRevision());
    }
    assertArrayEquals(b("value"), store.read(key).orElseThrow().value());
  }

  @Test
  void aValueNotWrittenByThePlugInIsCorrupt() throws Exception {
    String key = prefix + "foreign";
    try (Client raw = Client.builder().endpoints(EtcdServer.shared().endpoint()).build()) {
      raw.getKVClient().put(ByteSequence.from(PREFIX + key, StandardCharsets.UTF_8),
          ByteSequence.from(b("plain"))).get(5, TimeUnit.SECONDS);
    }
    HadbException e = assertThrows(HadbException.class, () -> store.read(key));
    assertEquals(ErrorCode.CORRUPT, e.code());
    assertTrue(e.getMessage().contains(key), e.getMessage());
  }

  @Test
  void versionsGrowAcrossDeleteAndCreate() {
    String key = prefix + "mono";
    long v1 = store.create(key, b("1")).version();
    assertEquals(CasResult.lost(), store.create(key, b("x")));
    assertEquals(CasResult.lost(), store.delete(key, v1 + 1));
    assertEquals(CasResult.won(v1), store.delete(key, v1));
    assertEquals(CasResult.lost(), store.delete(key, v1));
    assertEquals(CasResult.lost(), store.compareAndSet(key, v1, b("y")));
    long v2 = store.create(key, b("2")).version();
    assertTrue(v2 > v1 + 1, v1 + " then " + v2);
  }

  @Test
  void storesWithDifferentPrefixesAreSeparateNamespaces() {
    String key = prefix + "ns";
    try (LeaseStore other = LeaseStores.open(EtcdServer.shared().leaseUri("other-ns/"))) {
      assertTrue(store.create(key, b("a")).isWon());
      assertTrue(other.read(key).isEmpty());
      assertTrue(other.create(key, b("b")).isWon());
    }
  }

  @Test
  void watchFiresOnChangesByAnotherClient() throws Exception {
    String key = prefix + "watched";
    Semaphore changes = new Semaphore(0);
    try (LeaseStore other = LeaseStores.open(EtcdServer.shared().leaseUri(PREFIX))) {
      Subscription sub = store.watch(key, changes::release).orElseThrow();
      // A watch is established asynchronously; write until the first notice arrives.
      long v = other.create(key, b("0")).version();
      for (int i = 1; !changes.tryAcquire(100, TimeUnit.MILLISECONDS); i++) {
        assertTrue(i < 50, "no notice within 5 s");
        v = other.compareAndSet(key, v, b(Integer.toString(i))).version();
      }
      changes.drainPermits();
      v = other.compareAndSet(key, v, b("x")).version();
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
  void userAndPasswordFromTheUriAreUsedAndRefusalsAreNamedAtOpen() throws Exception {
    try (EtcdServer secured = EtcdServer.start()) {
      enableAuth(secured, "hadb", "p@ss w0rd", "auth/");
      String host = "127.0.0.1:" + secured.clientPort();
      try (LeaseStore ok = LeaseStores.open("etcd://hadb:p%40ss%20w0rd@" + host + "?prefix=auth/")) {
        assertTrue(ok.create("k", b("v")).isWon());
      }
      HadbException wrong = assertThrows(HadbException.class,
          () -> LeaseStores.open("etcd://hadb:wrong@" + host + "?prefix=auth/"));
      assertTrue(wrong.getMessage().contains("authentication failed"), wrong.getMessage());
      assertFalse(wrong.getMessage().contains("wrong"), "password printed: " + wrong.getMessage());
      HadbException denied = assertThrows(HadbException.class,
          () -> LeaseStores.open("etcd://hadb:p%40ss%20w0rd@" + host + "?prefix=other/"));
      assertTrue(denied.getMessage().contains("permission denied"), denied.getMessage());
    }
  }

  /** Root user, and {@code user} with read-write access to keys under {@code prefix} only. */
  private static void enableAuth(EtcdServer server, String user, String password, String prefix)
      throws Exception {
    try (Client admin = Client.builder().endpoints(server.endpoint()).build()) {
      Auth auth = admin.getAuthClient();
      ByteSequence root = ByteSequence.from("root", StandardCharsets.UTF_8);
      ByteSequence u = ByteSequence.from(user, StandardCharsets.UTF_8);
      ByteSequence role = ByteSequence.from(user + "-role", StandardCharsets.UTF_8);
      auth.roleAdd(root).get(5, TimeUnit.SECONDS);
      auth.userAdd(root, ByteSequence.from("root-password", StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
      auth.userGrantRole(root, root).get(5, TimeUnit.SECONDS);
      auth.roleAdd(role).get(5, TimeUnit.SECONDS);
      // [prefix, prefix with its last byte + 1) is every key starting with prefix.
      byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
      end[end.length - 1]++;
      auth.roleGrantPermission(role, ByteSequence.from(prefix, StandardCharsets.UTF_8),
          ByteSequence.from(end), Permission.Type.READWRITE).get(5, TimeUnit.SECONDS);
      auth.userAdd(u, ByteSequence.from(password, StandardCharsets.UTF_8)).get(5, TimeUnit.SECONDS);
      auth.userGrantRole(u, role).get(5, TimeUnit.SECONDS);
      auth.authEnable().get(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void unreachableServerIsUnavailableAtOpen() {
    HadbException e = assertThrows(HadbException.class,
        () -> LeaseStores.open("etcd://127.0.0.1:1?connectTimeout=1s"));
    assertEquals(ErrorCode.UNAVAILABLE, e.code());
    assertTrue(e.getMessage().contains("127.0.0.1:1"), e.getMessage());
  }
}
