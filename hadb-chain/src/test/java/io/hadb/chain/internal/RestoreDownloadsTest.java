package io.hadb.chain.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.chain.ChainKeys;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Progress while one large object (a snapshot) downloads comes by bytes, not only when it ends. */
class RestoreDownloadsTest {
  @TempDir Path dir;

  @Test
  void a_large_objects_progress_is_reported_by_bytes_while_it_downloads() throws Exception {
    ChainKeys keys = ChainKeys.of("p/");
    byte[] body = new byte[5 * RestoreDownloads.REPORT_EVERY_BYTES + 123];
    new Random(7).nextBytes(body);
    List<long[]> updates = new CopyOnWriteArrayList<>();
    try (StorageBackend storage = StorageBackends.open("file://" + dir.resolve("store") + "?fsync=false");
        RestoreDownloads d = new RestoreDownloads(storage, keys, 2,
            (b, bt, n, nt) -> updates.add(new long[] {b, bt, n, nt}))) {
      storage.put(keys.snapshot(9), body);
      d.expect(1, body.length);
      byte[] read;
      try (InputStream in = d.getStream(keys.snapshot(9)).orElseThrow()) {
        read = in.readAllBytes();
      }
      assertArrayEquals(body, read);
    }
    List<long[]> during = updates.stream().filter(u -> u[2] == 0 && u[0] > 0).toList();
    assertTrue(during.size() >= 4, "updates by bytes before the object ended: " + during.size());
    for (int i = 1; i < updates.size(); i++) {
      assertTrue(updates.get(i)[0] >= updates.get(i - 1)[0], "bytes done never go back");
    }
    long[] last = updates.get(updates.size() - 1);
    assertEquals(List.of((long) body.length, (long) body.length, 1L, 1L), List.of(last[0], last[1], last[2], last[3]));
  }
}
