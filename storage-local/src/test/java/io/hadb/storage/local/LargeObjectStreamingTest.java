package io.hadb.storage.local;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 64 MiB object (four times the allocation budget) goes in and out through the streaming calls without ever sitting whole in the
 * heap: the bytes this thread allocates during the round trip are counted and must stay far below
 * the object's size (the JDK counts every allocation of a thread, whatever the heap size).
 */
class LargeObjectStreamingTest {
  private static final long SIZE = 64L << 20;
  private static final long ALLOCATION_BUDGET = 16L << 20;

  @TempDir Path tmp;

  @Test
  void a_64_MiB_object_round_trips_through_streams_with_bounded_allocation() throws Exception {
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    byte[] expected;
    try (InputStream in = Content.body(7, SIZE).open()) {
      expected = Content.sha256(in);
    }
    try (StorageBackend store = StorageBackends.open("file://" + tmp.resolve("store"))) {
      store.get("warm/up"); // class loading and first-use allocations are not the object's
      store.put("warm/up", new byte[] {1});

      long before = threads.getCurrentThreadAllocatedBytes();
      store.put("snapshots/big.snap", Content.body(7, SIZE));
      byte[] actual;
      try (InputStream in = store.getStream("snapshots/big.snap").orElseThrow()) {
        actual = Content.sha256(in);
      }
      assertTrue(store.putIfAbsent("snapshots/big2.snap", Content.body(8, SIZE)));
      long allocated = threads.getCurrentThreadAllocatedBytes() - before;

      assertArrayEquals(expected, actual, "SHA-256 of the object read back differs from what was written");
      assertEquals(SIZE, Files.size(tmp.resolve("store/snapshots%/big.snap")));
      try (InputStream in = store.getStream("snapshots/big2.snap").orElseThrow()) {
        assertEquals(new Content.Checked(8, SIZE), Content.verify(in, "snapshots/big2.snap"));
      }
      assertTrue(allocated < ALLOCATION_BUDGET,
          "writing and reading " + (3 * SIZE >> 20) + " MiB allocated " + (allocated >> 20)
              + " MiB on the heap; streaming must not hold the object");
      System.out.printf("large object: %d MiB put + get + %d MiB putIfAbsent allocated %d KiB%n",
          SIZE >> 20, SIZE >> 20, allocated >> 10);
    }
  }
}
