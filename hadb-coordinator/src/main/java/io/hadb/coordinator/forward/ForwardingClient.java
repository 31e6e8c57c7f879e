package io.hadb.coordinator.forward;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.coordinator.forward.internal.ForwardRequest;
import io.hadb.coordinator.forward.internal.Wire;
import io.hadb.coordinator.forward.internal.WireError;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A follower's side of write forwarding (DESIGN §6.4): sends writes (and LEADER reads) to the
 * leader's {@link ForwardingServer}.
 *
 * <ul>
 *   <li>Every attempt of one call carries the same request id, so a retry after a lost answer or a
 *       failover is applied at most once (the leader's request table answers it).
 *   <li>421: the next attempt goes to the leader hint at once, or, without a new hint, to the
 *       address in the lease record (re-discovery). A connection error or a 503 also waits a
 *       jittered, doubling backoff; a connection error re-discovers too.
 *   <li>SQL errors and bad input come back as {@link ForwardedSqlException} with the same code a
 *       local execution raises, and are never retried. A 401 (wrong secret) is INVALID_ARGUMENT,
 *       not retried.
 *   <li>Bounded by {@link ForwardingOptions#maxAttempts()} and a total deadline. A write that may
 *       have reached the leader and got no answer fails with UNKNOWN_OUTCOME naming its request id;
 *       calling {@link #executeBatch(String, List)} with that id later is safe.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ForwardingClient {
  private final LeaderLocator locator;
  private final ForwardingSecret secret;
  private final ForwardingOptions options;
  private final CoordinatorMetrics metrics;
  private final HttpClient http;
  private volatile String leader; // last address that answered as leader

  public ForwardingClient(LeaderLocator locator, ForwardingSecret secret, ForwardingOptions options,
      CoordinatorMetrics metrics) {
    this.locator = HadbException.requireArg(locator, "locator");
    this.secret = HadbException.requireArg(secret, "secret");
    this.options = HadbException.requireArg(options, "options");
    this.metrics = HadbException.requireArg(metrics, "metrics");
    this.http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(options.connectTimeout())
        .build();
  }

  /** A fresh request id (random UUID). */
  public static String newRequestId() {
    return UUID.randomUUID().toString();
  }

  public ForwardedWrite execute(String sql, List<SqlValue> params) {
    return executeBatch(List.of(new SqlStatement(sql, params)));
  }

  /** Runs {@code statements} on the leader in one transaction, under a fresh request id. */
  public ForwardedWrite executeBatch(List<SqlStatement> statements) {
    return executeBatch(newRequestId(), statements);
  }

  /**
   * Runs {@code statements} on the leader in one transaction, at most once for {@code requestId}:
   * if a batch with that id was applied before (by this leader or an earlier one), the recorded
   * results come back with {@link ForwardedWrite#replayed()} set and nothing is applied again.
   */
  public ForwardedWrite executeBatch(String requestId, List<SqlStatement> statements) {
    HadbException.requireArg(statements, "statements");
    byte[] answer = send(new ForwardRequest(ForwardRequest.Kind.WRITE, Wire.checkRequestId(requestId), statements));
    ForwardedWrite w = Wire.decodeWrite(answer);
    if (w.results().size() != statements.size()) {
      throw new HadbException(ErrorCode.INTERNAL, "leader answered request " + requestId + " with "
          + w.results().size() + " results for " + statements.size() + " statements");
    }
    metrics.forwarded();
    return w;
  }

  /** A read run on the leader (consistency LEADER): sees every write acknowledged so far. */
  public QueryResult query(String sql, List<SqlValue> params) {
    return Wire.decodeQuery(send(new ForwardRequest(ForwardRequest.Kind.READ, newRequestId(),
        List.of(new SqlStatement(sql, params)))));
  }

  /** The address that last answered as leader, if any. */
  public Optional<String> knownLeader() {
    return Optional.ofNullable(leader);
  }

  private byte[] send(ForwardRequest request) {
    byte[] body = Wire.encodeRequest(request);
    String auth = secret.sign(body);
    boolean write = request.kind() == ForwardRequest.Kind.WRITE;
    long deadline = System.nanoTime() + options.deadline().toNanos();
    Attempts a = new Attempts(request.requestId(), write);
    String target = leader;
    for (int attempt = 1; ; attempt++) {
      boolean backoff = true;
      if (target == null) {
        target = discover(a);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw a.failure("its deadline of " + options.deadline().toMillis() + " ms passed", true);
      }
      if (target != null) {
        a.attempted();
        try {
          HttpResponse<byte[]> resp = http.send(httpRequest(target, body, auth, left),
              HttpResponse.BodyHandlers.ofByteArray());
          int status = resp.statusCode();
          if (status == 200) {
            leader = target;
            return resp.body();
          }
          if (status == 401) {
            throw HadbException.invalidArgument("the node at " + target
                + " refused the forwarding secret (HTTP 401): every node of a database must share the same secret");
          }
          WireError err = Wire.decodeError(status, resp.body());
          if (status == 421) {
            leader = null;
            String hint = resp.headers().firstValue(ForwardingServer.LEADER_HEADER).orElse("");
            a.problem(target + " does not lead" + (hint.isEmpty() ? "" : " (hint: " + hint + ")"));
            boolean freshHint = !hint.isEmpty() && !hint.equals(target);
            target = freshHint ? hint : null;
            backoff = !freshHint;
          } else if (err.code().retryable()) {
            // The leader is there but could not answer (busy, I/O): same leader, after a pause.
            a.problem(target + " answered " + err.code() + ": " + err.message());
            a.maybeApplied();
          } else {
            throw new ForwardedSqlException(err.code(), err.statementIndex(), "leader at " + target
                + " refused " + (err.statementIndex() >= 0 ? "statement " + err.statementIndex() : "the request")
                + ": " + err.message());
          }
        } catch (HttpConnectTimeoutException | ConnectException e) {
          // Nothing was sent: the node is gone or moved; ask the lease record again.
          a.problem("cannot connect to " + target + ": " + e);
          leader = null;
          target = null;
        } catch (HttpTimeoutException e) {
          a.problem(target + " did not answer in time");
          a.maybeApplied();
          leader = null;
          target = null;
        } catch (IOException e) {
          a.problem("connection to " + target + " failed: " + e);
          a.maybeApplied();
          leader = null;
          target = null;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw a.failure("it was interrupted", false);
        }
      }
      if (attempt >= options.maxAttempts()) {
        throw a.failure("all " + options.maxAttempts() + " attempts failed", false);
      }
      if (backoff && !sleep(attempt, deadline)) {
        throw a.failure("its deadline of " + options.deadline().toMillis() + " ms passed", true);
      }
    }
  }

  private String discover(Attempts a) {
    try {
      Optional<String> found = locator.leaderAddress();
      if (found.isEmpty()) {
        a.problem("the lease record names no leader");
      }
      return found.orElse(null);
    } catch (HadbException e) {
      a.problem("cannot read the lease record: " + e.getMessage());
      return null;
    }
  }

  private HttpRequest httpRequest(String target, byte[] body, String auth, long leftNanos) {
    Duration timeout = Duration.ofNanos(Math.min(leftNanos, options.requestTimeout().toNanos()));
    return HttpRequest.newBuilder(URI.create(target + ForwardingServer.PATH))
        .timeout(timeout.isZero() ? Duration.ofMillis(1) : timeout)
        .header("Content-Type", ForwardingServer.CONTENT_TYPE)
        .header(ForwardingSecret.HEADER, auth)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** Sleeps the jittered backoff of {@code attempt}; false when the deadline would pass first. */
  private boolean sleep(int attempt, long deadline) {
    long base = options.initialBackoff().toNanos() << Math.min(attempt - 1, 20);
    long cap = Math.min(Math.max(base, 0), options.maxBackoff().toNanos());
    long wait = cap / 2 + ThreadLocalRandom.current().nextLong(cap / 2 + 1);
    if (System.nanoTime() + wait - deadline >= 0) {
      return false;
    }
    try {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** What went wrong across the attempts of one call, for the final error. */
  private static final class Attempts {
    private final String requestId;
    private final boolean write;
    private int sent;
    private boolean maybeApplied;
    private String lastProblem = "no attempt was made";

    Attempts(String requestId, boolean write) {
      this.requestId = requestId;
      this.write = write;
    }

    void attempted() {
      sent++;
    }

    void problem(String p) {
      lastProblem = p;
    }

    void maybeApplied() {
      maybeApplied = true;
    }

    HadbException failure(String why, boolean deadline) {
      String msg = (write ? "forwarded write " : "forwarded read ") + requestId + " failed after " + sent
          + " attempt(s): " + why + "; last problem: " + lastProblem;
      if (write && maybeApplied) {
        return HadbException.unknownOutcome(msg + ". It may have been applied: retry with the same request id"
            + " to apply it at most once", null);
      }
      return deadline ? HadbException.timeout(msg, null) : HadbException.unavailable(msg, null);
    }
  }
}
