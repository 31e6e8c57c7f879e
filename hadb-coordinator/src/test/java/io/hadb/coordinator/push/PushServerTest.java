package io.hadb.coordinator.push;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.api.BodySource;
import io.hadb.api.engine.DurableListener;
import io.hadb.coordinator.forward.ForwardingSecret;
import io.hadb.coordinator.net.NetLoop;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The leader's side of push under bad input (DESIGN §9.2), on a real port with raw sockets: an
 * unauthenticated subscriber (no proof, another secret, an old request) is refused 401; a
 * subscription to a database the node does not host or does not lead is refused; a subscriber
 * that sends garbage, or stops reading, loses its link; and meanwhile a well-behaved subscriber
 * gets every changeset of its database, in order.
 */
class PushServerTest {
  private static final ForwardingSecret SECRET = ForwardingSecret.of("a-shared-secret-of-32-characters");
  private static final int MAX_MESSAGE = 64 * 1024;

  private ExecutorService handlers;
  private NetLoop loop;
  private PushServer push;
  private DurableListener orders;
  private final AtomicBoolean leading = new AtomicBoolean(true);

  @BeforeEach
  void start() {
    handlers = Executors.newFixedThreadPool(2);
    loop = NetLoop.bind(new InetSocketAddress("127.0.0.1", 0), handlers,
        new NetLoop.Limits(4096, 1024, MAX_MESSAGE, 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(30),
            Duration.ofMillis(500), 64), "test-push");
    push = new PushServer(SECRET, MAX_MESSAGE, TimeUnit.SECONDS.toNanos(30));
    loop.upgrade(PushServer.PATH, push);
    loop.start();
    orders = push.add("orders", leading::get);
    push.add("users", () -> false); // hosted here, led elsewhere
  }

  @AfterEach
  void stop() {
    loop.close();
    handlers.shutdownNow();
  }

  @Test
  void unauthenticatedSubscribersAreRefused() throws Exception {
    long now = System.currentTimeMillis();
    String nonce = PushAuth.newNonce();
    assertTrue(upgradeAnswer(Map.of("Upgrade", "hadb-push")).startsWith("HTTP/1.1 401 "), "no proof at all");
    Map<String, String> other = new PushAuth(ForwardingSecret.of("another-secret-of-32-characters!"))
        .request("intruder", now, nonce);
    assertTrue(upgradeAnswer(other).contains("does not match this node's secret"), "another secret");
    Map<String, String> old = new PushAuth(SECRET).request("f", now - PushAuth.MAX_SKEW_MILLIS - 60_000, nonce);
    assertTrue(upgradeAnswer(old).contains("from this node's clock"), "a replayed, old request");
    assertEquals(0, push.subscriptions());
  }

  @Test
  void subscriptionsToDatabasesNotLedHereAreRefusedAndBadPeersCostOnlyTheirLink() throws Exception {
    try (Subscriber good = new Subscriber(); Subscriber garbage = new Subscriber(); Subscriber stalled = new Subscriber(4096)) {
      good.send(PushWire.subscribe("nobody"));
      assertEquals("REFUSED nobody: this node does not host database 'nobody'", good.nextEvent());
      good.send(PushWire.subscribe("users"));
      assertEquals("REFUSED users: this node does not lead database 'users' now", good.nextEvent());
      good.send(PushWire.subscribe("orders"));
      assertEquals("ACCEPTED orders", good.nextEvent());
      stalled.send(PushWire.subscribe("orders"));
      assertEquals("ACCEPTED orders", stalled.nextEvent());
      assertEquals(2, push.subscriptions());

      garbage.out.write(new byte[] {0, 0, 0, 3, 99, 1, 2}); // a framed message of an unknown type
      garbage.out.flush();
      assertTrue(garbage.closedByServer(), "a peer speaking something else loses its link");

      // The stalled peer reads nothing: its queue passes the limit and it is cut off, while the
      // good one gets every changeset.
      int n = 200;
      byte[] body = new byte[32 * 1024];
      for (int batch = 0; batch < n / 20; batch++) { // 640 KiB at a time, under the 1 MiB queue
        for (int seq = batch * 20 + 1; seq <= batch * 20 + 20; seq++) {
          body[0] = (byte) seq;
          orders.durable(seq, "orders/cs/" + seq, BodySource.of(body));
        }
        for (int seq = batch * 20 + 1; seq <= batch * 20 + 20; seq++) {
          PushWire.Message m = PushWire.decode(good.read());
          assertEquals(PushWire.CHANGESET, m.type());
          assertEquals(seq, m.seq());
          assertEquals("orders/cs/" + seq, m.key());
          body[0] = (byte) seq;
          assertArrayEquals(body, m.body());
        }
      }
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (push.subscriptions() > 1 && System.nanoTime() < until) {
        Thread.sleep(20);
      }
      assertEquals(1, push.subscriptions(), "the stalled subscriber was cut off");

      // A changeset larger than a message is announced: the follower reads storage for it.
      orders.durable(n + 1, "orders/cs/big", BodySource.of(new byte[MAX_MESSAGE]));
      assertEquals("DURABLE_NOTICE orders " + (n + 1), good.nextEvent());

      // The end of the term ends the subscription.
      leading.set(false);
      push.ended("orders");
      assertEquals("ENDED orders", good.nextEvent());
      good.send(PushWire.subscribe("orders"));
      assertEquals("REFUSED orders: this node does not lead database 'orders' now", good.nextEvent());
    }
  }

  /** The status line and body of the answer to an upgrade with {@code headers}. */
  private String upgradeAnswer(Map<String, String> headers) throws IOException {
    try (Socket s = socket(0)) {
      s.getOutputStream().write(request(headers));
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private Socket socket(int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) {
      s.setReceiveBufferSize(receiveBuffer);
    }
    s.connect(loop.boundAddress(), 2_000);
    s.setSoTimeout(10_000);
    return s;
  }

  private static byte[] request(Map<String, String> headers) {
    StringBuilder b = new StringBuilder("GET " + PushServer.PATH + " HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\n");
    headers.forEach((k, v) -> b.append(k).append(": ").append(v).append("\r\n"));
    return b.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1);
  }

  /** An authenticated subscriber on a raw socket. */
  private final class Subscriber implements AutoCloseable {
    final Socket socket;
    final OutputStream out;
    final DataInputStream in;

    Subscriber() throws IOException {
      this(0);
    }

    Subscriber(int receiveBuffer) throws IOException {
      socket = socket(receiveBuffer);
      out = socket.getOutputStream();
      String nonce = PushAuth.newNonce();
      out.write(request(new PushAuth(SECRET).request("f", System.currentTimeMillis(), nonce)));
      out.flush();
      in = new DataInputStream(socket.getInputStream());
      String head = head(in);
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      String proof = head.lines().filter(l -> l.toLowerCase().startsWith("hadb-auth:")).findFirst().orElseThrow()
          .substring("hadb-auth:".length()).trim();
      assertTrue(new PushAuth(SECRET).answerHolds(nonce, proof), "the leader proves it holds the secret");
    }

    void send(byte[] message) throws IOException {
      out.write(ByteBuffer.allocate(4).putInt(message.length).array());
      out.write(message);
      out.flush();
    }

    byte[] read() throws IOException {
      while (true) {
        byte[] m = in.readNBytes(in.readInt());
        if (m.length != 1 || m[0] != PushWire.HEARTBEAT) {
          return m;
        }
      }
    }

    String nextEvent() throws IOException {
      PushWire.Message m = PushWire.decode(read());
      return switch (m.type()) {
        case PushWire.ACCEPTED -> "ACCEPTED " + m.database();
        case PushWire.ENDED -> "ENDED " + m.database();
        case PushWire.REFUSED -> "REFUSED " + m.database() + ": " + m.reason();
        case PushWire.DURABLE_NOTICE -> "DURABLE_NOTICE " + m.database() + " " + m.seq();
        default -> "type " + m.type();
      };
    }

    boolean closedByServer() throws IOException {
      try {
        return in.read() < 0;
      } catch (SocketException e) {
        return true; // reset
      }
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }

  private static String head(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) >= 0) {
      b.write(c);
      String s = b.toString(StandardCharsets.ISO_8859_1);
      if (s.endsWith("\r\n\r\n")) {
        return s;
      }
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }
}
