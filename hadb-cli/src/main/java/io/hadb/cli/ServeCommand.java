package io.hadb.cli;

import io.hadb.api.Durability;
import io.hadb.api.engine.ChainKey;
import io.hadb.api.engine.Compression;
import io.hadb.api.engine.RetentionPolicy;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.cli.http.ApiLimits;
import io.hadb.cli.http.ApiServer;
import io.hadb.cli.http.ServedDatabase;
import io.hadb.coordinator.HaDatabase;
import io.hadb.coordinator.lease.LeaseTimings;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hadb serve}: one HA node for one or more databases, with the HTTP API of DESIGN §11.
 * Runs until SIGTERM or Ctrl-C, then hands leadership over (each database ships what is
 * committed and releases its lease, so a follower takes over at once).
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    description = {"Runs an HA node for one or more databases with an HTTP JSON API (rqlite's shapes) and a status page at /.",
        "Example: hadb serve --database app=/var/lib/hadb/app.db --lease file:///var/lib/hadb/leases "
            + "--storage file:///var/lib/hadb/chain --secret-file /etc/hadb/secret --listen 127.0.0.1:4001"})
public final class ServeCommand implements java.util.concurrent.Callable<Integer> {

  @Option(names = "--database", required = true, split = ",", defaultValue = "${env:HADB_DATABASES}",
      paramLabel = "NAME=FILE",
      description = "A database to serve and its local file; repeat for several (env HADB_DATABASES, comma separated)")
  List<String> databases;

  @Option(names = "--schema", split = ",", defaultValue = "${env:HADB_SCHEMAS}", paramLabel = "NAME=FILE",
      description = "SQL script run once per database by its first leader (env HADB_SCHEMAS, comma separated)")
  List<String> schemas = new ArrayList<>();

  @Option(names = "--lease", required = true, defaultValue = "${env:HADB_LEASE_URL}",
      description = "Lease store URI, e.g. nats://127.0.0.1:4222?bucket=leases or file:///var/lib/hadb/leases (env HADB_LEASE_URL)")
  String lease;

  @Option(names = "--storage", required = true, defaultValue = "${env:HADB_STORAGE_URL}",
      description = "Storage URI of the chains (env HADB_STORAGE_URL)")
  String storage;

  @Option(names = "--engine", defaultValue = "${env:HADB_ENGINE:-sqlite}",
      description = "Engine of the databases: sqlite or duckdb (env HADB_ENGINE; default ${DEFAULT-VALUE})")
  String engine;

  @Option(names = "--listen", defaultValue = "${env:HADB_LISTEN:-127.0.0.1:4001}", paramLabel = "HOST:PORT",
      description = "Address of the HTTP API; port 0 picks a free one (env HADB_LISTEN; default ${DEFAULT-VALUE})")
  String listen;

  @Option(names = "--forward-host", defaultValue = "${env:HADB_FORWARD_HOST:-127.0.0.1}",
      description = "Host the nodes' write-forwarding servers bind and advertise; set a reachable one across machines"
          + " (env HADB_FORWARD_HOST; default ${DEFAULT-VALUE})")
  String forwardHost;

  @Option(names = "--forward-port", defaultValue = "${env:HADB_FORWARD_PORT:-0}",
      description = "First port of the forwarding servers, one per database in order; 0 picks free ones"
          + " (env HADB_FORWARD_PORT; default ${DEFAULT-VALUE})")
  int forwardPort;

  @Option(names = "--secret-file", defaultValue = "${env:HADB_FORWARD_SECRET_FILE}",
      description = "File holding the forwarding secret shared by the nodes, at least 16 bytes"
          + " (env HADB_FORWARD_SECRET_FILE, or the secret itself in HADB_FORWARD_SECRET)")
  Path secretFile;

  @Option(names = "--token-file", defaultValue = "${env:HADB_TOKEN_FILE}",
      description = "File holding the token HTTP clients must send as 'Authorization: Bearer <token>'"
          + " (env HADB_TOKEN_FILE, or the token itself in HADB_TOKEN); none: no auth")
  Path tokenFile;

  @Option(names = "--node-id", defaultValue = "${env:HADB_NODE_ID}",
      description = "This node's id, unique among the nodes (env HADB_NODE_ID; default host, pid and a random suffix)")
  String nodeId;

  @Option(names = "--ttl", defaultValue = "${env:HADB_LEASE_TTL:-5s}",
      description = "Lease ttl, e.g. 5s or 500ms: a crashed leader is replaced after about this (env HADB_LEASE_TTL;"
          + " default ${DEFAULT-VALUE})")
  String ttl;

  @Option(names = "--durability", defaultValue = "${env:HADB_DURABILITY:-SYNC}",
      description = "SYNC (a write returns once durable in storage) or ASYNC (env HADB_DURABILITY; default ${DEFAULT-VALUE})")
  Durability durability;

  @Option(names = "--snapshot-every", defaultValue = "${env:HADB_SNAPSHOT_EVERY:-0}", paramLabel = "N",
      description = "The leader takes a snapshot after N changesets; 0: not by count (env HADB_SNAPSHOT_EVERY;"
          + " default ${DEFAULT-VALUE})")
  long snapshotEvery;

  @Option(names = "--snapshot-interval", defaultValue = "${env:HADB_SNAPSHOT_INTERVAL:-0s}",
      description = "The leader takes a snapshot when this long passed since the last, e.g. 1h; 0s: not by time"
          + " (env HADB_SNAPSHOT_INTERVAL; default ${DEFAULT-VALUE})")
  String snapshotInterval;

  @Option(names = "--retain-last", defaultValue = "${env:HADB_RETAIN_LAST:-0}", paramLabel = "N",
      description = "After each snapshot the leader keeps the newest N snapshots and the changesets after the oldest"
          + " of them; 0: keeps everything (env HADB_RETAIN_LAST; default ${DEFAULT-VALUE})")
  int retainLast;

  @Option(names = "--compression", defaultValue = "${env:HADB_COMPRESSION:-NONE}",
      description = "NONE or ZSTD: how changeset bodies are stored; followers read either (env HADB_COMPRESSION;"
          + " default ${DEFAULT-VALUE})")
  Compression compression;

  @Option(names = "--encryption-key-file", defaultValue = "${env:HADB_ENCRYPTION_KEY_FILE}",
      description = "File holding the hex of a 32-byte key: changesets and snapshots are encrypted with it, the"
          + " same on every node (env HADB_ENCRYPTION_KEY_FILE, or the hex itself in HADB_ENCRYPTION_KEY)")
  Path encryptionKeyFile;

  @Option(names = "--max-body-bytes", defaultValue = "${env:HADB_MAX_BODY_BYTES:-1048576}",
      description = "Largest request body accepted (env HADB_MAX_BODY_BYTES; default ${DEFAULT-VALUE})")
  int maxBodyBytes;

  @Option(names = "--max-statements", defaultValue = "${env:HADB_MAX_STATEMENTS:-1000}",
      description = "Most statements in one request (env HADB_MAX_STATEMENTS; default ${DEFAULT-VALUE})")
  int maxStatements;

  @Option(names = "--http-threads", defaultValue = "${env:HADB_HTTP_THREADS:-16}",
      description = "Requests handled at once (env HADB_HTTP_THREADS; default ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--tls-keystore", defaultValue = "${env:HADB_TLS_KEYSTORE}",
      description = "PKCS#12 file with the server's certificate and key: serve HTTPS (env HADB_TLS_KEYSTORE)")
  Path tlsKeystore;

  @Option(names = "--tls-keystore-password-file", defaultValue = "${env:HADB_TLS_KEYSTORE_PASSWORD_FILE}",
      description = "File holding the keystore's password (env HADB_TLS_KEYSTORE_PASSWORD_FILE)")
  Path tlsPasswordFile;

  @Override
  public Integer call() throws Exception {
    Map<String, Path> files = pairs("--database", databases, Path::of);
    Map<String, Path> schemaFiles = pairs("--schema", schemas, Path::of);
    for (String name : schemaFiles.keySet()) {
      if (!files.containsKey(name)) {
        throw new CommandFailure(ExitCodes.USAGE, "--schema names database '" + name + "', which no --database names");
      }
    }
    Duration leaseTtl = duration("--ttl", ttl);
    SnapshotPolicy snapshots = snapshotPolicy();
    Optional<ChainKey> encryptionKey = secret("--encryption-key-file", encryptionKeyFile, "HADB_ENCRYPTION_KEY")
        .map(ChainKey::ofHex);
    String secret = secret("--secret-file", secretFile, "HADB_FORWARD_SECRET")
        .orElseThrow(() -> new CommandFailure(ExitCodes.USAGE, "no forwarding secret: give --secret-file FILE or set"
            + " HADB_FORWARD_SECRET_FILE or HADB_FORWARD_SECRET (the same secret, at least 16 bytes, on every node)"));
    Optional<String> token = secret("--token-file", tokenFile, "HADB_TOKEN");
    ApiLimits limits;
    try {
      limits = new ApiLimits(maxBodyBytes, maxStatements, threads, token);
    } catch (IllegalArgumentException e) {
      throw new CommandFailure(ExitCodes.USAGE, e.getMessage());
    }
    InetSocketAddress address = hostPort(listen);
    Optional<SSLContext> tls = tls();

    List<ServedDatabase> served = new ArrayList<>();
    ApiServer api = null;
    try {
      int i = 0;
      for (Map.Entry<String, Path> e : files.entrySet()) {
        String schema = schemaFiles.containsKey(e.getKey()) ? read(schemaFiles.get(e.getKey())) : "";
        var b = HaDatabase.builder().engine(engine).lease(lease).storage(storage).database(e.getKey())
            .secret(secret).durability(durability).forwardAddress(forwardHost)
            .forwardPort(forwardPort == 0 ? 0 : forwardPort + i).timings(LeaseTimings.ofTtl(leaseTtl))
            .snapshots(snapshots).compression(compression).closeOnShutdown(false);
        encryptionKey.ifPresent(b::encryptionKey);
        if (nodeId != null) {
          b.nodeId(nodeId);
        }
        served.add(new ServedDatabase(e.getKey(), b.open(e.getValue(), schema)));
        i++;
      }
      String node = nodeId != null ? nodeId : ProcessHandle.current().pid() + "@" + address.getHostString();
      api = ApiServer.start(address, tls, served, limits, node, VersionProvider.version());
    } catch (IOException | RuntimeException e) {
      closeAll(null, served);
      if (e instanceof IOException io) {
        throw new CommandFailure(ExitCodes.USAGE, "cannot listen on " + listen + ": " + io.getMessage());
      }
      throw e;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    ApiServer running = api;
    Thread hook = new Thread(() -> {
      closeAll(running, served);
      stopped.countDown();
    }, "hadb-serve-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    InetSocketAddress bound = api.address();
    System.out.println("hadb serve: listening on " + (tls.isPresent() ? "https" : "http") + "://"
        + bound.getHostString() + ":" + bound.getPort() + " for " + files.keySet() + " ("
        + served.get(0).db().address() + " forwards writes of " + served.get(0).name() + ")");
    System.out.flush();
    stopped.await();
    return ExitCodes.OK;
  }

  private SnapshotPolicy snapshotPolicy() {
    Duration interval = "0s".equals(snapshotInterval) || "0".equals(snapshotInterval) ? Duration.ZERO
        : duration("--snapshot-interval", snapshotInterval);
    if (snapshotEvery < 0 || retainLast < 0) {
      throw new CommandFailure(ExitCodes.USAGE, "--snapshot-every and --retain-last must not be negative");
    }
    return new SnapshotPolicy(snapshotEvery, 0, interval, new RetentionPolicy(retainLast, 0, 0, 0));
  }

  private static void closeAll(ApiServer api, List<ServedDatabase> served) {
    if (api != null) {
      api.close();
    }
    for (ServedDatabase d : served) {
      try {
        d.db().close();
      } catch (RuntimeException e) {
        System.err.println("hadb serve: closing " + d.name() + " failed: " + e.getMessage());
      }
    }
  }

  /** NAME=VALUE items in order; a repeated or malformed one fails naming the option. */
  private static <T> Map<String, T> pairs(String option, List<String> items, java.util.function.Function<String, T> f) {
    Map<String, T> out = new LinkedHashMap<>();
    if (items == null) {
      return out;
    }
    for (String item : items) {
      int eq = item.indexOf('=');
      if (eq <= 0 || eq == item.length() - 1) {
        throw new CommandFailure(ExitCodes.USAGE, option + " takes NAME=FILE, was '" + item + "'");
      }
      if (out.put(item.substring(0, eq), f.apply(item.substring(eq + 1))) != null) {
        throw new CommandFailure(ExitCodes.USAGE, option + " names '" + item.substring(0, eq) + "' twice");
      }
    }
    return out;
  }

  static Duration duration(String option, String text) {
    Duration d = Durations.parse(text).orElse(null);
    if (d == null || d.isNegative() || d.isZero()) {
      throw new CommandFailure(ExitCodes.USAGE, option + " must be a duration such as 5s or 500ms, was '" + text + "'");
    }
    return d;
  }

  /** A secret from its file (trailing newline dropped), else from the environment variable. */
  static Optional<String> secret(String option, Path file, String envName) {
    if (file != null) {
      try {
        String s = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (s.isEmpty()) {
          throw new CommandFailure(ExitCodes.USAGE, option + " " + file + " is empty");
        }
        return Optional.of(s);
      } catch (IOException e) {
        throw new CommandFailure(ExitCodes.USAGE, option + ": cannot read " + file + ": " + e.getMessage());
      }
    }
    String v = System.getenv(envName);
    return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new CommandFailure(ExitCodes.USAGE, "--schema: cannot read " + file + ": " + e.getMessage());
    }
  }

  static InetSocketAddress hostPort(String s) {
    int colon = s.lastIndexOf(':');
    try {
      if (colon > 0) {
        int port = Integer.parseInt(s.substring(colon + 1));
        if (port >= 0 && port <= 65535) {
          return new InetSocketAddress(s.substring(0, colon), port);
        }
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new CommandFailure(ExitCodes.USAGE, "--listen takes HOST:PORT (port 0-65535), was '" + s + "'");
  }

  private Optional<SSLContext> tls() {
    if (tlsKeystore == null) {
      return Optional.empty();
    }
    char[] password = secret("--tls-keystore-password-file", tlsPasswordFile, "HADB_TLS_KEYSTORE_PASSWORD")
        .orElse("").toCharArray();
    try (InputStream in = Files.newInputStream(tlsKeystore)) {
      KeyStore ks = KeyStore.getInstance("PKCS12");
      ks.load(in, password);
      KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      kmf.init(ks, password);
      SSLContext ctx = SSLContext.getInstance("TLS");
      ctx.init(kmf.getKeyManagers(), null, null);
      return Optional.of(ctx);
    } catch (IOException | java.security.GeneralSecurityException e) {
      throw new CommandFailure(ExitCodes.USAGE, "--tls-keystore " + tlsKeystore + " cannot be used: " + e.getMessage()
          + " (a PKCS#12 file and its password are needed)");
    }
  }

}
