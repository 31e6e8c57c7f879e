package io.hadb.storage.local;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listings of a directory that never becomes empty while it changes, as a chain of versions under
 * collection does (the put-if-absent lease, DESIGN §3.4): a writer adds a version that sorts
 * first, then deletes the one two behind it. A reader's {@code list(dir, 1)} must give the first
 * key of one instant of the call: never an empty page, never a version older than one that was
 * complete before the listing started, never one not yet begun when it returned. A listing that
 * reads the names, then drops those deleted since, fails this: the writer moves on twice between
 * the two steps and the page comes back empty.
 */
class ListingUnderChurnTest {
  private static final String DIR = "chain/";
  private static final int KEEP = 2;
  private static final int READERS = 2;
  private static final int LISTINGS_PER_READER = 10_000;
  /** However slowly the writer is scheduled, the readers list until it has moved this far. */
  private static final int MIN_VERSIONS = 200;

  @TempDir Path tmp;

  @Test
  void a_directory_that_is_never_empty_never_lists_empty_nor_behind_its_first_key() throws Exception {
    try (StorageBackend writerStore = StorageBackends.open("file://" + tmp + "?fsync=false")) {
      AtomicLong begun = new AtomicLong(1);
      AtomicLong complete = new AtomicLong(1);
      writerStore.put(name(1), new byte[] {1});
      AtomicBoolean stop = new AtomicBoolean();
      ExecutorService pool = Executors.newFixedThreadPool(READERS + 1);
      try {
        Future<?> writer = pool.submit(() -> {
          for (long v = 2; !stop.get(); v++) {
            begun.set(v);
            writerStore.putIfAbsent(name(v), new byte[] {1});
            complete.set(v);
            if (v - KEEP >= 1) {
              writerStore.delete(name(v - KEEP));
            }
          }
          return null;
        });
        List<Future<List<String>>> readers = new ArrayList<>();
        for (int r = 0; r < READERS; r++) {
          readers.add(pool.submit(() -> read(begun, complete)));
        }
        List<String> anomalies = new ArrayList<>();
        for (Future<List<String>> f : readers) {
          anomalies.addAll(f.get());
        }
        stop.set(true);
        writer.get();
        assertTrue(anomalies.isEmpty(), () -> anomalies.size() + " of at least " + READERS * LISTINGS_PER_READER
            + " listings were not the directory's first key at any instant of the call, for example "
            + anomalies.subList(0, Math.min(5, anomalies.size())));
      } finally {
        stop.set(true);
        pool.shutdownNow();
      }
    }
  }

  private List<String> read(AtomicLong begun, AtomicLong complete) {
    List<String> anomalies = new ArrayList<>();
    try (StorageBackend store = StorageBackends.open("file://" + tmp + "?fsync=false")) {
      for (int i = 0; i < LISTINGS_PER_READER || complete.get() < MIN_VERSIONS; i++) {
        // Version `low` exists now: it is deleted only after `low + KEEP` is complete.
        long low = complete.get();
        ListPage page = store.list(DIR, Optional.empty(), 1);
        long high = begun.get();
        if (page.keys().isEmpty()) {
          anomalies.add("empty page while versions " + low + ".." + high + " existed");
          continue;
        }
        long first = version(page.keys().get(0));
        if (first < low || first > high) {
          anomalies.add("first key is version " + first + ", outside " + low + ".." + high);
        }
      }
    }
    return anomalies;
  }

  /** Newest first, as the lease chains sort: the name is the inverted version. */
  private static String name(long version) {
    return DIR + String.format("%019d", Long.MAX_VALUE - version);
  }

  private static long version(String key) {
    return Long.MAX_VALUE - Long.parseLong(key.substring(DIR.length()));
  }
}
