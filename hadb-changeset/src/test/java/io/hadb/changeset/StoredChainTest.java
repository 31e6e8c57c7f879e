package io.hadb.changeset;

import static io.hadb.changeset.TestData.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link ChainVerifier#verifyStored} over a real storage plug-in ({@code mem:}), with a chain
 * longer than one listing page.
 */
class StoredChainTest {
  private static final AtomicInteger NAMES = new AtomicInteger();

  /** A fresh, empty namespace per test: mem: namespaces live as long as the JVM. */
  private static StorageBackend freshStorage() {
    return StorageBackends.open("mem://stored-chain-test-" + NAMES.incrementAndGet());
  }

  private static StorageBackend chainOf(int n, String root) {
    StorageBackend s = freshStorage();
    Encoded first = TestData.physical(PhysicalHeader.first(1, 512, 4, 2, T0), 1, false)
        .encode(EncodeOptions.plain());
    s.putIfAbsent(ObjectKeys.key(root, 1, Format.HADBP), first.body());
    ChainLink prev = first.link();
    for (int seq = 2; seq <= n; seq++) {
      // Every seal carries a new epoch, as a run of promotions would.
      Encoded e = new PhysicalChangeset(PhysicalHeader.seal(prev, seq, T0 + seq), List.of())
          .encode(EncodeOptions.plain());
      s.putIfAbsent(ObjectKeys.key(root, seq, Format.HADBP), e.body());
      prev = e.link();
    }
    return s;
  }

  @Test
  void a_stored_chain_longer_than_one_listing_page_verifies() {
    StorageBackend s = chainOf(StorageBackend.MAX_LIST_LIMIT + 5, "db/");
    s.put("other/changes/00000000000000000001.hadbp", new byte[] {1}); // another database
    ChainVerifier v = ChainVerifier.fromGenesis();
    assertEquals(StorageBackend.MAX_LIST_LIMIT + 5, v.verifyStored(s, "db/"));
    assertEquals(StorageBackend.MAX_LIST_LIMIT + 5, v.lastSeq());
  }

  @Test
  void a_missing_object_in_storage_is_a_gap_naming_the_next_key() {
    StorageBackend s = chainOf(10, "");
    s.delete(ObjectKeys.changeset(6));
    ChainException e = assertThrows(ChainException.class,
        () -> ChainVerifier.fromGenesis().verifyStored(s, ""));
    assertEquals(ChainException.Kind.GAP, e.kind());
    assertEquals(ObjectKeys.changeset(7), e.objectKey());
  }

  @Test
  void a_stray_object_under_changes_is_a_bad_key() {
    StorageBackend s = chainOf(3, "");
    s.put("changes/00000000000000000002.hadbp.tmp", new byte[] {1});
    ChainException e = assertThrows(ChainException.class,
        () -> ChainVerifier.fromGenesis().verifyStored(s, ""));
    assertEquals(ChainException.Kind.BAD_KEY, e.kind());
  }

  @Test
  void a_bad_db_root_is_refused() {
    assertThrows(HadbException.class,
        () -> ChainVerifier.fromGenesis().verifyStored(freshStorage(), "db"));
  }
}
