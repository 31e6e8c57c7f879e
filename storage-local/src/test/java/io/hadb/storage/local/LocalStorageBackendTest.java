package io.hadb.storage.local;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.BodySource;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

class LocalStorageBackendTest {
  @TempDir Path tmp;
  Path root;
  StorageBackend store;

  @BeforeEach
  void open() {
    root = tmp.resolve("store");
    store = StorageBackends.open("file://" + root);
  }

  @AfterEach
  void close() {
    store.close();
  }

  private static byte[] b(String s) {
    return s.getBytes(UTF_8);
  }

  private static HadbException fails(ErrorCode code, Executable call) {
    HadbException e = assertThrows(HadbException.class, call);
    assertEquals(code, e.code(), e.getMessage());
    return e;
  }

  @Test
  void the_file_scheme_opens_this_backend_through_the_service_loader() {
    assertInstanceOf(LocalStorageBackend.class, store);
    assertTrue(Files.isDirectory(root), "the root is created when missing (create=true by default)");
  }

  @Test
  void put_get_replace_delete() {
    assertEquals(Optional.empty(), store.get("db/lease"));
    store.put("db/lease", b("one"));
    assertArrayEquals(b("one"), store.get("db/lease").orElseThrow());
    store.put("db/lease", b("two"));
    assertArrayEquals(b("two"), store.get("db/lease").orElseThrow());
    store.delete("db/lease");
    assertEquals(Optional.empty(), store.get("db/lease"));
    store.delete("db/lease"); // idempotent
    store.delete("never/written");
    store.put("empty", new byte[0]);
    assertArrayEquals(new byte[0], store.get("empty").orElseThrow());
  }

  @Test
  void putIfAbsent_creates_once_and_keeps_the_first_bytes() {
    assertTrue(store.putIfAbsent("changes/0001", b("first")));
    assertFalse(store.putIfAbsent("changes/0001", b("second")));
    assertArrayEquals(b("first"), store.get("changes/0001").orElseThrow());
    store.delete("changes/0001");
    assertTrue(store.putIfAbsent("changes/0001", b("third")), "a deleted key is absent again");
  }

  @Test
  void an_object_and_keys_below_it_coexist_as_on_s3() {
    store.put("a/b", b("object a/b"));
    store.put("a/b/c", b("object a/b/c"));
    assertTrue(store.putIfAbsent("a/b/c/d", b("object a/b/c/d")));
    assertArrayEquals(b("object a/b"), store.get("a/b").orElseThrow());
    assertArrayEquals(b("object a/b/c"), store.get("a/b/c").orElseThrow());
    assertEquals(List.of("a/b", "a/b/c", "a/b/c/d"), store.listAll(""));
    assertEquals(List.of("a/b/c", "a/b/c/d"), store.listAll("a/b/"));
    store.delete("a/b");
    assertEquals(List.of("a/b/c", "a/b/c/d"), store.listAll("a"));
  }

  @Test
  void listing_is_in_key_order_not_directory_order() {
    List<String> keys = List.of("a0", "a/b", "a-b", "a.b/x", "a", "a/b/c", "a/a", "a+", "a,b/c",
        "a@", "aa", "A", "Z/z", "a=b", "a_", "0", "9/x");
    for (String k : keys) {
      store.put(k, b(k));
    }
    List<String> sorted = new ArrayList<>(keys);
    sorted.sort(null);
    assertEquals(sorted, store.listAll(""));
    assertTrue(sorted.indexOf("a-b") < sorted.indexOf("a/b") && sorted.indexOf("a/b") < sorted.indexOf("a0"));
  }

  @Test
  void pages_follow_startAfter_and_prefix() {
    for (int i = 0; i < 25; i++) {
      store.put(String.format("db/changes/%020d.hadbp", i), b("c" + i));
    }
    store.put("db/lease", b("l"));
    store.put("db/snapshots/00000000000000000010.snap", b("s"));
    store.put("dbx/changes/0", b("other"));

    List<String> all = new ArrayList<>();
    Optional<String> after = Optional.empty();
    int pages = 0;
    do {
      ListPage page = store.list("db/changes/", after, 10);
      assertTrue(page.keys().size() <= 10);
      all.addAll(page.keys());
      after = page.nextStartAfter();
      pages++;
    } while (after.isPresent());
    assertEquals(3, pages, "25 keys in pages of 10; the last page says it is the last");
    assertEquals(25, all.size());
    assertEquals(String.format("db/changes/%020d.hadbp", 0), all.get(0));

    assertEquals(List.of(String.format("db/changes/%020d.hadbp", 24), "db/lease"),
        store.list("db/", Optional.of(String.format("db/changes/%020d.hadbp", 23)), 2).keys());
    assertEquals(List.of("db/changes/00000000000000000020.hadbp", "db/changes/00000000000000000021.hadbp"),
        store.list("db/changes/0000000000000000002", Optional.empty(), 2).keys());
    assertEquals(List.of("db/snapshots/00000000000000000010.snap"),
        store.list("db/", Optional.of("db/lease"), 1000).keys());
    ListPage exact = store.list("db/lease", Optional.empty(), 1);
    assertEquals(List.of("db/lease"), exact.keys());
    assertFalse(exact.hasMore(), "a full page that happens to be the last must not claim more");
    assertEquals(List.of(), store.list("nothing/", Optional.empty(), 5).keys());
    assertEquals(List.of(), store.list("", Optional.of("zzz"), 5).keys());
    assertEquals(List.of("db/snapshots/00000000000000000010.snap", "dbx/changes/0"),
        store.list("d", Optional.of("db/snapshots/"), 5).keys());
    assertEquals(List.of("dbx/changes/0"), store.list("d", Optional.of("db/snapshots0"), 5).keys());
  }

  @Test
  void empty_directories_left_by_deletes_are_ignored() throws Exception {
    store.put("x/y/z/1", b("1"));
    store.put("x/w", b("w"));
    store.delete("x/y/z/1");
    assertEquals(List.of("x/w"), store.listAll(""));
    // Many empty subtrees before the only key: a page must read on past them.
    for (int i = 0; i < 30; i++) {
      store.put("e/" + i + "/k", b("k"));
      store.delete("e/" + i + "/k");
    }
    store.put("e/z", b("z"));
    assertEquals(List.of("e/z"), store.list("e/", Optional.empty(), 1).keys());
    assertEquals(List.of("e/z"), store.list("e/", Optional.empty(), 2).keys());
  }

  @Test
  void temp_files_and_foreign_entries_are_never_keys() throws Exception {
    store.put("d/k", b("k"));
    Files.writeString(root.resolve("d%/~0123456789abcdef.put.tmp"), "partial");
    Files.writeString(root.resolve("notes.txt~"), "editor backup");
    Files.writeString(root.resolve("has space"), "foreign");
    Files.createDirectories(root.resolve("lost+found"));
    Files.writeString(root.resolve("d%/x%"), "a file where a prefix directory would be");
    assertEquals(List.of("d/k"), store.listAll(""));
    assertEquals(Optional.empty(), store.get("lost+found"), "a directory is not an object");
    assertEquals(List.of(), store.listAll("d/x/"));
    assertTrue(Files.exists(root.resolve("d%/~0123456789abcdef.put.tmp")), "fresh temps are left alone");
  }

  @Test
  void keys_map_to_readable_paths_inside_the_root() {
    store.put("db/changes/00000000000000000001.hadbp", b("c"));
    assertTrue(Files.isRegularFile(root.resolve("db%/changes%/00000000000000000001.hadbp")));
    try (var files = Files.list(root.resolve("db%/changes%"))) {
      assertEquals(1, files.count(), "no temp file is left behind by a put");
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void bad_keys_are_refused_before_touching_the_disk() throws Exception {
    for (String bad : List.of("../x", "a/../../x", "/etc/passwd", "a//b", "a/", "", "a/./b", "a~", "a%",
        "~tmp", "a:b", "a\\b", "a b")) {
      fails(ErrorCode.INVALID_ARGUMENT, () -> store.put(bad, b("x")));
      fails(ErrorCode.INVALID_ARGUMENT, () -> store.putIfAbsent(bad, b("x")));
      fails(ErrorCode.INVALID_ARGUMENT, () -> store.get(bad));
      fails(ErrorCode.INVALID_ARGUMENT, () -> store.delete(bad));
    }
    fails(ErrorCode.INVALID_ARGUMENT, () -> store.list("../", Optional.empty(), 10));
    fails(ErrorCode.INVALID_ARGUMENT, () -> store.list("", Optional.empty(), 0));
    fails(ErrorCode.INVALID_ARGUMENT, () -> store.list("", Optional.empty(), 1001));
    try (var files = Files.list(root)) {
      assertEquals(0, files.count());
    }
    assertFalse(Files.exists(tmp.resolve("x")));
  }

  @Test
  void a_stream_reads_one_version_while_the_object_is_replaced_and_deleted() throws Exception {
    byte[] v1 = Content.bytes(1, 1 << 20);
    store.put("k", v1);
    try (InputStream in = store.getStream("k").orElseThrow()) {
      byte[] head = in.readNBytes(1000);
      store.put("k", Content.bytes(2, 2 << 20));
      byte[] rest1 = in.readNBytes(300_000);
      store.delete("k");
      byte[] rest2 = in.readAllBytes();
      byte[] all = new byte[head.length + rest1.length + rest2.length];
      System.arraycopy(head, 0, all, 0, head.length);
      System.arraycopy(rest1, 0, all, head.length, rest1.length);
      System.arraycopy(rest2, 0, all, head.length + rest1.length, rest2.length);
      assertArrayEquals(v1, all);
    }
    assertEquals(Optional.empty(), store.get("k"));
  }

  @Test
  void two_backends_on_one_root_see_each_other() {
    try (StorageBackend other = StorageBackends.open("file:" + root + "?fsync=false")) {
      other.put("shared/k", b("from other"));
      assertArrayEquals(b("from other"), store.get("shared/k").orElseThrow());
      assertFalse(store.putIfAbsent("shared/k", b("mine")));
      store.delete("shared/k");
      assertEquals(List.of(), other.listAll("shared/"));
    }
  }

  @Test
  void a_relative_uri_is_resolved_against_the_working_directory() {
    Path cwd = Path.of("").toAbsolutePath();
    Path rel = cwd.relativize(tmp.resolve("rel-store"));
    try (StorageBackend s = StorageBackends.open("file:" + rel)) {
      s.put("k", b("v"));
      assertTrue(Files.isRegularFile(tmp.resolve("rel-store/k")));
    }
  }

  @Test
  void a_body_shorter_than_its_length_is_refused_and_leaves_nothing() throws Exception {
    BodySource liar = new BodySource() {
      @Override
      public InputStream open() {
        return new ByteArrayInputStream(new byte[10]);
      }

      @Override
      public long length() {
        return 20;
      }
    };
    HadbException e = fails(ErrorCode.INVALID_ARGUMENT, () -> store.put("liar", liar));
    assertTrue(e.getMessage().contains("liar"), e.getMessage());
    fails(ErrorCode.INVALID_ARGUMENT, () -> store.putIfAbsent("liar", liar));
    assertEquals(Optional.empty(), store.get("liar"));
    assertEquals(List.of(), CrashSafetyTest.temps(root));
  }

  @Test
  void io_failures_are_unavailable_and_name_the_key_and_path() throws Exception {
    Files.writeString(root.resolve("blocked%"), "a file where the directory of blocked/ must go");
    HadbException e = fails(ErrorCode.UNAVAILABLE, () -> store.put("blocked/k", b("x")));
    assertTrue(e.getMessage().contains("blocked/k"), e.getMessage());
    assertTrue(e.getMessage().contains(root.resolve("blocked%").toString()), e.getMessage());
    fails(ErrorCode.UNAVAILABLE, () -> store.putIfAbsent("blocked/k", b("x")));
    assertTrue(e.retryable());
  }

  @Test
  void a_root_that_is_a_file_is_invalid_and_named() throws Exception {
    Path file = Files.writeString(tmp.resolve("plain-file"), "x");
    HadbException e = fails(ErrorCode.INVALID_ARGUMENT, () -> StorageBackends.open("file://" + file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    HadbException under = fails(ErrorCode.INVALID_ARGUMENT,
        () -> StorageBackends.open("file://" + file.resolve("sub")));
    assertTrue(under.getMessage().contains(file.resolve("sub").toString()), under.getMessage());
  }

  @Test
  void a_root_that_cannot_be_written_is_invalid_and_named() {
    // sysfs refuses new files even to root, so this holds whoever runs the build (access(2)
    // would say yes to root; the probe write at open does not).
    HadbException e = fails(ErrorCode.INVALID_ARGUMENT,
        () -> StorageBackends.open("file:///sys/kernel?create=false"));
    assertTrue(e.getMessage().contains("/sys/kernel"), e.getMessage());
    assertTrue(e.getMessage().contains("not writable"), e.getMessage());
  }

  @Test
  void the_layout_refuses_paths_outside_the_root_even_for_unvalidated_keys() {
    var layout = new io.hadb.storage.local.internal.ObjectLayout(root);
    fails(ErrorCode.INVALID_ARGUMENT, () -> layout.objectPath(".."));
    fails(ErrorCode.INVALID_ARGUMENT, () -> layout.objectPath("a/.."));
    fails(ErrorCode.INVALID_ARGUMENT, () -> layout.objectPath("."));
    // Directory names carry the '%' suffix, so a ".." before the last segment is a plain name.
    assertEquals(root.resolve("..%/..%/escape"), layout.objectPath("../../escape"));
    assertEquals(root.resolve("a%/b%/c"), layout.objectPath("a/b/c"));
  }

  @Test
  void create_false_refuses_a_missing_root() {
    Path missing = tmp.resolve("typo");
    HadbException e = fails(ErrorCode.INVALID_ARGUMENT,
        () -> StorageBackends.open("file://" + missing + "?create=false"));
    assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    assertFalse(Files.exists(missing));
    try (StorageBackend s = StorageBackends.open("file://" + root + "?create=false")) {
      assertEquals(List.of(), s.listAll(""));
    }
  }

  @Test
  void every_call_after_close_is_closed_and_close_is_idempotent() {
    store.put("k", b("v"));
    store.close();
    store.close();
    fails(ErrorCode.CLOSED, () -> store.get("k"));
    fails(ErrorCode.CLOSED, () -> store.getStream("k"));
    fails(ErrorCode.CLOSED, () -> store.put("k", b("v")));
    fails(ErrorCode.CLOSED, () -> store.putIfAbsent("k2", b("v")));
    fails(ErrorCode.CLOSED, () -> store.list("", Optional.empty(), 10));
    fails(ErrorCode.CLOSED, () -> store.delete("k"));
  }

  @Test
  void threads_racing_putIfAbsent_in_one_jvm_have_one_winner() throws Exception {
    int threads = 8;
    for (int round = 0; round < 50; round++) {
      String key = "threads/" + round;
      var start = new java.util.concurrent.CountDownLatch(1);
      var wins = new java.util.concurrent.atomic.AtomicInteger();
      var winner = new java.util.concurrent.atomic.AtomicLong(-1);
      List<Thread> ts = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        Thread th = new Thread(() -> {
          try {
            start.await();
          } catch (InterruptedException e) {
            return;
          }
          if (store.putIfAbsent(key, Content.body(seed, 4096))) {
            wins.incrementAndGet();
            winner.set(seed);
          }
        });
        th.start();
        ts.add(th);
      }
      start.countDown();
      for (Thread th : ts) {
        th.join();
      }
      assertEquals(1, wins.get(), "winners of " + key);
      try (InputStream in = store.getStream(key).orElseThrow()) {
        assertEquals(winner.get(), Content.verify(in, key).seed());
      }
    }
  }
}
