package io.hadb.coordinator.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The node's port under bad input (DESIGN §9): garbage, an oversized or endless head, a request
 * that never arrives whole, a link peer that sends an oversized message or stops talking — each
 * costs that peer its connection, and a well-behaved client on another connection is answered
 * meanwhile. Also the link's framing both ways, and an upgrade a service refuses.
 */
class NetLoopTest {
  private static final Duration SHORT = Duration.ofMillis(400);

  private ExecutorService handlers;
  private NetLoop loop;

  @BeforeEach
  void start() {
    handlers = Executors.newFixedThreadPool(2);
    // head 2 KiB, body 1 KiB, message 4 KiB, 64 KiB queued per link, 64 connections
    loop = NetLoop.bind(new InetSocketAddress("127.0.0.1", 0), handlers,
        new NetLoop.Limits(2048, 1024, 4096, 64 * 1024, SHORT, Duration.ofSeconds(30), SHORT, 64), "test-net");
    loop.serve("/echo", r -> HttpResponse.of(200, "application/octet-stream", r.body()));
    loop.start();
  }

  @AfterEach
  void stop() {
    loop.close();
    handlers.shutdownNow();
  }

  private Socket connect() throws IOException {
    Socket s = new Socket();
    s.connect(loop.boundAddress(), 2_000);
    s.setSoTimeout(5_000);
    return s;
  }

  /** Sends {@code raw} and reads until the server closes the connection. */
  private String exchangeUntilClosed(byte[] raw) throws IOException {
    try (Socket s = connect()) {
      s.getOutputStream().write(raw);
      s.getOutputStream().flush();
      return new String(readAll(s.getInputStream()), StandardCharsets.ISO_8859_1);
    }
  }

  private static byte[] readAll(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    byte[] buf = new byte[4096];
    int n;
    try {
      while ((n = in.read(buf)) >= 0) {
        b.write(buf, 0, n);
      }
    } catch (java.net.SocketException reset) {
      // a reset after the answer: the answer is what counts
    }
    return b.toByteArray();
  }

  /** A good request on a fresh connection is answered: the loop still serves others. */
  private void stillServes() throws IOException {
    String answer = exchangeUntilClosed(("POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        + "Content-Length: 5\r\n\r\nhello").getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(answer.startsWith("HTTP/1.1 200 ") && answer.endsWith("hello"), answer);
  }

  @Test
  void garbageIsAnsweredBadRequestAndClosed() throws IOException {
    String answer = exchangeUntilClosed("\u0000\u0001garbage without a request line\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(answer.startsWith("HTTP/1.1 400 "), answer);
    assertTrue(answer.contains("Connection: close"), answer);
    stillServes();
  }

  @Test
  void anEndlessHeadIsRefusedAtTheLimit() throws IOException {
    StringBuilder head = new StringBuilder("GET /echo HTTP/1.1\r\n");
    while (head.length() < 4096) {
      head.append("X-Padding: ").append("y".repeat(60)).append("\r\n");
    }
    String answer = exchangeUntilClosed(head.toString().getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(answer.startsWith("HTTP/1.1 431 "), answer);
    stillServes();
  }

  @Test
  void anOversizedOrChunkedBodyIsRefusedUnread() throws IOException {
    String big = exchangeUntilClosed("POST /echo HTTP/1.1\r\nContent-Length: 999999\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(big.startsWith("HTTP/1.1 413 "), big);
    String chunked = exchangeUntilClosed("POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        .getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(chunked.startsWith("HTTP/1.1 411 "), chunked);
    String unknown = exchangeUntilClosed("GET /nothing HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(unknown.startsWith("HTTP/1.1 404 "), unknown);
    stillServes();
  }

  @Test
  void aRequestThatStallsIsDroppedAndOthersAreServedMeanwhile() throws IOException {
    try (Socket stalled = connect()) {
      stalled.getOutputStream().write("POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nonly5"
          .getBytes(StandardCharsets.ISO_8859_1));
      stillServes(); // while the stalled request waits for its last five bytes
      long start = System.nanoTime();
      byte[] rest = readAll(stalled.getInputStream()); // ends when the loop drops the connection
      assertEquals(0, rest.length, "a request cut off gets no answer");
      assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "dropped at the request timeout");
    }
    stillServes();
  }

  @Test
  void linksCarryMessagesBothWaysAndCutOffABadPeer() throws Exception {
    BlockingQueue<String> events = new ArrayBlockingQueue<>(16);
    loop.upgrade("/link", r -> r.header("x-token").filter("good"::equals).isPresent()
        ? new UpgradeService.Accept(Map.of("Upgrade", "hadb-test"), new LinkHandler() {
            @Override
            public void opened(Link link) {
              events.add("opened");
            }

            @Override
            public void received(Link link, byte[] message) {
              link.send(("echo:" + new String(message, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8));
            }

            @Override
            public void closed(Link link, String why) {
              events.add("closed: " + why);
            }
          }, TimeUnit.MILLISECONDS.toNanos(600))
        : new UpgradeService.Refuse(HttpResponse.text(401, "unauthorized")));

    String refused = exchangeUntilClosed(("GET /link HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: hadb-test\r\n"
        + "X-Token: bad\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
    assertTrue(refused.startsWith("HTTP/1.1 401 "), refused);

    try (Socket s = connect()) {
      OutputStream out = s.getOutputStream();
      out.write(("GET /link HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: hadb-test\r\nX-Token: good\r\n\r\n")
          .getBytes(StandardCharsets.ISO_8859_1));
      out.write(frame("ping"));
      out.flush();
      InputStream in = s.getInputStream();
      String head = readHead(in);
      assertTrue(head.startsWith("HTTP/1.1 101 "), head);
      assertEquals("opened", events.poll(5, TimeUnit.SECONDS));
      assertArrayEquals("echo:ping".getBytes(StandardCharsets.UTF_8), readFrame(in));
      // A frame over the limit (4096) cuts the link off; the handler is told why.
      out.write(new byte[] {0, 1, 0, 0});
      out.flush();
      String closed = events.poll(5, TimeUnit.SECONDS);
      assertTrue(closed != null && closed.contains("bytes (the limit is 4096)"), closed);
    }
    try (Socket quiet = connect()) {
      quiet.getOutputStream().write(("GET /link HTTP/1.1\r\nConnection: Upgrade\r\nUpgrade: hadb-test\r\n"
          + "X-Token: good\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
      assertTrue(readHead(quiet.getInputStream()).startsWith("HTTP/1.1 101 "));
      assertEquals("opened", events.poll(5, TimeUnit.SECONDS));
      stillServes();
      // Nothing sent: the link is closed once it stayed silent for its idle limit (600 ms).
      String closed = events.poll(5, TimeUnit.SECONDS);
      assertTrue(closed != null && closed.startsWith("closed: nothing received for"), closed);
    }
    stillServes();
  }

  private static byte[] frame(String m) {
    byte[] b = m.getBytes(StandardCharsets.UTF_8);
    byte[] f = new byte[4 + b.length];
    java.nio.ByteBuffer.wrap(f).putInt(b.length).put(b);
    return f;
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    int matched = 0;
    byte[] end = {'\r', '\n', '\r', '\n'};
    while (matched < 4 && (c = in.read()) >= 0) {
      b.write(c);
      matched = c == end[matched] ? matched + 1 : (c == '\r' ? 1 : 0);
    }
    return b.toString(StandardCharsets.ISO_8859_1);
  }

  private static byte[] readFrame(InputStream in) throws IOException {
    byte[] len = in.readNBytes(4);
    int n = java.nio.ByteBuffer.wrap(len).getInt();
    return in.readNBytes(n);
  }
}
