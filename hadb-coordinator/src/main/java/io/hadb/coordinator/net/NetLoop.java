package io.hadb.coordinator.net;

import io.hadb.api.HadbException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A node's one port (DESIGN §9): HTTP/1.1 requests for every database it hosts (write forwarding)
 * and the long-lived push links, on one selector thread whatever the number of databases,
 * connections or peers. Requests are read whole by the selector and answered by services on a
 * bounded executor; a link is an upgraded connection carrying length-prefixed messages. The same
 * thread runs the links this node opens to other nodes.
 *
 * <p>Bad input costs the peer its connection and nothing else: a malformed or oversized request
 * is answered 400, 413 or 431 and closed; a chunked body is refused (411); a request that does
 * not arrive whole within {@link Limits#requestTimeout} is dropped, as is a peer that stops
 * reading answers ({@link Limits#writeStallTimeout}) or lets a link's queue grow past
 * {@link Limits#maxQueuedBytes}; a connection idle for {@link Limits#idleTimeout} is closed; past
 * {@link Limits#maxConnections} a new connection is closed at once. None of that stops another
 * connection: nothing here blocks the thread.
 *
 * <p>Why not the JDK's HTTP server: it writes responses with blocking writes from its handler
 * threads, so a streaming response to a peer that stops reading holds a thread forever, and it
 * has no way to close that one connection. Here every write is non-blocking and every connection
 * can be cut off on its own.
 */
public final class NetLoop implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(NetLoop.class.getName());
  private static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};
  private static final long SWEEP_NANOS = 200_000_000L;

  /**
   * @param maxHeaderBytes request line and headers together
   * @param maxBodyBytes one request body
   * @param maxMessageBytes one message of a link
   * @param maxQueuedBytes messages queued for one link's peer before it is cut off
   * @param requestTimeout from a request's first byte to its last
   * @param idleTimeout a connection with no request in progress
   * @param writeStallTimeout pending bytes with no write progress
   * @param maxConnections open connections, both ways
   */
  public record Limits(int maxHeaderBytes, int maxBodyBytes, int maxMessageBytes, long maxQueuedBytes,
      Duration requestTimeout, Duration idleTimeout, Duration writeStallTimeout, int maxConnections) {

    public static Limits defaults(int maxBodyBytes) {
      return new Limits(16 * 1024, maxBodyBytes, 8 << 20, 64L << 20, Duration.ofSeconds(30),
          Duration.ofMinutes(2), Duration.ofSeconds(30), 4096);
    }

    public Limits withRequestTimeout(Duration d) {
      return new Limits(maxHeaderBytes, maxBodyBytes, maxMessageBytes, maxQueuedBytes, d, idleTimeout,
          writeStallTimeout, maxConnections);
    }

    public Limits withWriteStallTimeout(Duration d) {
      return new Limits(maxHeaderBytes, maxBodyBytes, maxMessageBytes, maxQueuedBytes, requestTimeout, idleTimeout,
          d, maxConnections);
    }
  }

  /** Checks a peer's answer to an outbound upgrade; false refuses the link. */
  @FunctionalInterface
  public interface UpgradeCheck {
    boolean accept(int status, Map<String, String> headers);
  }

  private final Selector selector;
  private final ServerSocketChannel server;
  private final InetSocketAddress bound;
  private final Executor handlers;
  private final Limits limits;
  private final Thread thread;
  private final Map<String, HttpService> services = new ConcurrentHashMap<>();
  private final Map<String, UpgradeService> upgrades = new ConcurrentHashMap<>();
  private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
  private final Set<Conn> conns = new HashSet<>(); // loop thread only
  private final AtomicLong requests = new AtomicLong();
  private volatile boolean started;
  private volatile boolean closed;
  private long lastSweep;

  private NetLoop(Selector selector, ServerSocketChannel server, Executor handlers, Limits limits, String name)
      throws IOException {
    this.selector = selector;
    this.server = server;
    this.bound = (InetSocketAddress) server.getLocalAddress();
    this.handlers = handlers;
    this.limits = limits;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true); // never keeps the application's JVM alive
  }

  /**
   * Binds {@code bind} (port 0 picks a free one) without serving yet, so the address can go into
   * the lease records before anything is served; {@link #start()} starts the thread.
   */
  public static NetLoop bind(InetSocketAddress bind, Executor handlers, Limits limits, String threadName) {
    HadbException.requireArg(bind, "bind");
    HadbException.requireArg(handlers, "handlers");
    HadbException.requireArg(limits, "limits");
    Selector selector = null;
    ServerSocketChannel server = null;
    try {
      selector = Selector.open();
      server = ServerSocketChannel.open();
      server.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      server.bind(bind, 256);
      server.configureBlocking(false);
      server.register(selector, SelectionKey.OP_ACCEPT);
      return new NetLoop(selector, server, handlers, limits, threadName);
    } catch (IOException e) {
      closeQuietly(server);
      closeQuietly(selector);
      throw HadbException.unavailable("cannot listen on " + bind + ": " + e.getMessage(), e);
    }
  }

  /** Serves {@code service} at {@code path} (the request target up to any '?'). */
  public void serve(String path, HttpService service) {
    services.put(path, HadbException.requireArg(service, "service"));
  }

  /** Accepts upgrades to links at {@code path}. */
  public void upgrade(String path, UpgradeService service) {
    upgrades.put(path, HadbException.requireArg(service, "service"));
  }

  public synchronized NetLoop start() {
    if (!started) {
      started = true;
      thread.start();
    }
    return this;
  }

  /** {@code http://host:port} of the port, as peers reach it. */
  public String address() {
    String host = bound.getHostString();
    return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + bound.getPort();
  }

  /** The largest message a link of this port carries. */
  public int maxMessageBytes() {
    return limits.maxMessageBytes();
  }

  public InetSocketAddress boundAddress() {
    return bound;
  }

  /**
   * Requests an {@link HttpService} has handled so far, counted before their answers are written (for
   * diagnostics and tests): once a client has an answer, its request is counted.
   */
  public long requestsReceived() {
    return requests.get();
  }

  /**
   * Opens a link to {@code to}: an upgrade request to {@code path} with {@code headers}; the
   * peer's 101 answer is handed to {@code check}. Every outcome, failures included, ends in the
   * handler's {@code opened} or {@code closed}.
   */
  public void connect(InetSocketAddress to, String path, Map<String, String> headers, UpgradeCheck check,
      LinkHandler handler, long idleNanos) {
    Conn c = new Conn(handler, idleNanos);
    c.check = check;
    c.requestHead = clientRequest(to, path, headers);
    post(() -> c.startConnect(to));
  }

  private static byte[] clientRequest(InetSocketAddress to, String path, Map<String, String> headers) {
    StringBuilder b = new StringBuilder("GET ").append(path).append(" HTTP/1.1\r\n");
    b.append("Host: ").append(to.getHostString()).append(':').append(to.getPort()).append("\r\n");
    b.append("Connection: Upgrade\r\n");
    headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
    b.append("Content-Length: 0\r\n\r\n");
    return b.toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  private void post(Runnable task) {
    tasks.add(task);
    selector.wakeup();
  }

  // ------------------------------------------------------------------ the loop

  private void run() {
    while (!closed) {
      try {
        selector.select(Math.max(1, SWEEP_NANOS / 1_000_000));
      } catch (IOException e) {
        LOG.log(System.Logger.Level.ERROR, "the node's network loop failed: " + e.getMessage());
        break;
      }
      Runnable t;
      while ((t = tasks.poll()) != null) {
        try {
          t.run();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "network task failed", e);
        }
      }
      for (SelectionKey k : selector.selectedKeys()) {
        try {
          if (!k.isValid()) {
            continue;
          }
          if (k.isAcceptable()) {
            accept();
          } else {
            Conn c = (Conn) k.attachment();
            c.ready(k);
          }
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "network event failed", e);
          if (k.attachment() instanceof Conn c) {
            c.close("internal error: " + e);
          }
        }
      }
      selector.selectedKeys().clear();
      long now = System.nanoTime();
      if (now - lastSweep >= SWEEP_NANOS) {
        lastSweep = now;
        for (Conn c : List.copyOf(conns)) {
          c.sweep(now);
        }
      }
    }
    for (Conn c : List.copyOf(conns)) {
      c.close("the node is closing");
    }
    closeQuietly(server);
    closeQuietly(selector);
  }

  private void accept() {
    SocketChannel ch;
    try {
      ch = server.accept();
    } catch (IOException e) {
      LOG.log(System.Logger.Level.DEBUG, "accept failed: " + e.getMessage());
      return;
    }
    if (ch == null) {
      return;
    }
    if (conns.size() >= limits.maxConnections()) {
      LOG.log(System.Logger.Level.WARNING, "refusing a connection from " + remoteOf(ch) + ": "
          + limits.maxConnections() + " connections open");
      closeQuietly(ch);
      return;
    }
    try {
      ch.configureBlocking(false);
      ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
      Conn c = new Conn(null, 0);
      c.ch = ch;
      c.remote = remoteOf(ch);
      c.key = ch.register(selector, SelectionKey.OP_READ, c);
      c.enter(Mode.READ_HEAD);
      conns.add(c);
    } catch (IOException e) {
      closeQuietly(ch);
    }
  }

  private static InetSocketAddress remoteOf(SocketChannel ch) {
    try {
      return (InetSocketAddress) ch.getRemoteAddress();
    } catch (IOException e) {
      return null;
    }
  }

  private enum Mode { CONNECTING, HANDSHAKE, READ_HEAD, READ_BODY, HANDLING, WRITING, LINK, CLOSED }

  /** One connection, accepted or opened; all state touched on the loop thread, but for the outbound queue. */
  private final class Conn implements Link {
    SocketChannel ch;
    SelectionKey key;
    InetSocketAddress remote;
    Mode mode;
    long modeSince;
    ByteBuffer in = ByteBuffer.allocate(1024);
    // request being read
    String method;
    String target;
    Map<String, String> headers;
    byte[] body;
    int bodyPos;
    // outbound
    final ArrayDeque<ByteBuffer> out = new ArrayDeque<>(); // guarded by this
    long outBytes; // guarded by this
    long lastWriteProgress;
    boolean closeAfterWrite;
    Runnable afterWrite;
    // link
    LinkHandler handler;
    long idleNanos;
    long lastReceived;
    UpgradeCheck check;
    byte[] requestHead;
    volatile boolean open;
    String closedWhy;

    Conn(LinkHandler handler, long idleNanos) {
      this.handler = handler;
      this.idleNanos = idleNanos;
    }

    void enter(Mode m) {
      mode = m;
      modeSince = System.nanoTime();
    }

    // ---- outbound links

    void startConnect(InetSocketAddress to) {
      remote = to;
      if (closed) {
        handler.closed(this, "the node is closing");
        return;
      }
      if (conns.size() >= limits.maxConnections()) {
        handler.closed(this, limits.maxConnections() + " connections open");
        return;
      }
      try {
        ch = SocketChannel.open();
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        conns.add(this);
        enter(Mode.CONNECTING);
        if (ch.connect(to)) {
          key = ch.register(selector, SelectionKey.OP_READ, this);
          connected();
        } else {
          key = ch.register(selector, SelectionKey.OP_CONNECT, this);
        }
      } catch (IOException | RuntimeException e) {
        close("cannot connect to " + to + ": " + e);
      }
    }

    void connected() {
      enter(Mode.HANDSHAKE);
      key.interestOps(SelectionKey.OP_READ);
      queue(ByteBuffer.wrap(requestHead));
    }

    // ---- events

    void ready(SelectionKey k) {
      if (k.isConnectable()) {
        try {
          if (ch.finishConnect()) {
            connected();
          }
        } catch (IOException e) {
          close("cannot connect to " + remote + ": " + e.getMessage());
          return;
        }
      }
      if (k.isValid() && k.isWritable()) {
        flush();
      }
      if (k.isValid() && k.isReadable()) {
        read();
      }
    }

    void read() {
      int n;
      try {
        if (mode == Mode.READ_BODY && in.position() == 0) {
          // The rest of a body goes straight into its array, not through the head buffer.
          n = ch.read(ByteBuffer.wrap(body, bodyPos, body.length - bodyPos));
          if (n > 0) {
            bodyPos += n;
            if (bodyPos == body.length) {
              bodyComplete();
            }
            return;
          }
        } else {
          n = ch.read(in);
        }
      } catch (IOException e) {
        close("read failed: " + e.getMessage());
        return;
      }
      if (n < 0) {
        close("the peer closed the connection");
        return;
      }
      if (n > 0 && mode == Mode.LINK) {
        lastReceived = System.nanoTime();
      }
      process();
    }

    /** Consumes what {@link #in} holds (flipped for reading, compacted after). */
    void process() {
      in.flip();
      try {
        boolean more = true;
        while (more && mode != Mode.CLOSED) {
          more = switch (mode) {
            case READ_HEAD -> readHead();
            case READ_BODY -> readBody();
            case HANDSHAKE -> readHandshake();
            case LINK -> readMessage();
            default -> false;
          };
        }
      } finally {
        if (mode != Mode.CLOSED) {
          in.compact();
          if (mode == Mode.READ_HEAD || mode == Mode.HANDSHAKE) {
            if (!in.hasRemaining()) {
              if (mode == Mode.READ_HEAD) {
                refuse(431, "request line and headers exceed " + limits.maxHeaderBytes() + " bytes");
              } else {
                close("the peer's answer to the upgrade is too long");
              }
            }
          }
        }
      }
    }

    /** The end of the head in {@link #in} (position of the byte after CRLFCRLF), or -1. */
    int headEnd() {
      int start = in.position();
      for (int i = start; i + 3 < in.limit(); i++) {
        if (in.get(i) == '\r' && in.get(i + 1) == '\n' && in.get(i + 2) == '\r' && in.get(i + 3) == '\n') {
          return i + 4;
        }
      }
      if (in.capacity() < limits.maxHeaderBytes() && in.limit() == in.capacity()) {
        // room to read more of the head: grow up to the limit
        ByteBuffer bigger = ByteBuffer.allocate(Math.min(limits.maxHeaderBytes(), in.capacity() * 2));
        bigger.put(in);
        bigger.flip();
        in = bigger;
      }
      return -1;
    }

    boolean readHead() {
      int end = headEnd();
      if (end < 0) {
        return false;
      }
      String head = new String(in.array(), in.arrayOffset() + in.position(), end - in.position() - 4,
          StandardCharsets.ISO_8859_1);
      in.position(end);
      String[] lines = head.split("\r\n", -1);
      String[] requestLine = lines[0].split(" ", -1);
      if (requestLine.length != 3 || requestLine[0].isEmpty() || !requestLine[1].startsWith("/")) {
        refuse(400, "malformed request line");
        return false;
      }
      if (!requestLine[2].startsWith("HTTP/1.")) {
        refuse(505, "only HTTP/1.1 is served here");
        return false;
      }
      Map<String, String> h = parseHeaders(lines);
      if (h == null) {
        refuse(400, "malformed header line");
        return false;
      }
      if (h.containsKey("transfer-encoding")) {
        refuse(411, "send a Content-Length; chunked bodies are not accepted");
        return false;
      }
      long length;
      try {
        length = Long.parseLong(h.getOrDefault("content-length", "0").trim());
      } catch (NumberFormatException e) {
        refuse(400, "Content-Length is not a number");
        return false;
      }
      if (length < 0) {
        refuse(400, "Content-Length is negative");
        return false;
      }
      if (length > limits.maxBodyBytes()) {
        refuse(413, "request body exceeds " + limits.maxBodyBytes() + " bytes");
        return false;
      }
      method = requestLine[0];
      target = requestLine[1];
      headers = h;
      body = new byte[(int) length];
      bodyPos = 0;
      mode = Mode.READ_BODY; // the request's clock keeps running from its first byte
      return true;
    }

    boolean readBody() {
      int take = Math.min(in.remaining(), body.length - bodyPos);
      in.get(body, bodyPos, take);
      bodyPos += take;
      if (bodyPos < body.length) {
        return false;
      }
      bodyComplete();
      return false;
    }

    void bodyComplete() {
      enter(Mode.HANDLING);
      key.interestOps(0); // one request at a time: the next is read after this one's answer
      HttpRequest r = new HttpRequest(method, target, headers, body, remote);
      body = null;
      dispatch(r);
    }

    void dispatch(HttpRequest r) {
      String path = r.path();
      int q = path.indexOf('?');
      String p = q < 0 ? path : path.substring(0, q);
      boolean wantsUpgrade = r.header("upgrade").isPresent()
          && r.header("connection").map(v -> v.toLowerCase(Locale.ROOT).contains("upgrade")).orElse(false);
      UpgradeService u = upgrades.get(p);
      HttpService s = services.get(p);
      Runnable work;
      if (u != null && wantsUpgrade) {
        work = () -> {
          UpgradeService.Decision d;
          try {
            d = u.decide(r);
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "upgrade on " + p + " failed", e);
            d = new UpgradeService.Refuse(error(500, "INTERNAL", "internal error"));
          }
          UpgradeService.Decision decided = d;
          post(() -> upgraded(decided));
        };
      } else if (s != null) {
        work = () -> {
          HttpResponse resp;
          try {
            resp = s.handle(r);
          } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "request to " + p + " failed", e);
            resp = error(500, "INTERNAL", "internal error");
          }
          // Counted once handled, before the answer is written: a count the caller reads covers
          // every request whose effect (or refusal) has happened.
          requests.incrementAndGet();
          HttpResponse answer = r.header("connection").filter(v -> v.equalsIgnoreCase("close")).isPresent()
              ? resp.closing() : resp;
          post(() -> respond(answer));
        };
      } else {
        respond(error(u != null ? 426 : 404, "NOT_FOUND", u != null ? "this path needs an upgrade"
            : "nothing is served at " + p).closing());
        return;
      }
      try {
        handlers.execute(work);
      } catch (RejectedExecutionException e) {
        respond(error(503, "UNAVAILABLE", "the node is closing").closing());
      }
    }

    void respond(HttpResponse r) {
      if (mode == Mode.CLOSED) {
        return;
      }
      closeAfterWrite = r.close();
      enter(Mode.WRITING);
      afterWrite = this::nextRequest;
      queue(ByteBuffer.wrap(encode(r, Map.of())));
    }

    void upgraded(UpgradeService.Decision d) {
      if (mode == Mode.CLOSED) {
        return;
      }
      if (d instanceof UpgradeService.Refuse ref) {
        respond(ref.response().closing());
        return;
      }
      UpgradeService.Accept a = (UpgradeService.Accept) d;
      Map<String, String> h = new LinkedHashMap<>(a.headers());
      h.put("Connection", "Upgrade");
      queue(ByteBuffer.wrap(encode(new HttpResponse(101, h, new byte[0], false), Map.of())));
      handler = a.handler();
      idleNanos = a.idleNanos();
      becomeLink();
    }

    void becomeLink() {
      enter(Mode.LINK);
      lastReceived = System.nanoTime();
      open = true;
      key.interestOps(key.interestOps() | SelectionKey.OP_READ);
      handler.opened(this);
      if (in.position() > 0) {
        process(); // messages that came with the upgrade
      }
    }

    void nextRequest() {
      if (closeAfterWrite) {
        close("answered");
        return;
      }
      enter(Mode.READ_HEAD);
      key.interestOps(SelectionKey.OP_READ);
      if (in.position() > 0) {
        process(); // a request sent right behind the last one
      }
    }

    boolean readHandshake() {
      int end = headEnd();
      if (end < 0) {
        return false;
      }
      String head = new String(in.array(), in.arrayOffset() + in.position(), end - in.position() - 4,
          StandardCharsets.ISO_8859_1);
      in.position(end);
      String[] lines = head.split("\r\n", -1);
      String[] status = lines[0].split(" ", 3);
      Map<String, String> h = parseHeaders(lines);
      int code;
      try {
        code = status.length >= 2 && status[0].startsWith("HTTP/1.") ? Integer.parseInt(status[1]) : -1;
      } catch (NumberFormatException e) {
        code = -1;
      }
      if (code != 101 || h == null || !check.accept(code, h)) {
        close(code == 101 ? "the peer's answer failed its check" : "the peer refused the link: "
            + (code < 0 ? "not an HTTP answer" : lines[0]));
        return false;
      }
      becomeLinkOutbound();
      return in.hasRemaining();
    }

    void becomeLinkOutbound() {
      enter(Mode.LINK);
      lastReceived = System.nanoTime();
      open = true;
      handler.opened(this);
    }

    boolean readMessage() {
      if (in.remaining() < 4) {
        return false;
      }
      int length = in.getInt(in.position());
      if (length < 0 || length > limits.maxMessageBytes()) {
        close("a message of " + Integer.toUnsignedString(length) + " bytes (the limit is " + limits.maxMessageBytes()
            + ")");
        return false;
      }
      if (in.remaining() < 4 + length) {
        if (in.capacity() < 4 + length) {
          ByteBuffer bigger = ByteBuffer.allocate(4 + length);
          bigger.put(in);
          bigger.flip();
          in = bigger;
        }
        return false;
      }
      in.getInt();
      byte[] m = new byte[length];
      in.get(m);
      if (!in.hasRemaining() && in.capacity() > 64 * 1024) {
        in = ByteBuffer.allocate(1024).flip(); // a large message passed: do not keep its buffer
      }
      try {
        handler.received(this, m);
      } catch (RuntimeException e) {
        LOG.log(System.Logger.Level.WARNING, "link message handler failed", e);
        close("the handler failed: " + e);
      }
      return true;
    }

    // ---- writing

    void queue(ByteBuffer b) {
      synchronized (this) {
        if (out.isEmpty()) {
          lastWriteProgress = System.nanoTime();
        }
        out.add(b);
        outBytes += b.remaining();
      }
      flush();
    }

    void flush() {
      boolean done;
      try {
        synchronized (this) {
          while (!out.isEmpty()) {
            ByteBuffer b = out.peek();
            int n = ch.write(b);
            if (n > 0) {
              outBytes -= n;
              lastWriteProgress = System.nanoTime();
            }
            if (b.hasRemaining()) {
              break;
            }
            out.poll();
          }
          done = out.isEmpty();
        }
      } catch (IOException e) {
        close("write failed: " + e.getMessage());
        return;
      }
      if (!key.isValid()) {
        return;
      }
      int ops = key.interestOps();
      key.interestOps(done ? ops & ~SelectionKey.OP_WRITE : ops | SelectionKey.OP_WRITE);
      if (done && mode == Mode.WRITING) {
        Runnable next = afterWrite;
        afterWrite = null;
        if (next != null) {
          next.run();
        }
      }
    }

    @Override
    public void send(byte[] message) {
      if (!open) {
        return;
      }
      ByteBuffer b = ByteBuffer.allocate(4 + message.length);
      b.putInt(message.length).put(message).flip();
      boolean tooSlow;
      synchronized (this) {
        tooSlow = outBytes + b.remaining() > limits.maxQueuedBytes();
        if (!tooSlow) {
          if (out.isEmpty()) {
            lastWriteProgress = System.nanoTime();
          }
          out.add(b);
          outBytes += b.remaining();
        }
      }
      if (tooSlow) {
        close("the peer is too slow: more than " + limits.maxQueuedBytes() + " bytes queued for it");
        return;
      }
      post(() -> {
        if (mode != Mode.CLOSED && key != null && key.isValid()) {
          flush();
        }
      });
    }

    @Override
    public boolean isOpen() {
      return open;
    }

    @Override
    public InetSocketAddress remote() {
      return remote;
    }

    @Override
    public void close(String why) {
      if (Thread.currentThread() != thread) {
        post(() -> close(why));
        return;
      }
      if (mode == Mode.CLOSED) {
        return;
      }
      boolean wasLink = handler != null;
      mode = Mode.CLOSED;
      open = false;
      closedWhy = why;
      conns.remove(this);
      if (key != null) {
        key.cancel();
      }
      closeQuietly(ch);
      if (wasLink) {
        try {
          handler.closed(this, why);
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "link close handler failed", e);
        }
      } else {
        LOG.log(System.Logger.Level.DEBUG, () -> "closed a connection from " + remote + ": " + why);
      }
    }

    /** Answers {@code status} with a reason and closes: bad input from the peer. */
    void refuse(int status, String message) {
      LOG.log(System.Logger.Level.DEBUG, () -> "refusing a request from " + remote + ": " + message);
      key.interestOps(0);
      respond(error(status, "INVALID_ARGUMENT", message).closing());
    }

    void sweep(long now) {
      long outstanding;
      long progress;
      synchronized (this) {
        outstanding = outBytes;
        progress = lastWriteProgress;
      }
      if (outstanding > 0 && now - progress > limits.writeStallTimeout().toNanos()) {
        close("the peer stopped reading: nothing written for " + limits.writeStallTimeout().toSeconds() + " s");
        return;
      }
      long in = now - modeSince;
      switch (mode) {
        case CONNECTING, HANDSHAKE -> {
          if (in > limits.requestTimeout().toNanos()) {
            close("no answer to the upgrade within " + limits.requestTimeout().toSeconds() + " s");
          }
        }
        case READ_HEAD -> {
          boolean started = this.in.position() > 0;
          if (started && in > limits.requestTimeout().toNanos()) {
            close("a request did not arrive whole within " + limits.requestTimeout().toSeconds() + " s");
          } else if (!started && in > limits.idleTimeout().toNanos()) {
            close("idle for " + limits.idleTimeout().toSeconds() + " s");
          }
        }
        case READ_BODY -> {
          if (in > limits.requestTimeout().toNanos()) {
            close("a request did not arrive whole within " + limits.requestTimeout().toSeconds() + " s");
          }
        }
        case LINK -> {
          if (idleNanos > 0 && now - lastReceived > idleNanos) {
            close("nothing received for " + idleNanos / 1_000_000 + " ms");
          }
        }
        default -> {
        }
      }
    }

    @Override
    public String toString() {
      return "link to " + remote + (open ? "" : " (closed: " + closedWhy + ")");
    }
  }

  /**
   * An answer the loop makes itself, in the node's error format ({@code code=}, {@code statement=},
   * {@code message=} lines, DESIGN §6.4), so every client of the port reads it as it reads a
   * service's errors.
   */
  static HttpResponse error(int status, String code, String message) {
    return HttpResponse.of(status, "text/plain; charset=utf-8",
        ("code=" + code + "\nstatement=-1\nmessage=" + message + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** Header lines 1.. of a head into lower-cased names; null when one is malformed. */
  private static Map<String, String> parseHeaders(String[] lines) {
    Map<String, String> h = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      int colon = line.indexOf(':');
      if (colon <= 0 || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        return null;
      }
      h.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    return h;
  }

  private static byte[] encode(HttpResponse r, Map<String, String> extra) {
    StringBuilder b = new StringBuilder("HTTP/1.1 ").append(r.status()).append(' ')
        .append(HttpResponse.reason(r.status())).append("\r\n");
    r.headers().forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
    extra.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
    if (r.status() != 101) {
      b.append("Content-Length: ").append(r.body().length).append("\r\n");
      if (r.close()) {
        b.append("Connection: close\r\n");
      }
    }
    b.append("\r\n");
    byte[] head = b.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[head.length + r.body().length];
    System.arraycopy(head, 0, all, 0, head.length);
    System.arraycopy(r.body(), 0, all, head.length, r.body().length);
    return all;
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (IOException e) {
      // closing anyway
    }
  }

  /** Stops at once: every connection and link is closed (links' handlers are told). */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (started) {
      selector.wakeup();
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    } else {
      closeQuietly(server);
      closeQuietly(selector);
    }
  }
}
