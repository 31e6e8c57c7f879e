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
import io.hadb.api.engine.RowCursor;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.engine.sqlite.internal.Rows;
import io.hadb.engine.sqlite.internal.StatementCache;
import java.sql.SQLException;
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

  /**
   * A cursor that never gives its read connection back: it takes one from the pool for the
   * query and keeps it, as a cursor whose close() and last row forget to release would.
   */
  static final class CursorKeepsItsConnection extends On {
    @Override
    EngineProvider engine() {
      return new BrokenEngine() {
        @Override
        Executor executor(SqliteExecutor real) {
          return new ForwardingExecutor(real) {
            @Override
            public RowCursor cursor(String sql, List<SqlValue> params) {
              real.readers().borrow(); // held for good
              return RowCursor.of(real.query(sql, params));
            }
          };
        }
      };
    }
  }

  /** Cursors that stream on any free read connection, the last one too: open ones starve other reads. */
  static final class CursorsTakeEveryConnection extends On {
    @Override
    EngineProvider engine() {
      return new BrokenEngine() {
        @Override
        Executor executor(SqliteExecutor real) {
          return new ForwardingExecutor(real) {
            @Override
            public RowCursor cursor(String sql, List<SqlValue> params) {
              StatementCache c = real.readers().borrow();
              try {
                StatementCache.Prepared p = c.prepare(sql);
                Rows.bind(p.statement(), p.shape().parameterCount(), params, sql);
                return new SqliteCursor(real.readers(), c, sql, p.statement(), p.statement().executeQuery());
              } catch (SQLException e) {
                real.readers().giveBack(c, true);
                throw new HadbException(ErrorCode.SQL_ERROR, e.getMessage(), e);
              }
            }
          };
        }
      };
    }
  }

  /** A cursor whose close() does nothing: it goes on reading its rows. */
  static final class CursorIgnoresClose extends On {
    @Override
    EngineProvider engine() {
      return new BrokenEngine() {
        @Override
        Executor executor(SqliteExecutor real) {
          return new ForwardingExecutor(real) {
            @Override
            public RowCursor cursor(String sql, List<SqlValue> params) {
              return new ForwardingCursor(RowCursor.of(real.query(sql, params))) {
                @Override
                public void close() {}
              };
            }
          };
        }
      };
    }
  }

  /** A cursor that stays open after its statement failed (the error passed on, the connection kept). */
  static final class CursorStaysOpenAfterAnError extends On {
    @Override
    EngineProvider engine() {
      return new BrokenEngine() {
        @Override
        Executor executor(SqliteExecutor real) {
          return new ForwardingExecutor(real) {
            @Override
            public RowCursor cursor(String sql, List<SqlValue> params) {
              return new ForwardingCursor(real.cursor(sql, params)) {
                private boolean closed;

                @Override
                public boolean isClosed() {
                  return closed;
                }

                @Override
                public void close() {
                  closed = true;
                  super.close();
                }
              };
            }
          };
        }
      };
    }
  }

  /** A {@link RowCursor} that hands every call on. */
  static class ForwardingCursor implements RowCursor {
    private final RowCursor real;

    ForwardingCursor(RowCursor real) {
      this.real = real;
    }

    @Override
    public List<String> columns() {
      return real.columns();
    }

    @Override
    public boolean next() {
      return real.next();
    }

    @Override
    public SqlValue value(int column) {
      return real.value(column);
    }

    @Override
    public long longValue(int column) {
      return real.longValue(column);
    }

    @Override
    public double doubleValue(int column) {
      return real.doubleValue(column);
    }

    @Override
    public String textValue(int column) {
      return real.textValue(column);
    }

    @Override
    public boolean isNull(int column) {
      return real.isNull(column);
    }

    @Override
    public boolean isClosed() {
      return real.isClosed();
    }

    @Override
    public void close() {
      real.close();
    }
  }
}
