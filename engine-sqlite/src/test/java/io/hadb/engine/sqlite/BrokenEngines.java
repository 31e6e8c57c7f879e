package io.hadb.engine.sqlite;

import io.hadb.api.Durability;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.Dialect;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.Executor;
import io.hadb.api.engine.Replicator;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SchemaRecord;
import io.hadb.api.engine.SqlStatement;
import io.hadb.chain.Applier;
import io.hadb.chain.EngineFile;
import io.hadb.chain.ForwardingEngineFile;
import io.hadb.chain.PageImages;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;

/**
 * engine-sqlite broken on purpose, one bug each, for {@link BrokenEnginesAreCaughtTest}: each is
 * the engine contract run on a {@link BrokenEngine} ({@code EngineSqliteConformanceTest} with
 * another provider). Nested classes, so surefire does not run them as tests of their own.
 */
final class BrokenEngines {
  private BrokenEngines() {}

  /** The contract on engine-sqlite with {@code engine} as its provider. */
  abstract static class On extends EngineSqliteConformanceTest {
    abstract EngineProvider engine();

    @Override
    protected EngineProvider provider() {
      return engine();
    }
  }

  /**
   * An applier that hands a batch on page by page: each page under SQLite's exclusive lock, but
   * not the batch, so a reader can read between two pages of one changeset.
   */
  static final class TornApply extends On {
    @Override
    EngineProvider engine() {
      return new BrokenEngine() {
        @Override
        UnaryOperator<EngineFile> parts() {
          return file -> new ForwardingEngineFile(file) {
            // The first fill of an empty file goes whole (SQLite needs page 1 before any other).
            final AtomicBoolean filled = new AtomicBoolean();

            @Override
            public Applier applier() {
              Applier real = super.applier();
              return images -> {
                if (!filled.getAndSet(true)) {
                  real.apply(images);
                  return;
                }
                images.forEach((no, data) -> real.apply(onePage(images, no, data.clone())));
              };
            }
          };
        }
      };
    }

    static PageImages onePage(PageImages of, long no, byte[] data) {
      return new PageImages() {
        @Override
        public int pageSize() {
          return of.pageSize();
        }

        @Override
        public long dbSizePages() {
          return of.dbSizePages();
        }

        @Override
        public void forEach(Visitor v) {
          v.page(no, data);
        }
      };
    }
  }

  /** A capture that leaves out the last page of every commit it reads. */
  static final class DropsTheLastPage extends On {
    @Override
    EngineProvider engine() {
      return new BrokenEngine() {
        @Override
        UnaryOperator<EngineFile> parts() {
          return BrokenPartsTest.DROPS_THE_LAST_PAGE;
        }
      };
    }
  }

  /**
   * A publisher that reuses a seq: asked to publish from {@code nextSeq}, it starts one seq
   * earlier, at the seal's (or the last changeset's) key.
   */
  static final class ReusesASeq extends On {
    @Override
    EngineProvider engine() {
      return new BrokenEngine() {
        @Override
        Replicator replicator(Replicator real) {
          return new ForwardingReplicator(real) {
            @Override
            public void startPublishing(long epoch, long nextSeq) {
              super.startPublishing(epoch, Math.max(1, nextSeq - 1));
            }
          };
        }
      };
    }
  }

  /** A request table that runs the request's statements but never records the request. */
  static final class ForgetsTheRequestRecord extends On {
    @Override
    EngineProvider engine() {
      return new BrokenEngine() {
        @Override
        Dialect dialect(Dialect real) {
          RequestTable forgetful = new RequestTable() {
            @Override
            public List<ExecResult> apply(Executor executor, String requestId, List<SqlStatement> statements,
                long atMillis) {
              return executor.executeBatch(statements);
            }

            @Override
            public Optional<List<ExecResult>> lookup(Executor executor, String requestId) {
              return real.requestTable().lookup(executor, requestId);
            }

            @Override
            public long prune(Executor executor, long beforeMillis) {
              return real.requestTable().prune(executor, beforeMillis);
            }
          };
          return new Dialect() {
            @Override
            public RequestTable requestTable() {
              return forgetful;
            }

            @Override
            public SchemaRecord schemaRecord() {
              return real.schemaRecord();
            }

            @Override
            public List<String> splitScript(String script) {
              return real.splitScript(script);
            }
          };
        }
      };
    }
  }

  /**
   * A follower that does not stop at a bad changeset: it takes the chain's refusal as "nothing
   * new" and answers with the seq it has, as a follower loop that logs and carries on would.
   */
  static final class SkipsBadChangesets extends On {
    @Override
    EngineProvider engine() {
      return new BrokenEngine() {
        @Override
        Replicator replicator(Replicator real) {
          return new ForwardingReplicator(real) {
            @Override
            public long bootstrap() {
              return quietly(super::bootstrap);
            }

            @Override
            public long pull() {
              return quietly(super::pull);
            }

            long quietly(java.util.function.LongSupplier call) {
              try {
                return call.getAsLong();
              } catch (HadbException e) {
                if (e.code() != ErrorCode.CORRUPT) {
                  throw e;
                }
                return appliedSeq();
              }
            }
          };
        }
      };
    }
  }

  /** An engine that ignores the durability asked for and commits ASYNC: acknowledged before it ships. */
  static final class IgnoresSync extends On {
    @Override
    EngineProvider engine() {
      return new BrokenEngine() {
        @Override
        EngineOptions options(EngineOptions asked) {
          return asked.withDurability(Durability.ASYNC);
        }
      };
    }
  }
}
