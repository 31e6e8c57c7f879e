package io.hadb.engine.sqlite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.hadb.api.Durability;
import io.hadb.api.engine.SqlValue;
import io.hadb.chain.Capture;
import io.hadb.chain.Captured;
import io.hadb.chain.EngineFile;
import io.hadb.chain.ForwardingEngineFile;
import io.hadb.chain.ForwardingLeaderFile;
import io.hadb.chain.LeaderFile;
import io.hadb.chain.PageImages;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * One part of the engine replaced by a broken one through {@link SqliteEngine#open}'s parts
 * hook: the check that a follower holds the leader's rows catches it. (The same check passes
 * for the engine as it is, in {@link ReplicationTest}.)
 */
class BrokenPartsTest extends LocalChainTest {
  BrokenPartsTest() {
    super("broken/");
  }

  /** A capture that leaves out the last page of every commit it reads. */
  static final UnaryOperator<EngineFile> DROPS_THE_LAST_PAGE = file -> new ForwardingEngineFile(file) {
    @Override
    public LeaderFile lead() {
      return new ForwardingLeaderFile(super.lead()) {
        @Override
        public Capture capture() {
          Capture real = super.capture();
          return new Capture() {
            @Override
            public Captured read() {
              Captured c = real.read();
              return c.isEmpty() ? c : new Captured(withoutLastPage(c.pages()), c.commits());
            }

            @Override
            public long unread() {
              return real.unread();
            }

            @Override
            public void close() {
              real.close();
            }
          };
        }
      };
    }
  };

  static PageImages withoutLastPage(PageImages pages) {
    return new PageImages() {
      @Override
      public int pageSize() {
        return pages.pageSize();
      }

      @Override
      public long dbSizePages() {
        return pages.dbSizePages();
      }

      @Override
      public void forEach(Visitor v) {
        long[] held = {0};
        byte[][] data = {null};
        pages.forEach((no, bytes) -> {
          if (data[0] != null) {
            v.page(held[0], data[0]);
          }
          held[0] = no;
          data[0] = bytes.clone();
        });
      }
    };
  }

  @Test
  void a_capture_that_drops_the_last_page_leaves_the_follower_without_the_leaders_rows() {
    SqliteOptions o = SqliteOptions.defaults().withDurability(Durability.SYNC);
    try (SqliteEngine leader = SqliteEngine.open(dir.resolve("leader.db"), storage, "broken/", o, DROPS_THE_LAST_PAGE);
        SqliteEngine follower = open("follower.db", SqliteOptions.defaults())) {
      leader.replicator().startPublishing(1, 1);
      leader.executor().execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v BLOB)", List.of());
      for (int i = 0; i < 30; i++) {
        leader.executor().execute("INSERT INTO t (v) VALUES (randomblob(3000))", List.of());
      }
      long seq = leader.replicator().sync();
      assertEquals(seq, follower.replicator().bootstrap(), "the chain itself is whole and verifies");
      List<List<SqlValue>> want = leader.executor().query("SELECT count(*) FROM t", List.of()).rows();
      List<List<SqlValue>> got;
      try {
        got = follower.executor().query("SELECT count(*) FROM t", List.of()).rows();
      } catch (RuntimeException e) {
        got = List.of(List.of(SqlValue.of("unreadable: " + e.getMessage())));
      }
      assertNotEquals(want, got, "the broken capture went unnoticed");
    }
  }
}
