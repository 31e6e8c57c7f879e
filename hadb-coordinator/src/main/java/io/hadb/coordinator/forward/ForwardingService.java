package io.hadb.coordinator.forward;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SqlStatement;
import io.hadb.coordinator.forward.internal.ForwardRequest;
import io.hadb.coordinator.forward.internal.Wire;
import io.hadb.coordinator.forward.internal.WireError;
import io.hadb.coordinator.net.HttpRequest;
import io.hadb.coordinator.net.HttpResponse;
import io.hadb.coordinator.net.HttpService;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The leader's side of write forwarding (DESIGN §6.4): {@code POST /hadb/v1/forward} for every
 * database a node hosts, the database named by the {@value ForwardingServer#DATABASE_HEADER}
 * header.
 *
 * <ul>
 *   <li>401, with no detail, unless the {@value ForwardingSecret#HEADER} header holds the HMAC of
 *       the database name and the body under the shared secret (compared in constant time).
 *   <li>421, nothing applied, for a database this node does not host, and while this node does not
 *       lead it, with the {@value ForwardingServer#LEADER_HEADER} and
 *       {@value ForwardingServer#EPOCH_HEADER} headers naming the leader when known: this node
 *       itself while it holds the lease and is still promoting ("retry here shortly"), else the
 *       leader of the last lease record it read. Counted as a fenced write.
 *   <li>A write is applied at most once per request id: right after a check that this node still
 *       leads the epoch it started with, the statements run in one atomic batch
 *       together with the statements that record the id and results. A recorded id makes that
 *       batch fail before anything runs; the request is then answered from the table ({@code
 *       replayed}).
 *   <li>Errors follow the error contract of DESIGN §6.4: 400 for SQL errors and bad input
 *       (nothing applied, never retried), 421 for NOT_LEADER/FENCED (refused before it ran), 503
 *       with UNAVAILABLE, TIMEOUT or CLOSED for a write refused before it ran (busy, shutting
 *       down), and 503 with {@code UNKNOWN_OUTCOME} for a write that may have applied: it
 *       committed here but its durability could not be confirmed, or it failed in a way that
 *       does not say. The body names the {@link ErrorCode}, the failing statement and the
 *       engine's message.
 * </ul>
 *
 * A request runs on the caller's thread (the port's bounded handler pool); a handler inside the
 * engine is never interrupted (an interrupted read or write closes the database file's channel,
 * DESIGN §6.5).
 */
public final class ForwardingService implements HttpService {
  private static final System.Logger LOG = System.getLogger(ForwardingService.class.getName());

  private final ForwardingSecret secret;
  private final Function<String, Optional<LeaderEndpoint>> endpoints;
  private final Supplier<String> address;

  /**
   * @param endpoints the endpoint of each database this node hosts, by name
   * @param address this node's own address, to tell "taking over" (a hint naming itself) apart
   */
  public ForwardingService(ForwardingSecret secret, Function<String, Optional<LeaderEndpoint>> endpoints,
      Supplier<String> address) {
    this.secret = HadbException.requireArg(secret, "secret");
    this.endpoints = HadbException.requireArg(endpoints, "endpoints");
    this.address = HadbException.requireArg(address, "address");
  }

  @Override
  public HttpResponse handle(HttpRequest req) {
    if (!"POST".equals(req.method())) {
      return HttpResponse.text(405, "use POST");
    }
    String db = req.header(ForwardingServer.DATABASE_HEADER).orElse(null);
    if (!secret.verify(db, req.body(), req.header(ForwardingSecret.HEADER).orElse(null))) {
      // No detail: whether the header was missing, malformed or wrong tells an attacker nothing.
      return HttpResponse.text(401, "unauthorized");
    }
    Optional<LeaderEndpoint> found = endpoints.apply(db);
    if (found.isEmpty()) {
      return error(421, new WireError(ErrorCode.NOT_LEADER, -1, "this node does not host database " + db));
    }
    LeaderEndpoint endpoint = found.get();
    try {
      ForwardRequest request = Wire.decodeRequest(req.body());
      byte[] answer = request.kind() == ForwardRequest.Kind.WRITE
          ? Wire.encodeWrite(write(endpoint, request))
          : Wire.encodeQuery(read(endpoint, request));
      return HttpResponse.of(200, ForwardingServer.CONTENT_TYPE, answer);
    } catch (NotLeader e) {
      if (e.write) {
        endpoint.metrics().fencedWrite();
      }
      HttpResponse r = error(421, new WireError(ErrorCode.NOT_LEADER, -1, e.getMessage()));
      if (e.hint.isPresent()) {
        r = r.with(ForwardingServer.LEADER_HEADER, e.hint.get().address())
            .with(ForwardingServer.EPOCH_HEADER, Long.toString(e.hint.get().epoch()));
      }
      return r;
    } catch (StatementFailed e) {
      return error(statusOf(e.error.code()), e.error);
    } catch (Unconfirmed e) {
      endpoint.metrics().unconfirmedWrite();
      return error(statusOf(ErrorCode.UNKNOWN_OUTCOME), new WireError(ErrorCode.UNKNOWN_OUTCOME, -1, e.getMessage()));
    } catch (HadbException e) {
      // A closed executor means this node is shutting down: the client should try elsewhere.
      ErrorCode code = e.code() == ErrorCode.CLOSED ? ErrorCode.UNAVAILABLE : e.code();
      return error(statusOf(code), new WireError(code, -1, detail(e)));
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "forwarded request failed", e);
      return error(500, new WireError(ErrorCode.INTERNAL, -1, "internal error on the leader"));
    }
  }

  private static HttpResponse error(int status, WireError e) {
    return HttpResponse.of(status, "text/plain; charset=utf-8", Wire.encodeError(e));
  }

  private ForwardedWrite write(LeaderEndpoint t, ForwardRequest r) {
    long epoch = leading(t, true);
    requireLeader(t, epoch);
    RequestTable.Applied applied = apply(t, r);
    long seq;
    try {
      // After the commit: waiting for the upload must not hold up the next request's commit.
      seq = t.commitSeq().seqCovering();
    } catch (RuntimeException e) {
      throw new Unconfirmed("request " + r.requestId() + " committed on this leader but is not confirmed in"
          + " storage (" + e.getMessage() + "); retry it with the same request id");
    }
    t.metrics().forwarded();
    return new ForwardedWrite(applied.results(), seq, applied.replayed());
  }

  /**
   * Runs the request once. Only the codes the error contract calls definite leave here as they
   * are; any other failure of a batch handed to the engine may have applied.
   */
  private static RequestTable.Applied apply(LeaderEndpoint t, ForwardRequest r) {
    try {
      return t.requests().applyOnce(t.executor(), r.requestId(), r.statements(), t.wall().millis());
    } catch (HadbException e) {
      switch (e.code()) {
        case FENCED, NOT_LEADER -> // the engine refused it before it ran: another leader owns the chain
            throw new NotLeader(e.getMessage(), t.leader().leaderHint(), true);
        case SQL_ERROR, INVALID_ARGUMENT, UNSUPPORTED ->
            throw new StatementFailed(new WireError(e.code(), statementIndex(r.statements(), e), detail(e)));
        case UNAVAILABLE, TIMEOUT, CLOSED -> throw e; // refused before it ran; answered 503 as it is
        default -> throw new Unconfirmed("request " + r.requestId() + " may have applied on this leader: "
            + detail(e) + "; retry it with the same request id");
      }
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "forwarded write " + r.requestId() + " failed inside the engine", e);
      throw new Unconfirmed("request " + r.requestId() + " failed inside the leader's engine (" + e
          + "); it may have applied: retry it with the same request id");
    }
  }

  private io.hadb.api.engine.QueryResult read(LeaderEndpoint t, ForwardRequest r) {
    leading(t, false);
    SqlStatement s = r.statements().get(0);
    if (t.executor().isMutation(s.sql())) {
      throw new StatementFailed(new WireError(ErrorCode.INVALID_ARGUMENT, 0,
          "a forwarded read must not change the database; send it as a write"));
    }
    try {
      return t.executor().query(s.sql(), s.params());
    } catch (HadbException e) {
      if (e.code() == ErrorCode.SQL_ERROR) {
        throw new StatementFailed(new WireError(e.code(), 0, detail(e)));
      }
      throw e;
    }
  }

  private long leading(LeaderEndpoint t, boolean write) {
    OptionalLong epoch = t.leader().leadingEpoch();
    if (epoch.isEmpty()) {
      Optional<LeaderAddress> hint = t.leader().leaderHint();
      boolean promoting = hint.filter(h -> h.address().equals(address.get())).isPresent();
      throw new NotLeader(promoting ? "this node is taking over at epoch " + hint.get().epoch()
          + " and accepts writes once it has caught up and sealed the chain; retry here" : "this node does not lead",
          hint, write);
    }
    return epoch.getAsLong();
  }

  private static void requireLeader(LeaderEndpoint t, long epoch) {
    try {
      t.leader().requireLeader(epoch);
    } catch (HadbException e) {
      throw new NotLeader(e.getMessage(), t.leader().leaderHint(), true);
    }
  }

  /**
   * The failing statement's index. The executor's error names the statement's text, not its
   * index: a one-statement request is index 0; in a batch, the one statement whose text the
   * message quotes; otherwise -1 (unknown).
   */
  static int statementIndex(List<SqlStatement> statements, HadbException e) {
    if (statements.size() == 1) {
      return 0;
    }
    String msg = String.valueOf(e.getMessage());
    int found = -1;
    for (int i = 0; i < statements.size(); i++) {
      String sql = statements.get(i).sql().strip();
      String probe = sql.length() > 60 ? sql.substring(0, 60) : sql;
      if (!probe.isEmpty() && msg.contains(probe)) {
        if (found >= 0 && !statements.get(found).sql().strip().equals(sql)) {
          return -1;
        }
        if (found < 0) {
          found = i;
        }
      }
    }
    return found;
  }

  /** The message without the "CODE: " prefix {@link HadbException} adds (the client adds its own). */
  private static String detail(HadbException e) {
    String m = String.valueOf(e.getMessage());
    String prefix = e.code() + ": ";
    return m.startsWith(prefix) ? m.substring(prefix.length()) : m;
  }

  static int statusOf(ErrorCode code) {
    return switch (code) {
      case SQL_ERROR, INVALID_ARGUMENT, UNSUPPORTED, NOT_FOUND -> 400;
      case NOT_LEADER, FENCED -> 421;
      case UNAVAILABLE, TIMEOUT, UNKNOWN_OUTCOME, CLOSED -> 503;
      case CORRUPT, INTERNAL -> 500;
    };
  }


  /** This node does not lead: answered with 421 and the hint. Nothing was applied. */
  private static final class NotLeader extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Optional<LeaderAddress> hint;
    final boolean write;

    NotLeader(String message, Optional<LeaderAddress> hint, boolean write) {
      super(message, null, false, false);
      this.hint = hint;
      this.write = write;
    }
  }

  /** A write that may have applied: answered 503 with UNKNOWN_OUTCOME, and counted. */
  private static final class Unconfirmed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unconfirmed(String message) {
      super(message, null, false, false);
    }
  }

  /** A statement failed; carries the structured error. */
  private static final class StatementFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient WireError error;

    StatementFailed(WireError error) {
      super(error.message(), null, false, false);
      this.error = error;
    }
  }
}
