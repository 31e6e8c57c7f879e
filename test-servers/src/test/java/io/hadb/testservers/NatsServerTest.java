package io.hadb.testservers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class NatsServerTest {

  /** A NATS server greets every connection with an INFO line; null when none comes in time. */
  static String greeting(int port, int timeoutMillis) throws IOException {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), timeoutMillis);
      s.setSoTimeout(timeoutMillis);
      BufferedReader in = new BufferedReader(
          new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      return in.readLine();
    } catch (SocketTimeoutException e) {
      return null;
    }
  }

  @Test
  void sharedIsOneServerPerJvm() throws IOException {
    NatsServer a = NatsServer.shared();
    assertSame(a, NatsServer.shared());
    assertTrue(greeting(a.port(), 2000).startsWith("INFO "));
    assertThrows(IllegalStateException.class, a::close);
    assertEquals("nats://127.0.0.1:" + a.port() + "?bucket=b", a.leaseUri("b"));
  }

  @Test
  void pauseResumeKillRestartKeepThePortAndDataDir() throws IOException {
    try (NatsServer s = NatsServer.start()) {
      assertNotEquals(NatsServer.shared().port(), s.port());
      int port = s.port();
      long pid = s.process().pid();
      assertTrue(greeting(port, 2000).startsWith("INFO "));
      assertTrue(s.process().dataDir().resolve("jetstream").toFile().isDirectory());

      s.pause();
      // The kernel still accepts the connection, but a stopped server never says hello.
      assertNull(greeting(port, 300));
      s.resume();
      assertTrue(greeting(port, 2000).startsWith("INFO "));

      s.kill();
      assertFalse(s.isRunning());
      assertFalse(ServerProcess.tcpOpen("127.0.0.1", port, Duration.ofMillis(300)));

      s.restart();
      assertTrue(s.isRunning());
      assertEquals(port, s.port());
      assertNotEquals(pid, s.process().pid());
      assertTrue(greeting(port, 2000).startsWith("INFO "));
      assertTrue(s.process().logTail().contains("Server is ready"), s.process().logTail());

      // restart() also works on a paused server.
      s.pause();
      s.restart();
      assertTrue(greeting(port, 2000).startsWith("INFO "));
    }
  }
}
