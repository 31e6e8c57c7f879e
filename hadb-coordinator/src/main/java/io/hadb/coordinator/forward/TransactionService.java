package io.hadb.coordinator.forward;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.Transaction;
import io.hadb.coordinator.forward.internal.TxWire;
import io.hadb.coordinator.forward.internal.Wire;
import io.hadb.coordinator.forward.internal.WireError;
import io.hadb.coordinator.net.HttpRequest;
import io.hadb.coordinator.net.HttpResponse;
import io.hadb.coordinator.net.HttpService;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The leader's side of a follower's transaction (DESIGN §12): {@code POST /hadb/v1/tx}, signed and
 * routed like forwarding ({@link ForwardingService}). BEGIN opens a {@link TransactionSession}
 * holding the engine's write lock for at most the lifetime the follower asked for; EXEC and QUERY
 * run one statement in it; COMMIT commits and answers the seq covering the commit; ROLLBACK ends
 * it. Every statement and the commit run only while this node still leads the epoch the
 * transaction began in; otherwise the transaction is rolled back and the answer is 421: nothing
 * of it applied, the follower retries the whole transaction. A commit whose durability cannot be
 * confirmed is 503 {@code UNKNOWN_OUTCOME}, as for a forwarded write.
 */
public final class TransactionService implements HttpService {
  public static final String PATH = "/hadb/v1/tx";
  /** Open transactions at once, over all databases; more are refused (503, retry). */
  static final int MAX_OPEN = 64;
  /** The longest lifetime a follower may ask for. */
  static final long MAX_LIFETIME_MILLIS = 60_000;

  private static final System.Logger LOG = System.getLogger(TransactionService.class.getName());

  private final ForwardingSecret secret;
  private final Function<String, Optional<LeaderEndpoint>> endpoints;
  private final Map<String, TransactionSession> open = new ConcurrentHashMap<>();

  public TransactionService(ForwardingSecret secret, Function<String, Optional<LeaderEndpoint>> endpoints) {
    this.secret = HadbException.requireArg(secret, "secret");
    this.endpoints = HadbException.requireArg(endpoints, "endpoints");
  }

  @Override
  public HttpResponse handle(HttpRequest req) {
    if (!"POST".equals(req.method())) {
      return HttpResponse.text(405, "use POST");
    }
    String db = req.header(ForwardingServer.DATABASE_HEADER).orElse(null);
    if (!secret.verify(db, req.body(), req.header(ForwardingSecret.HEADER).orElse(null))) {
      return HttpResponse.text(401, "unauthorized");
    }
    Optional<LeaderEndpoint> found = endpoints.apply(db);
    if (found.isEmpty()) {
      return error(new WireError(ErrorCode.NOT_LEADER, -1, "this node does not host database " + db));
    }
    LeaderEndpoint t = found.get();
    try {
      TxWire.TxRequest r = TxWire.decode(req.body());
      String key = db + "\n" + r.txId();
      return switch (r.op()) {
        case BEGIN -> begin(t, key, r);
        case EXEC -> ok(Wire.encodeWrite(new ForwardedWrite(List.of((ExecResult) session(key, r).step(tx -> {
          requireLeader(t, tx, r);
          return tx.execute(r.statement().sql(), r.statement().params());
        })), 0, false)));
        case QUERY -> ok(Wire.encodeQuery((QueryResult) session(key, r).step(tx -> {
          requireLeader(t, tx, r);
          return tx.query(r.statement().sql(), r.statement().params());
        })));
        case COMMIT -> commit(t, session(key, r), r);
        case ROLLBACK -> {
          TransactionSession s = open.get(key);
          if (s != null) {
            s.step(tx -> {
              tx.rollback();
              return null;
            });
          }
          yield ok(Wire.encodeWrite(new ForwardedWrite(List.of(), 0, false)));
        }
      };
    } catch (HadbException e) {
      ErrorCode code = e.code() == ErrorCode.CLOSED ? ErrorCode.UNAVAILABLE
          : e.code() == ErrorCode.FENCED ? ErrorCode.NOT_LEADER : e.code();
      return error(new WireError(code, -1, detail(e)));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "transaction request failed", e);
      return error(new WireError(ErrorCode.INTERNAL, -1, "internal error on the leader"));
    }
  }

  private HttpResponse begin(LeaderEndpoint t, String key, TxWire.TxRequest r) {
    OptionalLong epoch = t.leader().leadingEpoch();
    if (epoch.isEmpty()) {
      throw HadbException.notLeader("this node does not lead " + t.database(), null);
    }
    if (open.size() >= MAX_OPEN) {
      throw HadbException.unavailable(open.size() + " transactions are open on this leader; retry shortly", null);
    }
    if (open.containsKey(key)) {
      throw HadbException.invalidArgument("transaction " + r.txId() + " is open already: a BEGIN names a new"
          + " transaction id");
    }
    long lifetime = Math.min(r.lifetimeMillis(), MAX_LIFETIME_MILLIS);
    TransactionSession s = TransactionSession.start(t.database(), r.txId(), lifetime, () -> {
      Transaction tx = t.executor().begin();
      try {
        t.leader().requireLeader(epoch.getAsLong());
      } catch (RuntimeException e) {
        tx.rollback();
        throw e;
      }
      return new EpochTransaction(tx, epoch.getAsLong());
    }, () -> t.leader().leadingEpoch().equals(epoch), () -> open.remove(key));
    if (open.putIfAbsent(key, s) != null) {
      s.abandon(); // the one open keeps going; this one must not keep the write lock
      throw HadbException.invalidArgument("transaction " + r.txId() + " is open already: a BEGIN names a new"
          + " transaction id");
    }
    s.awaitBegun();
    return ok(Wire.encodeWrite(new ForwardedWrite(List.of(), 0, false)));
  }

  /**
   * Commits through the leader's {@link CommitGate}: a hand-off that began turns the commit away
   * (rolled back, nothing applied), one that begins meanwhile waits for it.
   */
  private static HttpResponse commit(LeaderEndpoint t, TransactionSession s, TxWire.TxRequest r) {
    CommitGate gate = t.leader().commits();
    boolean entered = gate.enter();
    try {
      s.step(tx -> {
        if (!entered) {
          throw ended(t, tx, r, "this node is handing leadership over");
        }
        requireLeader(t, tx, r);
        tx.commit();
        return null;
      });
      long seq;
      try {
        seq = t.commitSeq().seqCovering(); // durable already in SYNC (the commit waited): the seq covering it
      } catch (RuntimeException e) {
        t.metrics().unconfirmedWrite();
        throw HadbException.unknownOutcome("transaction " + r.txId() + " committed on this leader but is not"
            + " confirmed in storage: " + e.getMessage(), e);
      }
      t.metrics().forwarded();
      return ok(Wire.encodeWrite(new ForwardedWrite(List.of(), seq, false)));
    } finally {
      if (entered) {
        gate.leave();
      }
    }
  }

  /** Rolls the transaction back and refuses the step unless this node still leads its epoch. */
  private static void requireLeader(LeaderEndpoint t, Transaction tx, TxWire.TxRequest r) {
    long epoch = ((EpochTransaction) tx).epoch();
    try {
      t.leader().requireLeader(epoch);
    } catch (HadbException e) {
      throw ended(t, tx, r, "leadership of epoch " + epoch + " ended");
    }
  }

  /**
   * Rolls the transaction back for a definite error: nothing of it committed, so a rollback that
   * fails too is kept as suppressed and does not change the answer.
   */
  private static HadbException ended(LeaderEndpoint t, Transaction tx, TxWire.TxRequest r, String why) {
    HadbException over = HadbException.notLeader(why + " during transaction " + r.txId() + "; it was rolled back"
        + " and nothing of it applied: retry the transaction", null);
    try {
      if (!tx.isEnded()) {
        tx.rollback();
      }
    } catch (RuntimeException e) {
      over.addSuppressed(e);
    }
    t.metrics().fencedWrite();
    return over;
  }

  private TransactionSession session(String key, TxWire.TxRequest r) {
    TransactionSession s = open.get(key);
    if (s == null) {
      throw HadbException.timeout("transaction " + r.txId() + " is not open on this node (it ended, outlived its"
          + " lifetime, or began on another leader); nothing of it applied: retry the transaction", null);
    }
    return s;
  }

  private static HttpResponse ok(byte[] body) {
    return HttpResponse.of(200, ForwardingServer.CONTENT_TYPE, body);
  }

  private static HttpResponse error(WireError e) {
    return HttpResponse.of(ForwardingService.statusOf(e.code()), "text/plain; charset=utf-8", Wire.encodeError(e));
  }

  private static String detail(HadbException e) {
    String m = String.valueOf(e.getMessage());
    String prefix = e.code() + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  /** The engine's transaction with the epoch it began in. */
  private record EpochTransaction(Transaction tx, long epoch) implements Transaction {
    @Override
    public ExecResult execute(String sql, List<io.hadb.api.engine.SqlValue> params) {
      return tx.execute(sql, params);
    }

    @Override
    public QueryResult query(String sql, List<io.hadb.api.engine.SqlValue> params) {
      return tx.query(sql, params);
    }

    @Override
    public void commit() {
      tx.commit();
    }

    @Override
    public void rollback() {
      tx.rollback();
    }

    @Override
    public boolean isEnded() {
      return tx.isEnded();
    }
  }
}
