package io.hadb.storage.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer killed with SIGKILL in the middle of large writes leaves no partial object visible and
 * no temp file listed; the temp files it left are removed by a later listing once stale.
 */
class CrashSafetyTest {
  @TempDir Path tmp;

  @Test
  void writer_killed_mid_write_leaves_old_versions_whole_and_no_partial_object() throws Exception {
    Path root = tmp.resolve("store");
    Path runDir = Files.createDirectories(tmp.resolve("run"));
    Path log = tmp.resolve("child.log");
    String uri = "file://" + root;
    Process child = ChildJvm.start(log, "block", uri, runDir.toString());
    try {
      // The bodies stall after 8 MB of 64 MB: the kill lands inside both writes, every time.
      ChildJvm.await("both writes to stall halfway", child, log, Duration.ofSeconds(120),
          () -> Files.exists(runDir.resolve("blocked-put")) && Files.exists(runDir.resolve("blocked-pia")));
      List<Path> tempsBefore = temps(root);
      assertEquals(2, tempsBefore.size(), "expected the two half-written temp files, found " + tempsBefore);
      for (Path t : tempsBefore) {
        assertTrue(Files.size(t) >= 8 << 20, t + " should hold the 8 MB written so far");
      }
    } finally {
      ChildJvm.kill(child);
    }

    try (StorageBackend store = StorageBackends.open(uri)) {
      assertEquals(List.of("crash/replaced", "crash/whole"), store.listAll(""));
      assertEquals(new Content.Checked(2, 3 << 20), check(store, "crash/replaced"),
          "the object being replaced must still be the whole old version");
      assertEquals(new Content.Checked(1, 1 << 20), check(store, "crash/whole"));
      assertEquals(Optional.empty(), store.getStream("crash/new"),
          "the putIfAbsent killed mid-write must not have created the object");
      assertTrue(store.putIfAbsent("crash/new", new byte[] {1, 2, 3}),
          "the key of the killed putIfAbsent must still be free");
      assertEquals(2, temps(root).size(), "a fresh listing must not remove temps that are not stale yet");
    }

    try (StorageBackend sweeper = StorageBackends.open(uri + "?staleTempAge=1ms")) {
      sweeper.listAll("");
      assertEquals(List.of(), temps(root), "a listing must remove temp files older than staleTempAge");
      assertEquals(List.of("crash/new", "crash/replaced", "crash/whole"), sweeper.listAll(""));
    }
  }

  @Test
  void writer_killed_at_random_moments_never_leaves_a_torn_object() throws Exception {
    Path root = tmp.resolve("store");
    String uri = "file://" + root;
    SplittableRandom rnd = new SplittableRandom(42);
    int kills = 4;
    int objectsSeen = 0;
    for (int k = 0; k < kills; k++) {
      Path runDir = Files.createDirectories(tmp.resolve("run" + k));
      Path log = tmp.resolve("child" + k + ".log");
      Process child = ChildJvm.start(log, "loop", uri, runDir.toString(), Long.toString(1_000_000L * (k + 1)));
      try {
        ChildJvm.await("the writer to finish a few objects", child, log, Duration.ofSeconds(120),
            () -> progress(runDir) >= 3);
        // A random moment inside the stream of 0-8 MB writes (fault injection, not a timing check).
        Thread.sleep(rnd.nextInt(250));
      } finally {
        ChildJvm.kill(child);
      }
      try (StorageBackend store = StorageBackends.open(uri)) {
        List<String> keys = store.listAll("");
        assertFalse(keys.isEmpty());
        for (String key : keys) {
          assertTrue(key.matches("loop/(k[0-5]|new-\\d+)"), "unexpected key listed: " + key);
          check(store, key);
        }
        objectsSeen = keys.size();
      }
    }
    assertTrue(objectsSeen >= 3);
  }

  private static Content.Checked check(StorageBackend store, String key) throws IOException {
    Optional<InputStream> in = store.getStream(key);
    assertTrue(in.isPresent(), key + " is listed but cannot be read");
    try (InputStream s = in.get()) {
      return Content.verify(s, key);
    }
  }

  private static long progress(Path runDir) {
    try {
      Path p = runDir.resolve("progress");
      return Files.exists(p) ? Long.parseLong(Files.readString(p).strip()) : 0;
    } catch (IOException | NumberFormatException e) {
      return 0; // caught mid-write of the progress file
    }
  }

  static List<Path> temps(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      return files.filter(p -> p.getFileName().toString().startsWith("~")).sorted().toList();
    }
  }
}
