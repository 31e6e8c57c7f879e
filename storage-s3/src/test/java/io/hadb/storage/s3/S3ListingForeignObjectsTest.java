package io.hadb.storage.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.testservers.S3ProxyServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Objects that are not hadb keys are skipped and the page is filled past them: lease-s3 finds
 * the newest version with one {@code list(dir, 1)}, which must not come back empty because
 * S3Proxy's filesystem store is listing one of its in-flight temporary files ({@code name-uuid})
 * first.
 */
class S3ListingForeignObjectsTest {
  private static final String BUCKET = "hadb-s3-listing";

  @Test
  void pagesAreShortOnlyAtTheEndWhateverForeignObjectsLieBetweenKeys() throws IOException {
    S3ProxyServer server = S3ProxyServer.shared();
    String prefix = "t" + UUID.randomUUID().toString().substring(0, 8);
    try (StorageBackend store = StorageBackends.open(server.uri(BUCKET, prefix, "filesystemCompat=true"))) {
      store.put("d/b", new byte[] {1});
      store.put("d/c", new byte[] {2});
      // What S3Proxy's filesystem store lists while PUTs are in flight, put in place by hand.
      Path dir = server.blobDir().resolve(BUCKET).resolve(prefix).resolve("d");
      for (String foreign : List.of("a!-" + UUID.randomUUID(), "b!-" + UUID.randomUUID(), "bb", "c!-x")) {
        Files.write(dir.resolve(foreign), new byte[] {9});
      }

      ListPage first = store.list("d/", Optional.empty(), 1);
      assertEquals(List.of("d/b"), first.keys());
      assertTrue(first.hasMore());
      ListPage second = store.list("d/", first.nextStartAfter(), 1);
      assertEquals(List.of("d/c"), second.keys());
      ListPage whole = store.list("d/", Optional.empty(), 10);
      assertEquals(List.of("d/b", "d/c"), whole.keys());
      assertFalse(whole.hasMore());
    }
  }
}
