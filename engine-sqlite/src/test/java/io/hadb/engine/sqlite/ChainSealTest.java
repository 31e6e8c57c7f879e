package io.hadb.engine.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.SqlValue;
import io.hadb.changeset.ChainLink;
import io.hadb.changeset.Changesets;
import io.hadb.changeset.Format;
import io.hadb.changeset.ObjectKeys;
import io.hadb.changeset.PhysicalHeader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The replicator's seal on a real chain (file: storage): a follower applies past it, a publisher
 * started at seal + 1 links to it, and the old leader's next changeset is fenced.
 */
class ChainSealTest {
  private static final String PREFIX = "db/";

  @TempDir Path dir;

  private StorageBackend storage() {
    return StorageBackends.open("file://" + dir.resolve("chain").toAbsolutePath() + "?fsync=false");
  }

  private static long count(EngineProvider.Engine e) {
    return ((SqlValue.Int) e.executor().query("SELECT count(*) FROM t", List.of()).rows().get(0).get(0)).value();
  }

  @Test
  void followerAppliesPastTheSealAndTheNextLeaderContinuesTheChain() {
    EngineProvider sqlite = io.hadb.api.engine.Engines.find("sqlite");
    try (StorageBackend s = storage();
        EngineProvider.Engine a = sqlite.open(dir.resolve("a.db"), s, PREFIX, EngineOptions.defaults());
        EngineProvider.Engine b = sqlite.open(dir.resolve("b.db"), s, PREFIX, EngineOptions.defaults())) {
      a.replicator().startPublishing(1, 1);
      a.executor().execute("CREATE TABLE t(v TEXT)", List.of());
      a.executor().execute("INSERT INTO t VALUES ('before')", List.of());
      long head = a.replicator().sync();

      assertTrue(b.replicator().seal(2, head + 1));
      assertFalse(b.replicator().seal(3, head + 1), "a taken seq is reported, not overwritten");
      ChainLink link = Changesets.verify(s.get(ObjectKeys.key(PREFIX, head + 1, Format.HADBP)).orElseThrow());
      PhysicalHeader h = (PhysicalHeader) link.header();
      assertEquals(0, h.pageCount());
      assertEquals(2, h.epoch());

      // The old leader's next changeset finds its seq taken: fenced out of the chain.
      a.executor().execute("INSERT INTO t VALUES ('stale')", List.of());
      HadbException fenced = assertThrows(HadbException.class, () -> a.replicator().sync());
      assertEquals(ErrorCode.UNKNOWN_OUTCOME, fenced.code(), "committed locally, refused by the chain");
      assertEquals(ErrorCode.FENCED, ((HadbException) fenced.getCause()).code());
      a.replicator().stopPublishing();

      assertEquals(head + 1, b.replicator().bootstrap(), "the follower applied past the seal");
      assertEquals(1, count(b));
      b.replicator().startPublishing(2, head + 2);
      b.executor().execute("INSERT INTO t VALUES ('after')", List.of());
      assertEquals(head + 2, b.replicator().sync());

      assertEquals(head + 2, a.replicator().pull(), "the demoted leader follows the new chain");
      assertEquals(2, count(a), "its stale commit is gone, the new leader's is there");
    }
  }

  @Test
  void sealOnAnEmptyChainLetsTheFirstLeaderStartAtSeqTwo() {
    EngineProvider sqlite = io.hadb.api.engine.Engines.find("sqlite");
    try (StorageBackend s = storage();
        EngineProvider.Engine a = sqlite.open(dir.resolve("a.db"), s, PREFIX, EngineOptions.defaults());
        EngineProvider.Engine b = sqlite.open(dir.resolve("b.db"), s, PREFIX, EngineOptions.defaults())) {
      assertTrue(b.replicator().seal(5, 1));
      assertEquals(1, a.replicator().pull());
      a.replicator().startPublishing(5, 2);
      a.executor().execute("CREATE TABLE t(v TEXT)", List.of());
      a.executor().execute("INSERT INTO t VALUES ('x')", List.of());
      long head = a.replicator().sync();
      assertEquals(head, b.replicator().bootstrap());
      assertEquals(1, count(b));
    }
  }
}
