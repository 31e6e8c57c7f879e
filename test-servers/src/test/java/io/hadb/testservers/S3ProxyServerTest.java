package io.hadb.testservers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class S3ProxyServerTest {

  /** Status and body of one S3 request signed with AWS signature v2 (JDK only, no SDK here). */
  record Answer(int status, String body) {}

  static Answer request(S3ProxyServer s, String method, String path, String body, int timeoutMillis)
      throws Exception {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
        .format(ZonedDateTime.now(ZoneOffset.UTC));
    String contentType = body == null ? "" : "application/octet-stream";
    String toSign = method + "\n\n" + contentType + "\n" + date + "\n" + path;
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(s.secretKey().getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    String signature = Base64.getEncoder().encodeToString(
        mac.doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    HttpURLConnection c =
        (HttpURLConnection) new URI(s.endpoint() + path).toURL().openConnection();
    c.setRequestMethod(method);
    c.setConnectTimeout(timeoutMillis);
    c.setReadTimeout(timeoutMillis);
    c.setRequestProperty("Date", date);
    c.setRequestProperty("Authorization", "AWS " + s.accessKey() + ":" + signature);
    if (body != null) {
      c.setDoOutput(true);
      c.setRequestProperty("Content-Type", contentType);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body.getBytes(StandardCharsets.UTF_8));
      }
    }
    try {
      int status = c.getResponseCode();
      InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
      String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return new Answer(status, text);
    } finally {
      c.disconnect();
    }
  }

  @Test
  void sharedIsOneServerPerJvmAndChecksSignatures() throws Exception {
    S3ProxyServer s = S3ProxyServer.shared();
    assertSame(s, S3ProxyServer.shared());
    assertThrows(IllegalStateException.class, s::close);
    s.createBucket("fixture-bucket");
    assertEquals(200, request(s, "PUT", "/fixture-bucket/k1", "hello", 5000).status());
    assertEquals(new Answer(200, "hello"), request(s, "GET", "/fixture-bucket/k1", null, 5000));

    HttpURLConnection anonymous = (HttpURLConnection)
        new URI(s.endpoint() + "/fixture-bucket/k1").toURL().openConnection();
    assertEquals(403, anonymous.getResponseCode());
    anonymous.disconnect();
  }

  @Test
  void uriNamesTheBucketEndpointAndTestCredentials() {
    S3ProxyServer s = S3ProxyServer.shared();
    String uri = s.uri("uri-bucket", "some/prefix", "apiCallTimeout=2s");
    assertTrue(uri.startsWith("s3://uri-bucket/some/prefix?endpoint=" + s.endpoint() + "&"), uri);
    assertTrue(uri.contains("&pathStyle=true&"), uri);
    assertTrue(uri.endsWith("&apiCallTimeout=2s"), uri);
    assertTrue(s.blobDir().resolve("uri-bucket").toFile().isDirectory());
    assertFalse(s.uri("uri-bucket", "").contains("uri-bucket/"));
    assertThrows(IllegalArgumentException.class, () -> s.createBucket("No_Such/Name"));
  }

  @Test
  void killPauseResumeRestartKeepThePortAndTheData() throws Exception {
    try (S3ProxyServer s = S3ProxyServer.start()) {
      assertNotEquals(S3ProxyServer.shared().port(), s.port());
      s.createBucket("fault-bucket");
      assertEquals(200, request(s, "PUT", "/fault-bucket/kept", "v1", 5000).status());

      s.pause();
      assertThrows(SocketTimeoutException.class,
          () -> request(s, "GET", "/fault-bucket/kept", null, 300));
      s.resume();
      assertEquals(new Answer(200, "v1"), request(s, "GET", "/fault-bucket/kept", null, 5000));

      int port = s.port();
      long pid = s.process().pid();
      s.kill();
      assertFalse(s.isRunning());
      assertThrows(IOException.class, () -> request(s, "GET", "/fault-bucket/kept", null, 1000));

      s.restart();
      assertTrue(s.isRunning());
      assertEquals(port, s.port());
      assertNotEquals(pid, s.process().pid());
      assertEquals(new Answer(200, "v1"), request(s, "GET", "/fault-bucket/kept", null, 5000));

      // A paused server can be restarted too (SIGKILL ends a stopped process).
      s.pause();
      s.restart();
      assertEquals(new Answer(200, "v1"), request(s, "GET", "/fault-bucket/kept", null, 5000));
      assertTrue(s.logFile().toFile().length() > 0, "S3Proxy's output goes to " + s.logFile());
    }
  }

  @Test
  void aMissingJarIsAnErrorSayingWhatToDo() {
    String old = System.getProperty(S3ProxyServer.JAR_PROPERTY);
    System.setProperty(S3ProxyServer.JAR_PROPERTY, "/nonexistent/s3proxy.jar");
    try {
      IllegalStateException e = assertThrows(IllegalStateException.class, S3ProxyServer::locateJar);
      assertTrue(e.getMessage().contains("/nonexistent/s3proxy.jar"), e.getMessage());
    } finally {
      if (old == null) {
        System.clearProperty(S3ProxyServer.JAR_PROPERTY);
      } else {
        System.setProperty(S3ProxyServer.JAR_PROPERTY, old);
      }
    }
  }
}
