package io.hadb.coordinator.forward;

import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.ExecResult;
import io.hadb.api.engine.QueryResult;
import io.hadb.api.engine.SqlStatement;
import io.hadb.api.engine.SqlValue;
import io.hadb.api.engine.Transaction;
import io.hadb.coordinator.forward.internal.TxWire;
import io.hadb.coordinator.forward.internal.Wire;
import io.hadb.coordinator.forward.internal.WireError;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * A follower's transaction, run on the leader through {@link TransactionService} (DESIGN §12).
 * BEGIN waits out a failover like a forwarded write (nothing has happened yet, so it may go to
 * whichever node leads); from then on every statement goes to that one leader. If it stops
 * leading, cannot be reached, or the transaction outlives its lifetime, the transaction is over
 * and nothing of it applied: the call fails {@code NOT_LEADER} or {@code TIMEOUT}, and the caller
 * retries the whole transaction. A commit that may have applied without an answer (the leader
 * went silent while committing, or could not confirm durability) fails {@code UNKNOWN_OUTCOME}.
 * Not thread-safe: one caller at a time, like a JDBC connection.
 */
public final class RemoteTransaction implements Transaction {
  private final String database;
  private final ForwardingSecret secret;
  private final HttpClient http;
  private final ForwardingOptions options;
  private final String txId;
  private final LeaderAddress leader;
  private final LongConsumer committedSeq;
  private boolean ended;

  private RemoteTransaction(String database, ForwardingSecret secret, HttpClient http, ForwardingOptions options,
      String txId, LeaderAddress leader, LongConsumer committedSeq) {
    this.database = database;
    this.secret = secret;
    this.http = http;
    this.options = options;
    this.txId = txId;
    this.leader = leader;
    this.committedSeq = committedSeq;
  }

  /**
   * Begins a transaction on the leader {@code locator} names, retrying within the forwarding
   * deadline while there is none or it is taking over.
   *
   * @param committedSeq told the seq covering the commit, for READ_YOUR_WRITES
   */
  static RemoteTransaction begin(String database, LeaderLocator locator, ForwardingSecret secret, HttpClient http,
      ForwardingOptions options, Duration lifetime, LongConsumer committedSeq) {
    HadbException.requireArg(lifetime, "lifetime");
    if (lifetime.isNegative() || lifetime.isZero()) {
      throw HadbException.invalidArgument("a transaction's lifetime must be positive, was " + lifetime);
    }
    String txId = ForwardingClient.newRequestId();
    byte[] body = TxWire.encode(new TxWire.TxRequest(TxWire.Op.BEGIN, txId, lifetime.toMillis(), null));
    long deadline = System.nanoTime() + options.deadline().toNanos();
    String last = "the lease names no leader";
    long backoff = options.initialBackoff().toNanos();
    while (true) {
      Optional<LeaderAddress> target = locator.leader();
      if (target.isPresent()) {
        try {
          HttpResponse<byte[]> resp = send(database, secret, http, options, target.get(), body);
          if (resp.statusCode() == 200) {
            return new RemoteTransaction(database, secret, http, options, txId, target.get(), committedSeq);
          }
          if (resp.statusCode() == 401) {
            throw HadbException.invalidArgument("the node at " + target.get().address() + " refused the forwarding"
                + " secret (HTTP 401): every node of a database must share the same secret");
          }
          WireError err = Wire.decodeError(resp.statusCode(), resp.body());
          if (!err.code().retryable()) {
            throw new HadbException(err.code(), "the leader refused to begin a transaction: " + err.message());
          }
          last = target.get().address() + " answered " + err.code() + ": " + err.message();
        } catch (IOException e) {
          last = "cannot reach " + target.get().address() + ": " + e;
        }
      }
      if (System.nanoTime() + backoff - deadline >= 0) {
        throw HadbException.unavailable("no leader began transaction within " + options.deadline().toMillis()
            + " ms (" + last + "); nothing applied", null);
      }
      sleep(backoff);
      backoff = Math.min(backoff * 2, options.maxBackoff().toNanos());
    }
  }

  @Override
  public ExecResult execute(String sql, List<SqlValue> params) {
    byte[] answer = call(new TxWire.TxRequest(TxWire.Op.EXEC, txId, 0, new SqlStatement(sql, params)));
    return Wire.decodeWrite(answer).results().get(0);
  }

  @Override
  public QueryResult query(String sql, List<SqlValue> params) {
    return Wire.decodeQuery(call(new TxWire.TxRequest(TxWire.Op.QUERY, txId, 0, new SqlStatement(sql, params))));
  }

  @Override
  public void commit() {
    checkOpen();
    ended = true;
    byte[] body = TxWire.encode(new TxWire.TxRequest(TxWire.Op.COMMIT, txId, 0, null));
    HttpResponse<byte[]> resp;
    try {
      resp = send(database, secret, http, options, leader, body);
    } catch (java.net.ConnectException | java.net.http.HttpConnectTimeoutException e) {
      // Nothing was sent: the leader is gone, and its transaction with it (rolled back).
      throw HadbException.notLeader("the leader " + leader.address() + " of transaction " + txId
          + " could not be reached to commit (" + e + "); nothing of it applied: retry the transaction", null);
    } catch (IOException e) {
      throw HadbException.unknownOutcome("the commit of transaction " + txId + " was sent to " + leader.address()
          + " without an answer (" + e + "); it may have applied", e);
    }
    if (resp.statusCode() == 200) {
      committedSeq.accept(Wire.decodeWrite(resp.body()).seq());
      return;
    }
    WireError err = Wire.decodeError(resp.statusCode(), resp.body());
    throw new HadbException(err.code(), "commit of transaction " + txId + " on " + leader.address() + ": "
        + err.message());
  }

  @Override
  public void rollback() {
    if (ended) {
      return;
    }
    ended = true;
    try {
      send(database, secret, http, options, leader, TxWire.encode(new TxWire.TxRequest(TxWire.Op.ROLLBACK, txId, 0,
          null)));
    } catch (IOException | RuntimeException e) {
      // The leader rolls back by itself when the transaction outlives its lifetime.
    }
  }

  @Override
  public boolean isEnded() {
    return ended;
  }

  /** The leader this transaction runs on. */
  public String leaderAddress() {
    return leader.address();
  }

  /**
   * One statement. A statement refused by the engine leaves the transaction open; anything else
   * (leadership ended, the leader unreachable, the transaction expired) ends it with nothing
   * applied.
   */
  private byte[] call(TxWire.TxRequest r) {
    checkOpen();
    byte[] body = TxWire.encode(r);
    HttpResponse<byte[]> resp;
    try {
      resp = send(database, secret, http, options, leader, body);
    } catch (IOException e) {
      rollback();
      throw HadbException.notLeader("the leader " + leader.address() + " of transaction " + txId
          + " could not be reached (" + e + "); nothing of it applied: retry the transaction", null);
    }
    if (resp.statusCode() == 200) {
      return resp.body();
    }
    WireError err = Wire.decodeError(resp.statusCode(), resp.body());
    if (err.code() == ErrorCode.SQL_ERROR || err.code() == ErrorCode.INVALID_ARGUMENT
        || err.code() == ErrorCode.UNSUPPORTED) {
      throw new ForwardedSqlException(err.code(), 0, "leader at " + leader.address() + " refused the statement: "
          + err.message());
    }
    rollback();
    throw new HadbException(err.code() == ErrorCode.UNKNOWN_OUTCOME ? ErrorCode.NOT_LEADER : err.code(),
        "transaction " + txId + " on " + leader.address() + " ended: " + err.message());
  }

  private void checkOpen() {
    if (ended) {
      throw HadbException.invalidArgument("transaction " + txId + " has ended");
    }
  }

  private static HttpResponse<byte[]> send(String database, ForwardingSecret secret, HttpClient http,
      ForwardingOptions options, LeaderAddress target, byte[] body) throws IOException {
    HttpRequest req = HttpRequest.newBuilder(URI.create(target.address() + TransactionService.PATH))
        .timeout(options.requestTimeout().plus(Duration.ofMillis(TransactionService.MAX_LIFETIME_MILLIS)))
        .header("Content-Type", ForwardingServer.CONTENT_TYPE)
        .header(ForwardingServer.DATABASE_HEADER, database)
        .header(ForwardingSecret.HEADER, secret.sign(database, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
    try {
      return http.send(req, HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void sleep(long nanos) {
    try {
      Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw HadbException.unavailable("interrupted while waiting for a leader", e);
    }
  }
}
