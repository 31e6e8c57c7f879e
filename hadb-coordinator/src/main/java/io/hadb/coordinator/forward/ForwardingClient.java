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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A follower's side of write forwarding (DESIGN §6.4): sends writes (and LEADER reads) to the
 * leader's {@link ForwardingServer}, and rides out a failover within the call's deadline.
 *
 * <ul>
 *   <li>Every attempt of one call carries the same request id, so a retry after a lost answer or a
 *       failover is applied at most once (the leader's request table answers it).
 *   <li>Who leads comes from the {@link LeaderLocator} (the lease record) and from a 421's hint;
 *       each names a term's epoch, and a hint is followed at once only when it names a later term
 *       than any seen so far in the call. A 421 naming the node that sent it means it is taking
 *       over: wait and retry there. Otherwise the lease record is read again after a backoff.
 *   <li>A dead leader (connection refused) is retried through the lease record after a jittered,
 *       doubling backoff, until the lease names its successor and the successor accepts.
 *   <li>An attempt that waits for its answer longer than {@link ForwardingOptions#maxBackoff()}
 *       looks at the lease every such interval; once it names another leader of a later term (the
 *       one waited on is frozen, or lost its lease), the attempt is abandoned and the call goes
 *       there with the same id.
 *   <li>SQL errors and bad input come back as {@link ForwardedSqlException} with the same code a
 *       local execution raises, and are never retried. A 401 (wrong secret) is INVALID_ARGUMENT,
 *       not retried.
 *   <li>Bounded by {@link ForwardingOptions#deadline()} (and {@link ForwardingOptions#maxAttempts()}).
 *       The error contract: a write that may have reached a leader without a definite answer
 *       fails with UNKNOWN_OUTCOME naming its request id, even when later attempts were refused
 *       (see {@link ForwardCall}); calling {@link #executeBatch(String, List)} with that id later is
 *       safe. TIMEOUT, UNAVAILABLE and the refusals mean nothing was applied.
 * </ul>
 *
 * <p>Thread-safe.
 */
public final class ForwardingClient {
  /** How long one reading of the locator serves the calls that wait on an answer meanwhile. */
  private static final long LOCATE_REUSE_NANOS = 50_000_000;

  private final String database;
  private final LeaderLocator locator;
  private final ForwardingSecret secret;
  private final ForwardingOptions options;
  private final CoordinatorMetrics metrics;
  private final HttpClient http;
  private volatile LeaderAddress leader; // last leader that answered
  private volatile Located located; // last reading of the locator

  private record Located(Optional<LeaderAddress> leader, long at) {}

  /** A client of its own: one HTTP client (and its selector thread) for this database alone. */
  public ForwardingClient(String database, LeaderLocator locator, ForwardingSecret secret, ForwardingOptions options,
      CoordinatorMetrics metrics) {
    this(database, locator, secret, options, metrics, newHttpClient(options, null));
  }

  /**
   * A client of {@code database} on a node's shared HTTP client ({@link #newHttpClient}): one
   * selector thread and one connection pool for every database of the node.
   */
  public ForwardingClient(String database, LeaderLocator locator, ForwardingSecret secret, ForwardingOptions options,
      CoordinatorMetrics metrics, HttpClient http) {
    io.hadb.api.Keys.validate(HadbException.requireArg(database, "database") + "/lease");
    this.database = database;
    this.locator = HadbException.requireArg(locator, "locator");
    this.secret = HadbException.requireArg(secret, "secret");
    this.options = HadbException.requireArg(options, "options");
    this.metrics = HadbException.requireArg(metrics, "metrics");
    this.http = HadbException.requireArg(http, "http");
  }

  /**
   * The HTTP client forwarding uses: HTTP/1.1 (what the node's port serves), the options' connect
   * timeout, and {@code executor} for its asynchronous work (null: the JDK's default, a cached
   * pool).
   */
  public static HttpClient newHttpClient(ForwardingOptions options, java.util.concurrent.Executor executor) {
    HttpClient.Builder b = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(options.connectTimeout());
    if (executor != null) {
      b.executor(executor);
    }
    return b.build();
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
  /** A transaction on the leader (see {@link RemoteTransaction}); {@code committedSeq} is told its commit's seq. */
  public RemoteTransaction begin(Duration lifetime, java.util.function.LongConsumer committedSeq) {
    return RemoteTransaction.begin(database, locator, secret, http, options, lifetime, committedSeq);
  }

  public QueryResult query(String sql, List<SqlValue> params) {
    return Wire.decodeQuery(send(new ForwardRequest(ForwardRequest.Kind.READ, newRequestId(),
        List.of(new SqlStatement(sql, params)))));
  }

  /** The address that last answered as leader, if any. */
  public Optional<String> knownLeader() {
    LeaderAddress l = leader;
    return l == null ? Optional.empty() : Optional.of(l.address());
  }

  private byte[] send(ForwardRequest request) {
    byte[] body = Wire.encodeRequest(request);
    String auth = secret.sign(database, body);
    long deadline = System.nanoTime() + options.deadline().toNanos();
    LeaderAddress target = leader;
    ForwardCall call = new ForwardCall(request.requestId(), request.kind() == ForwardRequest.Kind.WRITE, target);
    for (int attempt = 1; ; attempt++) {
      boolean pause = true;
      if (target == null) {
        target = discover(call);
      }
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        throw call.failure("its deadline of " + options.deadline().toMillis() + " ms passed", true);
      }
      if (target != null) {
        call.sent();
        try {
          HttpResponse<byte[]> resp = exchange(target, httpRequest(target, body, auth, left));
          int status = resp.statusCode();
          if (status == 200) {
            leader = target;
            return resp.body();
          }
          if (status == 401) {
            throw call.refused(HadbException.invalidArgument("the node at " + target.address()
                + " refused the forwarding secret (HTTP 401): every node of a database must share the same secret"));
          }
          WireError err = Wire.decodeError(status, resp.body());
          if (status == 421) {
            leader = null;
            Optional<LeaderAddress> hint = hint(resp);
            call.problem(target.address() + " does not lead: " + err.message()
                + hint.map(h -> " (hint: " + h.address() + ", epoch " + h.epoch() + ")").orElse(""));
            if (hint.isPresent() && hint.get().address().equals(target.address())) {
              call.newer(hint.get()); // it is taking over: wait, then ask it again
            } else if (hint.isPresent() && call.newer(hint.get())) {
              target = hint.get();
              pause = false;
            } else {
              target = null; // a stale or missing hint: the lease record decides
            }
          } else if (err.code() == ErrorCode.UNKNOWN_OUTCOME) {
            // Committed there but not confirmed durable (or failed in a way that does not say):
            // the same id again is answered from the request table or applies now, never twice.
            call.problem(target.address() + " answered " + err.code() + ": " + err.message());
            call.maybeApplied();
          } else if (err.code().retryable()) {
            // Refused before it ran (busy, shutting down): the same leader, after a pause.
            call.problem(target.address() + " answered " + err.code() + ": " + err.message());
          } else if (status >= 500) {
            call.maybeApplied();
            throw call.refused(new ForwardedSqlException(err.code(), err.statementIndex(), "leader at "
                + target.address() + " failed: " + err.message()));
          } else {
            throw call.refused(new ForwardedSqlException(err.code(), err.statementIndex(), "leader at "
                + target.address() + " refused " + (err.statementIndex() >= 0 ? "statement "
                + err.statementIndex() : "the request") + ": " + err.message()));
          }
        } catch (MovedOn e) {
          // The node waited on went silent and the lease names a later term elsewhere: it is frozen
          // or deposed. Its answer is lost; the same id goes to the new leader.
          call.problem(target.address() + " did not answer and the lease moved on to " + e.next.address());
          call.maybeApplied();
          call.newer(e.next);
          leader = null;
          target = e.next;
          pause = false;
        } catch (HttpConnectTimeoutException | ConnectException e) {
          // Nothing was sent: the node is gone or moved; ask the lease record again.
          call.problem("cannot connect to " + target.address() + ": " + e);
          leader = null;
          target = null;
        } catch (HttpTimeoutException e) {
          call.problem(target.address() + " did not answer in time");
          call.maybeApplied();
          leader = null;
          target = null;
        } catch (IOException e) {
          call.problem("connection to " + target.address() + " failed: " + e);
          call.maybeApplied();
          leader = null;
          target = null;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw call.failure("it was interrupted", false);
        }
      }
      if (attempt >= options.maxAttempts()) {
        throw call.failure("all " + options.maxAttempts() + " attempts failed", false);
      }
      if (pause && !sleep(attempt, deadline)) {
        throw call.failure("its deadline of " + options.deadline().toMillis() + " ms passed", true);
      }
    }
  }

  /**
   * Sends one attempt and waits for its answer, looking at the lease every {@code maxBackoff}
   * meanwhile: a leader that froze (SIGSTOP, a long pause) keeps the connection open without
   * answering, so only the lease tells that someone else leads now.
   */
  private HttpResponse<byte[]> exchange(LeaderAddress target, HttpRequest request)
      throws IOException, InterruptedException, MovedOn {
    CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray());
    long every = options.maxBackoff().toNanos();
    while (true) {
      try {
        return answer.get(every, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        Optional<LeaderAddress> now;
        try {
          now = locateShared();
        } catch (HadbException unreachable) {
          continue; // no news of the lease: keep waiting for the answer
        }
        if (now.isPresent() && !now.get().address().equals(target.address()) && now.get().newerThan(target)) {
          answer.cancel(true);
          throw new MovedOn(now.get());
        }
      } catch (ExecutionException e) {
        if (e.getCause() instanceof IOException io) {
          throw io;
        }
        throw new IOException(e.getCause());
      } catch (InterruptedException e) {
        answer.cancel(true);
        throw e;
      }
    }
  }

  /**
   * The lease's leader, for an attempt that waits on its answer: one reading serves every call
   * that looks within {@link #LOCATE_REUSE_NANOS}, so many waiting calls cost one store read.
   */
  private Optional<LeaderAddress> locateShared() {
    Located l = located;
    if (l != null && System.nanoTime() - l.at() < LOCATE_REUSE_NANOS) {
      return l.leader();
    }
    return locate();
  }

  private Optional<LeaderAddress> locate() {
    long at = System.nanoTime();
    Optional<LeaderAddress> found = locator.leader();
    located = new Located(found, at);
    return found;
  }

  /** After a failed attempt: the lease record read afresh. */
  private LeaderAddress discover(ForwardCall call) {
    try {
      Optional<LeaderAddress> found = locate();
      if (found.isEmpty()) {
        call.problem("the lease record names no leader");
        return null;
      }
      call.newer(found.get());
      return found.get();
    } catch (HadbException e) {
      call.problem("cannot read the lease record: " + e.getMessage());
      return null;
    }
  }

  private static Optional<LeaderAddress> hint(HttpResponse<byte[]> resp) {
    Optional<String> address = resp.headers().firstValue(ForwardingServer.LEADER_HEADER).filter(a -> !a.isEmpty());
    if (address.isEmpty()) {
      return Optional.empty();
    }
    long epoch;
    try {
      epoch = Math.max(0, Long.parseLong(resp.headers().firstValue(ForwardingServer.EPOCH_HEADER).orElse("0")));
    } catch (NumberFormatException e) {
      epoch = 0;
    }
    return Optional.of(new LeaderAddress(address.get(), epoch));
  }

  private HttpRequest httpRequest(LeaderAddress target, byte[] body, String auth, long leftNanos) {
    Duration timeout = Duration.ofNanos(Math.min(leftNanos, options.requestTimeout().toNanos()));
    return HttpRequest.newBuilder(URI.create(target.address() + ForwardingServer.PATH))
        .timeout(timeout.isZero() ? Duration.ofMillis(1) : timeout)
        .header("Content-Type", ForwardingServer.CONTENT_TYPE)
        .header(ForwardingServer.DATABASE_HEADER, database)
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

  /** The lease names a later leader than the one an attempt is waiting on. */
  private static final class MovedOn extends Exception {
    private static final long serialVersionUID = 1L;
    final transient LeaderAddress next;

    MovedOn(LeaderAddress next) {
      super(null, null, false, false);
      this.next = next;
    }
  }
}
