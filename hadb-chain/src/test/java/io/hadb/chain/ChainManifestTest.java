package io.hadb.chain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The chain manifest's document: exact round trip, and every malformed document refused naming where. */
class ChainManifestTest {
  static final String SHA = "ab".repeat(32);

  @Test
  void a_manifest_round_trips_exactly() {
    ChainManifest m = new ChainManifest(
        List.of(new ChainManifest.Snapshot(90, 1_700_000_000_000L, 4096, SHA), new ChainManifest.Snapshot(40, 5, 1, SHA)),
        41, List.of(new ChainManifest.Retired(123, List.of(10L, 20L), 40), new ChainManifest.Retired(456, List.of(), 0)));
    ChainManifest back = ChainManifest.decode("t", m.encode());
    assertEquals(m, back);
    assertEquals(90, back.base().orElseThrow().seq(), "snapshots sort by seq; the newest is the base");
    assertEquals(List.of(40L, 90L), back.snapshots().stream().map(ChainManifest.Snapshot::seq).toList());
    assertEquals(ChainManifest.empty(), ChainManifest.decode("t", ChainManifest.empty().encode()));
  }

  @Test
  void a_malformed_document_fails_corrupt_naming_where_and_the_recovery() {
    for (String bad : List.of("", "hadb-chain-manifest 2\nchanges-from 1\n", "hadb-chain-manifest 1\n",
        "hadb-chain-manifest 1\nchanges-from x\n", "hadb-chain-manifest 1\nchanges-from 1\nsnapshot 1 2 3\n",
        "hadb-chain-manifest 1\nchanges-from 1\nsnapshot 1 2 3 nothex\n", "hadb-chain-manifest 1\nchanges-from 1\nwhat\n",
        "hadb-chain-manifest 1\nchanges-from 0\n")) {
      HadbException e = assertThrows(HadbException.class,
          () -> ChainManifest.decode("orders (version 7)", bad.getBytes(StandardCharsets.UTF_8)), bad);
      assertEquals(ErrorCode.CORRUPT, e.code(), bad);
      assertTrue(e.getMessage().contains("orders (version 7)") && e.getMessage().contains("rebuild"), e.getMessage());
    }
  }
}
