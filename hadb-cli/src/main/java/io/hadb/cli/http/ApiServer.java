package io.hadb.cli.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/**
 * The HTTP API of {@code hadb serve} (DESIGN §11) on the JDK's HTTP server: a fixed pool of
 * {@link ApiLimits#threads()} handler threads and a bounded queue (when both are full the
 * accepting thread runs the request itself, which stops it accepting more: back-pressure, not an
 * unbounded pile). One sampler thread records leadership changes for the status page.
 */
public final class ApiServer implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(ApiServer.class.getName());
  private static final Duration SAMPLE_EVERY = Duration.ofMillis(200);

  private final HttpServer server;
  private final ThreadPoolExecutor workers;
  private final ScheduledExecutorService sampler;
  private final Map<String, ServedDatabase> databases;
  private final ApiLimits limits;
  private final String nodeId;
  private final String version;
  private final ApiMetrics metrics = new ApiMetrics();

  private ApiServer(HttpServer server, List<ServedDatabase> databases, ApiLimits limits, String nodeId,
      String version) {
    this.server = server;
    this.limits = limits;
    this.nodeId = nodeId;
    this.version = version;
    Map<String, ServedDatabase> byName = new LinkedHashMap<>();
    for (ServedDatabase d : databases) {
      byName.put(d.name(), d);
    }
    this.databases = java.util.Collections.unmodifiableMap(byName); // in the order given: the page lists them so
    AtomicInteger n = new AtomicInteger();
    this.workers = new ThreadPoolExecutor(limits.threads(), limits.threads(), 60, TimeUnit.SECONDS,
        new ArrayBlockingQueue<>(limits.threads() * 16), r -> {
          Thread t = new Thread(r, "hadb-http-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.CallerRunsPolicy());
    this.sampler = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "hadb-http-sampler");
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(workers);
    server.createContext("/", this::handle);
  }

  /**
   * Binds {@code address} (port 0 picks a free one) and starts serving. With {@code tls} present
   * the server speaks HTTPS only.
   */
  public static ApiServer start(InetSocketAddress address, Optional<SSLContext> tls, List<ServedDatabase> databases,
      ApiLimits limits, String nodeId, String version) throws IOException {
    if (databases.isEmpty()) {
      throw new IllegalArgumentException("no database to serve");
    }
    // The JDK server writes a response's headers and body separately; without TCP_NODELAY the
    // body can wait for the client's delayed ACK of the headers. Read once, when the first server
    // of the JVM is made, so it is set here unless the user chose otherwise.
    if (System.getProperty("sun.net.httpserver.nodelay") == null) {
      System.setProperty("sun.net.httpserver.nodelay", "true");
    }
    HttpServer s;
    if (tls.isPresent()) {
      HttpsServer https = HttpsServer.create(address, 128);
      https.setHttpsConfigurator(new HttpsConfigurator(tls.get()));
      s = https;
    } else {
      s = HttpServer.create(address, 128);
    }
    ApiServer api = new ApiServer(s, databases, limits, nodeId, version);
    api.sampler.scheduleWithFixedDelay(api::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    s.start();
    return api;
  }

  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void sample() {
    for (ServedDatabase d : databases.values()) {
      try {
        d.failovers().sample(Instant.now(), d.db().epoch(), d.leader());
      } catch (RuntimeException e) {
        LOG.log(Level.DEBUG, "sampling " + d.name() + " failed: " + e.getMessage());
      }
    }
  }

  private void handle(HttpExchange ex) {
    String path = ex.getRequestURI().getPath();
    int status = 500;
    try {
      status = route(ex, path);
    } catch (Statements.BadRequest e) {
      status = reply(ex, 400, ErrorReply.refused("INVALID_ARGUMENT", e.getMessage()));
    } catch (HadbException e) {
      status = reply(ex, ErrorReply.status(e.code()), ErrorReply.body(e));
    } catch (UncheckedIOException e) {
      LOG.log(Level.DEBUG, "client connection failed: " + e.getMessage());
    } catch (RuntimeException e) {
      LOG.log(Level.ERROR, "request " + ex.getRequestMethod() + " " + path + " failed", e);
      status = reply(ex, 500, ErrorReply.body(new HadbException(ErrorCode.INTERNAL, "internal error: " + e)));
    } finally {
      metrics.count(path, status);
      ex.close();
    }
  }

  private int route(HttpExchange ex, String path) {
    switch (path) {
      case "/":
        return staticResource(ex, "status.html", "text/html; charset=utf-8");
      case "/readyz":
        return ready(ex);
      default:
        break;
    }
    if (!authorized(ex)) {
      ex.getResponseHeaders().set("WWW-Authenticate", "Bearer");
      return reply(ex, 401, ErrorReply.refused("UNAUTHORIZED", "missing or wrong token: send the header"
          + " 'Authorization: Bearer <token>' with the token of the server's --token-file"));
    }
    return switch (path) {
      case "/openapi.yaml" -> staticResource(ex, "openapi.yaml", "application/yaml; charset=utf-8");
      case "/status" -> reply(ex, 200, StatusJson.of(nodeId, version, databases.values()));
      case "/metrics" -> text(ex, 200, "text/plain; version=0.0.4; charset=utf-8", metricsText());
      case "/db/execute" -> db(ex, path);
      case "/db/query" -> db(ex, path);
      case "/db/request" -> db(ex, path);
      case "/admin/snapshot" -> snapshot(ex);
      default -> reply(ex, 404, ErrorReply.refused("NOT_FOUND", "no such endpoint: " + path + " (see /openapi.yaml)"));
    };
  }

  private int db(HttpExchange ex, String path) {
    String method = ex.getRequestMethod();
    boolean get = method.equals("GET");
    if (!method.equals("POST") && !(get && path.equals("/db/query"))) {
      ex.getResponseHeaders().set("Allow", path.equals("/db/query") ? "GET, POST" : "POST");
      return reply(ex, 405, ErrorReply.refused("INVALID_ARGUMENT", method + " is not allowed on " + path));
    }
    Params p = new Params(ex.getRequestURI());
    ServedDatabase d = database(p);
    List<Statements.Parsed> statements;
    if (get) {
      List<Object> qs = List.copyOf(p.all("q"));
      if (qs.isEmpty()) {
        throw new Statements.BadRequest("GET /db/query needs the query in ?q=...; or POST a JSON array");
      }
      statements = Statements.parse(qs, limits.maxStatements());
    } else {
      Optional<byte[]> body = body(ex);
      if (body.isEmpty()) {
        return reply(ex, 413, ErrorReply.refused("INVALID_ARGUMENT", "the request body is larger than this server's"
            + " limit of " + limits.maxBodyBytes() + " bytes (--max-body-bytes); send fewer statements per request"));
      }
      Object json;
      try {
        json = Json.parse(new String(body.get(), StandardCharsets.UTF_8));
      } catch (Json.ParseException e) {
        throw new Statements.BadRequest(e.getMessage());
      }
      statements = Statements.parse(json, limits.maxStatements());
    }
    Optional<String> key = idempotencyKey(ex, p);
    DbEndpoints.Answer a = switch (path) {
      case "/db/execute" -> DbEndpoints.execute(d.db(), statements, p, key);
      case "/db/query" -> DbEndpoints.query(d.db(), statements, p);
      default -> DbEndpoints.request(d.db(), statements, p, key);
    };
    if (a.status() == 503) {
      ex.getResponseHeaders().set("Retry-After", Integer.toString(ErrorReply.RETRY_AFTER_SECONDS));
    }
    return reply(ex, a.status(), a.body());
  }

  /**
   * {@code POST /admin/snapshot?db=NAME}: the leader takes a snapshot now, as its policy would
   * (retention and the manifest after it). A follower answers 503 {@code NOT_LEADER} with the
   * leader's forwarding address; {@code hadb snapshot} then asks the next node it was given.
   */
  private int snapshot(HttpExchange ex) {
    if (!ex.getRequestMethod().equals("POST")) {
      ex.getResponseHeaders().set("Allow", "POST");
      return reply(ex, 405, ErrorReply.refused("INVALID_ARGUMENT", ex.getRequestMethod()
          + " is not allowed on /admin/snapshot"));
    }
    ServedDatabase d = database(new Params(ex.getRequestURI()));
    long start = System.nanoTime();
    Map<String, Object> body = new LinkedHashMap<>();
    try {
      long seq = d.db().snapshot();
      body.put("database", d.name());
      body.put("snapshot_seq", seq);
      body.put("epoch", d.db().epoch());
    } catch (HadbException e) {
      Map<String, Object> err = ErrorReply.body(e);
      err.put("database", d.name());
      d.leader().ifPresent(l -> err.put("leader", l));
      err.remove("applied");
      err.remove("retry");
      return reply(ex, ErrorReply.status(e.code()), err);
    }
    body.put("time", (System.nanoTime() - start) / 1e9);
    return reply(ex, 200, body);
  }

  private ServedDatabase database(Params p) {
    Optional<String> name = p.get("db");
    if (name.isEmpty()) {
      // the first database given is the default, so an rqlite client works unchanged
      return databases.values().iterator().next();
    }
    ServedDatabase d = databases.get(name.get());
    if (d == null) {
      throw HadbException.notFound("this server hosts no database '" + name.get() + "'; it hosts "
          + databases.keySet());
    }
    return d;
  }

  /** The client's key: header {@code Idempotency-Key}, else {@code ?key=}. */
  private static Optional<String> idempotencyKey(HttpExchange ex, Params p) {
    String h = ex.getRequestHeaders().getFirst("Idempotency-Key");
    Optional<String> k = h != null ? Optional.of(h) : p.get("key");
    k.ifPresent(v -> {
      if (v.isEmpty() || v.length() > 200) {
        throw new Statements.BadRequest("an idempotency key must be 1-200 characters, was " + v.length());
      }
    });
    return k;
  }

  /** The body, or empty when it is larger than the limit (refused before reading it all). */
  private Optional<byte[]> body(HttpExchange ex) {
    String declared = ex.getRequestHeaders().getFirst("Content-Length");
    if (declared != null) {
      try {
        if (Long.parseLong(declared.trim()) > limits.maxBodyBytes()) {
          return Optional.empty();
        }
      } catch (NumberFormatException e) {
        throw new Statements.BadRequest("Content-Length is not a number: '" + declared + "'");
      }
    }
    try (InputStream in = ex.getRequestBody()) {
      byte[] b = in.readNBytes(limits.maxBodyBytes() + 1);
      return b.length > limits.maxBodyBytes() ? Optional.empty() : Optional.of(b);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Constant-time comparison of SHA-256 digests, so neither the token's content nor its length
   * shows in the time a refusal takes.
   */
  private boolean authorized(HttpExchange ex) {
    if (limits.token().isEmpty()) {
      return true;
    }
    String h = ex.getRequestHeaders().getFirst("Authorization");
    String given = h != null && h.startsWith("Bearer ") ? h.substring(7).trim() : "";
    return MessageDigest.isEqual(sha256(given), sha256(limits.token().get()));
  }

  private static byte[] sha256(String s) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }

  /**
   * 200 when every database can serve: a leader accepts writes and this node's copy holds the
   * schema; with {@code ?caught_up} also no changeset behind the chain's head at its last pull.
   * {@code ?wait=5s} waits that long (for all databases together); otherwise answers at once.
   */
  private int ready(HttpExchange ex) {
    Params p = new Params(ex.getRequestURI());
    Duration wait = p.duration("wait", Duration.ZERO, DbEndpoints.MAX_WAIT);
    boolean caughtUp = p.flag("caught_up");
    long deadline = System.nanoTime() + wait.toNanos();
    Map<String, Object> notReady = new LinkedHashMap<>();
    for (ServedDatabase d : databases.values()) {
      try {
        d.db().awaitReady(Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime())));
        while (caughtUp && d.db().metrics().snapshot().lagSeqs() > 0) {
          if (System.nanoTime() - deadline > 0) {
            notReady.put(d.name(), d.db().metrics().snapshot().lagSeqs() + " changesets behind the chain's head at"
                + " its last pull");
            break;
          }
          Thread.sleep(10);
        }
      } catch (HadbException e) {
        notReady.put(d.name(), e.getMessage());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        notReady.put(d.name(), "interrupted");
      }
    }
    if (notReady.isEmpty()) {
      return text(ex, 200, "text/plain; charset=utf-8", "ready\n");
    }
    Map<String, Object> body = ErrorReply.refused("UNAVAILABLE", "not ready");
    body.put("databases", notReady);
    return reply(ex, 503, body);
  }

  private String metricsText() {
    StringBuilder all = new StringBuilder();
    for (ServedDatabase d : databases.values()) {
      all.append(d.db().prometheusText());
      if (all.length() > 0 && all.charAt(all.length() - 1) != '\n') {
        all.append('\n');
      }
    }
    all.append(metrics.prometheusText());
    return PrometheusMerge.groupByFamily(all.toString());
  }

  private int staticResource(HttpExchange ex, String name, String type) {
    try (InputStream in = ApiServer.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("resource " + name + " is missing from the jar");
      }
      return text(ex, 200, type, new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int reply(HttpExchange ex, int status, Map<String, ?> body) {
    return text(ex, status, "application/json", Json.write(body) + "\n");
  }

  private static int text(HttpExchange ex, int status, String type, String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    ex.getResponseHeaders().set("Content-Type", type);
    ex.getResponseHeaders().set("Cache-Control", "no-store");
    try {
      ex.sendResponseHeaders(status, b.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(b);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return status;
  }

  /**
   * Stops accepting, lets requests in progress finish (up to a second), then stops the threads,
   * interrupting one still blocked on a client (a TLS handshake that never comes).
   */
  @Override
  public void close() {
    sampler.shutdownNow();
    server.stop(1);
    workers.shutdown();
    try {
      if (!workers.awaitTermination(1, TimeUnit.SECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
