package io.hadb.coordinator.forward;

import io.hadb.api.HadbException;
import io.hadb.coordinator.forward.internal.Wire;
import io.hadb.coordinator.net.NetLoop;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port that serves write forwarding (DESIGN §6.4): {@link ForwardingService} on a
 * {@link NetLoop}, for the databases {@link #add added} to it. A node has one for all the
 * databases it hosts (DESIGN §9); {@link #start(LeaderEndpoint)} is the one-database form.
 */
public final class ForwardingServer implements AutoCloseable {
  public static final String PATH = "/hadb/v1/forward";
  /** Request header naming the database; covered by the request's HMAC. */
  public static final String DATABASE_HEADER = "Hadb-Database";
  /** Response header of a 421: the address of the node believed to lead. */
  public static final String LEADER_HEADER = "Hadb-Leader";
  /** Response header of a 421 beside {@link #LEADER_HEADER}: the epoch of that leader's term. */
  public static final String EPOCH_HEADER = "Hadb-Leader-Epoch";
  public static final String CONTENT_TYPE = "application/x-hadb-forward";
  private static final int THREADS = 4;

  private final NetLoop loop;
  private final ExecutorService threads;
  private final ForwardingSecret secret;
  private final Map<String, LeaderEndpoint> endpoints = new ConcurrentHashMap<>();

  private ForwardingServer(NetLoop loop, ExecutorService threads, ForwardingSecret secret) {
    this.loop = loop;
    this.threads = threads;
    this.secret = secret;
  }

  /**
   * Binds {@code bind} (port 0 picks a free one) without serving yet, so the node can put
   * {@link #address()} into its lease configuration before its lease exists.
   */
  public static ForwardingServer bind(InetSocketAddress bind, ForwardingSecret secret) {
    return bind(bind, secret, THREADS);
  }

  /**
   * As {@link #bind(InetSocketAddress, ForwardingSecret)}, answering at most {@code handlerThreads}
   * requests at once (each may wait on a commit and its upload); more wait their turn.
   */
  public static ForwardingServer bind(InetSocketAddress bind, ForwardingSecret secret, int handlerThreads) {
    HadbException.requireArg(secret, "secret");
    if (handlerThreads < 1) {
      throw HadbException.invalidArgument("handlerThreads must be at least 1, was " + handlerThreads);
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(handlerThreads, r -> {
      Thread t = new Thread(r, "hadb-forward-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    try {
      NetLoop loop = NetLoop.bind(bind, threads, NetLoop.Limits.defaults(Wire.MAX_BODY_BYTES), "hadb-forward-io");
      return new ForwardingServer(loop, threads, secret);
    } catch (RuntimeException e) {
      threads.shutdown();
      throw e;
    }
  }

  /** Starts serving {@code target} (the database {@link LeaderEndpoint#database()}). */
  public ForwardingServer start(LeaderEndpoint target) {
    add(target);
    return start();
  }

  /** Starts serving the databases added, and those added later. Idempotent. */
  public ForwardingServer start() {
    loop.serve(PATH, new ForwardingService(secret, db -> Optional.ofNullable(db).map(endpoints::get),
        this::address));
    loop.serve(TransactionService.PATH, new TransactionService(secret, db -> Optional.ofNullable(db).map(endpoints::get)));
    loop.start();
    return this;
  }

  /** Serves {@code target}'s database from now on; a database already served is an error. */
  public void add(LeaderEndpoint target) {
    HadbException.requireArg(target, "target");
    if (endpoints.putIfAbsent(target.database(), target) != null) {
      throw HadbException.invalidArgument("database " + target.database() + " is served here already");
    }
  }

  /** Stops serving {@code database}: its requests are answered 421 (this node does not host it). */
  public void remove(String database) {
    endpoints.remove(database);
  }

  /** The loop under this port, for other services of the node on the same port (push links). */
  public NetLoop loop() {
    return loop;
  }

  /** {@code http://host:port} of this server, as followers should reach it. */
  public String address() {
    return loop.address();
  }

  /**
   * Forwarding requests handled so far (refused or applied), counted before each answer is
   * written (for diagnostics and tests).
   */
  public long requestsReceived() {
    return loop.requestsReceived();
  }

  /**
   * Stops at once: requests in flight lose their connection (their clients retry). Handler
   * threads are not interrupted: one may be inside the engine, and an interrupted read or write
   * closes the database file's channel (DESIGN §6.5); it ends once the engine answers.
   */
  @Override
  public void close() {
    loop.close();
    threads.shutdown();
  }
}
