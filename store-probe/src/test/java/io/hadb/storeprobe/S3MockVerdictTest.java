package io.hadb.storeprobe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hadb.testservers.S3ProxyServer;
import io.hadb.testservers.ServerProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The probe condemns a real S3 server whose put-if-absent is not atomic (Adobe S3Mock 5.2.0, its
 * jar copied from Maven Central by this module's build, run as a child JVM) and passes S3Proxy with
 * {@code filesystemCompat=true} on the same rule: the pair documented in the README. Only S5.1,
 * the put-if-absent race, runs here (it failed in every run on S3Mock, with several winners per
 * round); the README shows whole runs, the lease rules included.
 */
class S3MockVerdictTest {
  private static ServerProcess s3mock;
  private static int port;

  @BeforeAll
  static void startS3Mock() {
    Path jar = Paths.get(System.getProperty("storeprobe.s3mock.jar", "target/s3mock/s3mock.jar"));
    assertTrue(Files.isRegularFile(jar), "no S3Mock jar at " + jar + "; the build copies it there ('mvn verify')");
    port = ServerProcess.freePort();
    Path dir = ServerProcess.newDataDir("s3mock");
    List<String> command = List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toAbsolutePath().toString(), "--http.port=" + port,
        "--server.port=0", "--com.adobe.testing.s3mock.store.root=" + dir.resolve("store"));
    // A Spring Boot application: it takes tens of seconds to start on a loaded machine.
    s3mock = new ServerProcess("s3mock", command, dir,
        () -> ServerProcess.httpGet("http://127.0.0.1:" + port + "/", Duration.ofSeconds(2)) != null,
        Duration.ofSeconds(180));
    s3mock.start();
  }

  @AfterAll
  static void stopS3Mock() {
    if (s3mock != null) {
      s3mock.close();
    }
  }

  private static String uri(String endpoint, String bucket, String extra) {
    return "s3://" + bucket + "/p?endpoint=" + endpoint + "&region=" + S3ProxyServer.REGION
        + "&pathStyle=true&createBucket=true" + extra;
  }

  @Test
  void aNonAtomicPutIfAbsentFailsTheRacesAndAnAtomicOnePasses() throws Exception {
    String mock = "http://127.0.0.1:" + port;
    Run storage = probe("--rules", "S5.1", "storage", uri(mock, "mock-storage", "&accessKey=x&secretKey=y"));
    assertEquals(1, storage.exit(), storage.out() + storage.err());
    assertTrue(storage.out().contains("racers got true from putIfAbsent on one absent key"), storage.out());

    // The same rule on S3Proxy, whose If-None-Match is atomic, passes (the lease rules on S3Proxy
    // run in full in lease-s3's conformance test).
    S3ProxyServer proxy = S3ProxyServer.shared();
    String atomic = "&accessKey=" + proxy.accessKey() + "&secretKey=" + proxy.secretKey() + "&filesystemCompat=true";
    Run proxyStorage = probe("--rules", "S5.1", "storage", uri(proxy.endpoint(), "proxy-storage", atomic));
    assertEquals(0, proxyStorage.exit(), proxyStorage.out() + proxyStorage.err());
  }

  private record Run(int exit, String out, String err) {}

  private static Run probe(String... args) throws IOException, InterruptedException {
    Path jar = Paths.get(System.getProperty("storeprobe.jar", "target/store-probe.jar"));
    List<String> command = new ArrayList<>(List.of(
        Paths.get(System.getProperty("java.home"), "bin", "java").toString(),
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-jar", jar.toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("store-probe", ".out");
    Path err = Files.createTempFile("store-probe", ".err");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("store-probe did not finish within 300 s: " + command);
      }
      return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
