package io.hadb.testservers;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A real S3Proxy ({@code org.gaul:s3proxy}) on a free loopback port, storing objects in its own
 * data directory with the {@code filesystem} provider and checking AWS v2/v4 signatures with a
 * fixed test identity.
 *
 * <p>S3Proxy runs as a child JVM from its self-contained jar: embedded, its dependencies (Jetty,
 * Jackson, an AWS SDK of its own) would clash with the libraries under test. The jar is found,
 * in order, at {@code -Dhadb.s3proxy.jar=...}, at {@code test-servers/target/s3proxy/s3proxy.jar}
 * (copied there by this module's build) in the working directory or any parent, and in the local
 * Maven repository. A missing jar or {@code java} binary is an error saying what to do; tests that
 * need S3Proxy fail, they never skip (DESIGN §7).
 *
 * <p>{@link #shared()} is one server per JVM, started on first use, for conformance tests (their
 * {@code uri()} is asked for in every test of every contract class). Fault tests take a private instance from
 * {@link #start()} (or one per test class from the {@link PrivateS3Proxy} extension), kill, pause
 * or restart it on the same port and data directory, and close it.
 *
 * <p>Known S3Proxy 4.1.0 behaviour (measured, DESIGN §3.4): {@code If-None-Match: *} is atomic
 * across concurrent writers, {@code If-Match} is not. Its filesystem store also cannot hold an
 * object {@code a} and an object {@code a/b} at once (the second PUT answers 500), unlike S3.
 */
public final class S3ProxyServer implements AutoCloseable {

  /** The S3Proxy version the build copies; keep in step with {@code s3proxy.version}. */
  public static final String VERSION = "4.1.0";

  /** System property naming the S3Proxy jar explicitly. */
  public static final String JAR_PROPERTY = "hadb.s3proxy.jar";

  /** The region S3Proxy answers for; any works with signatures, this one is the SDK default. */
  public static final String REGION = "us-east-1";

  private static final String IDENTITY = "hadb-test-identity";
  private static final String CREDENTIAL = "hadb-test-credential-not-a-secret";
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

  private static final Object SHARED_LOCK = new Object();
  private static S3ProxyServer shared;

  private final int port;
  private final Path blobDir;
  private final ServerProcess process;

  private S3ProxyServer() {
    Path javaExe = javaBinary();
    Path jar = locateJar();
    this.port = ServerProcess.freePort();
    Path dataDir = ServerProcess.newDataDir("s3proxy");
    this.blobDir = dataDir.resolve("blobs");
    Path properties = dataDir.resolve("s3proxy.properties");
    try {
      Files.createDirectories(blobDir);
      Files.writeString(properties, String.join("\n",
          "s3proxy.endpoint=http://127.0.0.1:" + port,
          "s3proxy.authorization=aws-v2-or-v4",
          "s3proxy.identity=" + IDENTITY,
          "s3proxy.credential=" + CREDENTIAL,
          "jclouds.provider=filesystem",
          "jclouds.filesystem.basedir=" + blobDir.toAbsolutePath(),
          ""), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not prepare the S3Proxy directory " + dataDir, e);
    }
    // C1 only: a test server lives seconds to minutes and serves little, so the C2 compiler's
    // CPU (on a 2-core machine, beside the test JVM) costs more than its faster code gains.
    List<String> command = new ArrayList<>(List.of(
        javaExe.toString(),
        "-Xmx384m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-cp", jar.toAbsolutePath() + File.pathSeparator + launcherClassPath(),
        S3ProxyLauncher.class.getName(),
        "--properties", properties.toAbsolutePath().toString()));
    this.process = new ServerProcess("s3proxy", command, dataDir, this::answers,
        ServerProcess.DEFAULT_START_TIMEOUT);
  }

  /** The one server of this JVM, started on first call; killed when the JVM exits. */
  public static S3ProxyServer shared() {
    synchronized (SHARED_LOCK) {
      if (shared == null) {
        S3ProxyServer s = new S3ProxyServer();
        s.process.start();
        shared = s;
      }
      return shared;
    }
  }

  /** A private server for fault tests; the caller closes it. */
  public static S3ProxyServer start() {
    S3ProxyServer s = new S3ProxyServer();
    s.process.start();
    return s;
  }

  /**
   * Ready means an HTTP request gets an S3 answer. Anonymous requests are refused (403) because
   * signatures are checked; any S3 error document proves S3Proxy is serving.
   */
  private boolean answers() throws IOException, URISyntaxException {
    HttpURLConnection c =
        (HttpURLConnection) new java.net.URI(endpoint() + "/").toURL().openConnection();
    c.setConnectTimeout(500);
    c.setReadTimeout(2000);
    try {
      int status = c.getResponseCode();
      return status == 200 || status == 403;
    } finally {
      c.disconnect();
    }
  }

  public int port() {
    return port;
  }

  /** {@code http://127.0.0.1:<port>}. */
  public String endpoint() {
    return "http://127.0.0.1:" + port;
  }

  /** The access key id S3Proxy accepts (a fixed test identity, not a secret of anyone). */
  public String accessKey() {
    return IDENTITY;
  }

  /** The secret key S3Proxy accepts (a fixed test credential, not a secret of anyone). */
  public String secretKey() {
    return CREDENTIAL;
  }

  /** Where S3Proxy keeps its buckets: one directory per bucket, one file per object. */
  public Path blobDir() {
    return blobDir;
  }

  public Path logFile() {
    return process.logFile();
  }

  /**
   * Creates {@code bucket} if it does not exist. With the filesystem provider a bucket is a
   * directory of the store, so this works without credentials and while the server runs.
   */
  public S3ProxyServer createBucket(String bucket) {
    if (!BUCKET_NAME.matcher(bucket).matches()) {
      throw new IllegalArgumentException("not a valid S3 bucket name: '" + bucket + "'");
    }
    try {
      Files.createDirectories(blobDir.resolve(bucket));
    } catch (IOException e) {
      throw new UncheckedIOException("could not create bucket directory for " + bucket, e);
    }
    return this;
  }

  /**
   * The {@code s3:} URI ({@code storage-s3} and {@code lease-s3}) of {@code bucket} under
   * {@code prefix} on this server, creating the bucket; {@code extraParams} such as
   * {@code "apiCallTimeout=2s"} are appended.
   *
   * @param prefix key prefix inside the bucket, may be empty
   */
  public String uri(String bucket, String prefix, String... extraParams) {
    createBucket(bucket);
    StringBuilder b = new StringBuilder("s3://").append(bucket);
    if (!prefix.isEmpty()) {
      b.append('/').append(prefix);
    }
    b.append("?endpoint=").append(endpoint())
        .append("&region=").append(REGION)
        .append("&pathStyle=true")
        .append("&accessKey=").append(IDENTITY)
        .append("&secretKey=").append(CREDENTIAL);
    for (String p : extraParams) {
      if (!p.isEmpty()) {
        b.append('&').append(p);
      }
    }
    return b.toString();
  }

  /** {@code kill -9}. */
  public void kill() {
    process.kill();
  }

  /** SIGSTOP: connections stay open but nothing is answered. */
  public void pause() {
    process.pause();
  }

  /** SIGCONT. */
  public void resume() {
    process.resume();
  }

  /** Kill (if running) and start again on the same port and data directory, then wait ready. */
  public void restart() {
    process.restart();
  }

  public boolean isRunning() {
    return process.isRunning();
  }

  public ServerProcess process() {
    return process;
  }

  /** Stops a private server. Closing {@link #shared()} is refused: other tests still use it. */
  @Override
  public void close() {
    synchronized (SHARED_LOCK) {
      if (this == shared) {
        throw new IllegalStateException("the shared S3Proxy is closed at JVM exit, not by tests");
      }
    }
    process.close();
  }

  @Override
  public String toString() {
    return "S3ProxyServer[" + endpoint() + ", " + process + "]";
  }

  // ---------------------------------------------------------------- locating what to run

  private static Path javaBinary() {
    Path java = Paths.get(System.getProperty("java.home"), "bin", "java");
    if (!Files.isExecutable(java)) {
      throw new IllegalStateException("no java executable at " + java
          + " (from java.home): S3Proxy runs as a child JVM and needs a full JDK or JRE");
    }
    return java;
  }

  /** Where this module's classes are, so the child JVM can run {@link S3ProxyLauncher}. */
  private static String launcherClassPath() {
    try {
      URL location = S3ProxyLauncher.class.getProtectionDomain().getCodeSource().getLocation();
      return Paths.get(location.toURI()).toAbsolutePath().toString();
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("cannot tell where the test-servers classes are loaded from", e);
    }
  }

  static Path locateJar() {
    List<Path> tried = new ArrayList<>();
    String configured = System.getProperty(JAR_PROPERTY);
    if (configured != null && !configured.isBlank()) {
      Path p = Paths.get(configured);
      if (Files.isRegularFile(p)) {
        return p;
      }
      throw new IllegalStateException("-D" + JAR_PROPERTY + "=" + configured + " does not name a file");
    }
    Path dir = Paths.get("").toAbsolutePath();
    while (dir != null) {
      for (Path candidate : List.of(
          dir.resolve("test-servers").resolve("target").resolve("s3proxy").resolve("s3proxy.jar"),
          dir.resolve("target").resolve("s3proxy").resolve("s3proxy.jar"))) {
        tried.add(candidate);
        if (Files.isRegularFile(candidate)) {
          return candidate;
        }
      }
      dir = dir.getParent();
    }
    String repo = System.getProperty("maven.repo.local");
    Path repoDir = repo != null && !repo.isBlank()
        ? Paths.get(repo)
        : Paths.get(System.getProperty("user.home"), ".m2", "repository");
    Path inRepo = repoDir.resolve(Paths.get("org", "gaul", "s3proxy", VERSION,
        "s3proxy-" + VERSION + "-jar-with-dependencies.jar"));
    tried.add(inRepo);
    if (Files.isRegularFile(inRepo)) {
      return inRepo;
    }
    throw new IllegalStateException("the S3Proxy " + VERSION + " jar was not found (looked at "
        + tried.size() + " places, last " + inRepo + "). Build the test-servers module first: "
        + "'mvn -pl test-servers -am install -DskipTests' copies org.gaul:s3proxy:" + VERSION
        + ":jar-with-dependencies to test-servers/target/s3proxy/s3proxy.jar; or pass -D"
        + JAR_PROPERTY + "=/path/to/s3proxy.jar. Tests that need S3Proxy fail rather than skip.");
  }
}
