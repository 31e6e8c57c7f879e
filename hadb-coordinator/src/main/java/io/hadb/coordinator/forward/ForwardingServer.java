package io.hadb.coordinator.forward;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SqlStatement;
import io.hadb.coordinator.forward.internal.ForwardRequest;
import io.hadb.coordinator.forward.internal.Wire;
import io.hadb.coordinator.forward.internal.WireError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The leader's side of write forwarding (DESIGN §6.4): {@code POST /hadb/v1/forward} on the JDK's
 * HTTP server.
 *
 * <ul>
 *   <li>401, with no detail, unless the {@value ForwardingSecret#HEADER} header holds the body's
 *       HMAC under the shared secret (compared in constant time).
 *   <li>421, nothing applied, while this node does not lead, with the {@value #LEADER_HEADER} and
 *       {@value #EPOCH_HEADER} headers naming the leader when known: this node itself while it
 *       holds the lease and is still promoting ("retry here shortly"), else the leader of the last
 *       lease record it read. Counted as a fenced write.
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
 */
public final class ForwardingServer implements AutoCloseable {
  public static final String PATH = "/hadb/v1/forward";
  /** Response header of a 421: the address of the node believed to lead. */
  public static final String LEADER_HEADER = "Hadb-Leader";
  /** Response header of a 421 beside {@link #LEADER_HEADER}: the epoch of that leader's term. */
  public static final String EPOCH_HEADER = "Hadb-Leader-Epoch";
  public static final String CONTENT_TYPE = "application/x-hadb-forward";
  private static final System.Logger LOG = System.getLogger(ForwardingServer.class.getName());
  private static final int THREADS = 4;
  private static final String NODELAY = "sun.net.httpserver.nodelay";

  private final HttpServer http;
  private final ForwardingSecret secret;
  private final ExecutorService threads;
  private final AtomicLong received = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
  private volatile LeaderEndpoint endpoint;

  static {
    configureNoDelay();
  }

  /**
   * The JDK server writes a response's headers and body as two segments; without TCP_NODELAY the
   * body waits for the client's delayed ACK of the headers, about 40 ms on Linux, on every
   * request. The server has no API for it: its configuration class reads the system property
   * {@value #NODELAY} once per JVM, when it initializes. So the property is set only around that
   * initialization and then removed, and the application's properties stay as they were; an
   * explicit setting by the application wins. An application that started a JDK HttpServer of
   * its own before (without the property) has fixed the setting for the JVM: it must pass
   * {@code -Dsun.net.httpserver.nodelay=true} for forwarded writes to answer promptly.
   */
  private static void configureNoDelay() {
    if (System.getProperty(NODELAY) != null) {
      return;
    }
    System.setProperty(NODELAY, "true");
    try {
      Class.forName("sun.net.httpserver.ServerConfig", true, HttpServer.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      LOG.log(System.Logger.Level.WARNING, "cannot configure TCP_NODELAY for the forwarding server (" + e
          + "); answers may each wait for a delayed ACK: pass -D" + NODELAY + "=true");
    } finally {
      System.clearProperty(NODELAY);
    }
  }

  private ForwardingServer(HttpServer http, ForwardingSecret secret) {
    this.http = http;
    this.secret = secret;
    AtomicInteger n = new AtomicInteger();
    this.threads = Executors.newFixedThreadPool(THREADS, r -> {
      Thread t = new Thread(r, "hadb-forward-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    http.setExecutor(threads);
    http.createContext(PATH, this::handle);
  }

  /**
   * Binds {@code bind} (port 0 picks a free one) without serving yet, so the node can put
   * {@link #address()} into its lease configuration before its lease exists.
   */
  public static ForwardingServer bind(InetSocketAddress bind, ForwardingSecret secret) {
    HadbException.requireArg(bind, "bind");
    HadbException.requireArg(secret, "secret");
    try {
      return new ForwardingServer(HttpServer.create(bind, 64), secret);
    } catch (IOException e) {
      throw HadbException.unavailable("cannot listen for forwarded writes on " + bind + ": " + e.getMessage(), e);
    }
  }

  /**
   * Starts serving {@code target}. The JDK server's dispatcher thread takes the daemon flag of the
   * thread that starts it, so a daemon thread starts it: a forwarding server never keeps the
   * application's JVM alive (a {@code main} that ends without closing the database exits).
   */
  public ForwardingServer start(LeaderEndpoint target) {
    this.endpoint = HadbException.requireArg(target, "target");
    java.util.concurrent.atomic.AtomicReference<RuntimeException> failed = new java.util.concurrent.atomic.AtomicReference<>();
    Thread starter = new Thread(() -> {
      try {
        http.start();
      } catch (RuntimeException e) {
        failed.set(e);
      }
    }, "hadb-forward-start");
    starter.setDaemon(true);
    starter.start();
    boolean interrupted = false;
    while (starter.isAlive()) {
      try {
        starter.join();
      } catch (InterruptedException e) {
        interrupted = true; // the start is quick; finish it, then restore the flag
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    if (failed.get() != null) {
      throw failed.get();
    }
    return this;
  }

  /** {@code http://host:port} of this server, as followers should reach it. */
  public String address() {
    InetSocketAddress a = http.getAddress();
    String host = a.getHostString();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort();
  }

  /** Requests received so far, answered or not (for diagnostics and tests). */
  public long requestsReceived() {
    return received.get();
  }

  /**
   * Stops at once: requests in flight lose their connection (their clients retry). Handler
   * threads are not interrupted: one may be inside the engine, and an interrupted read or write
   * closes the database file's channel (DESIGN §6.5); it ends once the engine answers.
   */
  @Override
  public void close() {
    if (closed.getAndSet(true)) {
      return;
    }
    http.stop(0);
    threads.shutdown();
  }

  // ------------------------------------------------------------------ handling

  private void handle(HttpExchange ex) {
    received.incrementAndGet();
    try {
      if (!"POST".equals(ex.getRequestMethod())) {
        reply(ex, 405, "text/plain", "use POST\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      byte[] body = readBody(ex);
      if (body == null) {
        replyError(ex, 413, new WireError(ErrorCode.INVALID_ARGUMENT, -1,
            "request body exceeds " + Wire.MAX_BODY_BYTES + " bytes"));
        return;
      }
      if (!secret.verify(body, ex.getRequestHeaders().getFirst(ForwardingSecret.HEADER))) {
        // No detail: whether the header was missing, malformed or wrong tells an attacker nothing.
        reply(ex, 401, "text/plain", "unauthorized\n".getBytes(StandardCharsets.UTF_8));
        return;
      }
      LeaderEndpoint target = endpoint;
      ForwardRequest request = Wire.decodeRequest(body);
      byte[] answer = request.kind() == ForwardRequest.Kind.WRITE
          ? Wire.encodeWrite(write(target, request))
          : Wire.encodeQuery(read(target, request));
      reply(ex, 200, CONTENT_TYPE, answer);
    } catch (NotLeader e) {
      if (e.write) {
        endpoint.metrics().fencedWrite();
      }
      e.hint.ifPresent(h -> {
        ex.getResponseHeaders().set(LEADER_HEADER, h.address());
        ex.getResponseHeaders().set(EPOCH_HEADER, Long.toString(h.epoch()));
      });
      replyQuietly(ex, 421, new WireError(ErrorCode.NOT_LEADER, -1, e.getMessage()));
    } catch (StatementFailed e) {
      replyQuietly(ex, statusOf(e.error.code()), e.error);
    } catch (Unconfirmed e) {
      endpoint.metrics().unconfirmedWrite();
      replyQuietly(ex, statusOf(ErrorCode.UNKNOWN_OUTCOME), new WireError(ErrorCode.UNKNOWN_OUTCOME, -1,
          e.getMessage()));
    } catch (HadbException e) {
      // A closed executor means this node is shutting down: the client should try elsewhere.
      ErrorCode code = e.code() == ErrorCode.CLOSED ? ErrorCode.UNAVAILABLE : e.code();
      replyQuietly(ex, statusOf(code), new WireError(code, -1, detail(e)));
    } catch (IOException | UncheckedIOException e) {
      LOG.log(System.Logger.Level.DEBUG, "forwarding connection failed: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(System.Logger.Level.WARNING, "forwarded request failed", e);
      replyQuietly(ex, 500, new WireError(ErrorCode.INTERNAL, -1, "internal error on the leader"));
    } finally {
      ex.close();
    }
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
      boolean promoting = hint.filter(h -> h.address().equals(address())).isPresent();
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

  private static byte[] readBody(HttpExchange ex) throws IOException {
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(Wire.MAX_BODY_BYTES + 1);
      return b.length > Wire.MAX_BODY_BYTES ? null : b;
    }
  }

  private static void replyQuietly(HttpExchange ex, int status, WireError e) {
    try {
      replyError(ex, status, e);
    } catch (IOException io) {
      LOG.log(System.Logger.Level.DEBUG, "could not send an error to the client: " + io.getMessage());
    }
  }

  private static void replyError(HttpExchange ex, int status, WireError e) throws IOException {
    reply(ex, status, "text/plain; charset=utf-8", Wire.encodeError(e));
  }

  private static void reply(HttpExchange ex, int status, String type, byte[] body) throws IOException {
    ex.getResponseHeaders().set("Content-Type", type);
    ex.sendResponseHeaders(status, body.length);
    try (OutputStream out = ex.getResponseBody()) {
      out.write(body);
    }
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
