package io.hadb.coordinator.forward;

import io.hadb.api.HadbException;
import io.hadb.coordinator.forward.internal.Wire;
import io.hadb.coordinator.net.NetLoop;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A port that serves write forwarding (DESIGN §6.4) for one database: {@link ForwardingService}
 * on a {@link NetLoop} of its own, for code that runs a lease and an engine without a node. A node
 * serves every database it hosts on its one port instead ({@code HaNode}).
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
  private volatile LeaderEndpoint endpoint;

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
    HadbException.requireArg(secret, "secret");
    AtomicInteger n = new AtomicInteger();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS, r -> {
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
    this.endpoint = HadbException.requireArg(target, "target");
    loop.serve(PATH, new ForwardingService(secret,
        db -> Optional.ofNullable(endpoint).filter(e -> e.database().equals(db)), this::address));
    loop.start();
    return this;
  }

  /** {@code http://host:port} of this server, as followers should reach it. */
  public String address() {
    return loop.address();
  }

  /** Requests received so far, answered or not (for diagnostics and tests). */
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
