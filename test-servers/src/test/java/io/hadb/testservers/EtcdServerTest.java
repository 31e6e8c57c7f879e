package io.hadb.testservers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class EtcdServerTest {

  /** etcd's JSON gateway (v3 API over HTTP), so this module needs no etcd client library. */
  static String post(String endpoint, String path, String json) throws IOException {
    HttpURLConnection c = (HttpURLConnection) new URL(endpoint + path).openConnection();
    c.setConnectTimeout(2000);
    c.setReadTimeout(5000);
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    try (OutputStream out = c.getOutputStream()) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    assertEquals(200, c.getResponseCode());
    try (InputStream in = c.getInputStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sharedIsOneServerPerJvm() {
    EtcdServer a = EtcdServer.shared();
    assertSame(a, EtcdServer.shared());
    assertTrue(ServerProcess.httpGet(a.endpoint() + "/health", Duration.ofSeconds(2)).contains("true"));
    assertThrows(IllegalStateException.class, a::close);
    assertEquals("etcd://127.0.0.1:" + a.clientPort() + "?prefix=p/", a.leaseUri("p/"));
  }

  @Test
  void dataSurvivesKillAndRestartOnTheSamePort() throws IOException {
    try (EtcdServer s = EtcdServer.start()) {
      String endpoint = s.endpoint();
      post(endpoint, "/v3/kv/put", "{\"key\":\"" + b64("k") + "\",\"value\":\"" + b64("v1") + "\"}");

      s.pause();
      assertNull(ServerProcess.httpGet(endpoint + "/health", Duration.ofMillis(300)));
      s.resume();
      assertTrue(ServerProcess.httpGet(endpoint + "/health", Duration.ofSeconds(5)).contains("true"));

      s.kill();
      assertFalse(s.isRunning());
      assertFalse(ServerProcess.tcpOpen("127.0.0.1", s.clientPort(), Duration.ofMillis(300)));
      s.restart();
      assertEquals(endpoint, s.endpoint());
      String got = post(endpoint, "/v3/kv/range", "{\"key\":\"" + b64("k") + "\"}");
      assertTrue(got.contains(b64("v1")), got);
    }
  }
}
