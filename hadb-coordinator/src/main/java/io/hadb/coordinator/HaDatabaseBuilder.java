package io.hadb.coordinator;

import io.hadb.api.Durability;
import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import io.hadb.api.LeaseStore;
import io.hadb.api.LeaseStores;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.ChainKey;
import io.hadb.api.engine.Compression;
import io.hadb.api.engine.EngineOptions;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.Engines;
import io.hadb.api.engine.RequestTable;
import io.hadb.api.engine.SnapshotPolicy;
import io.hadb.coordinator.forward.AppliedSeqSource;
import io.hadb.coordinator.forward.CommitSeqSource;
import io.hadb.coordinator.forward.FollowerSession;
import io.hadb.coordinator.forward.ForwardingClient;
import io.hadb.coordinator.forward.ForwardingOptions;
import io.hadb.coordinator.forward.ForwardingSecret;
import io.hadb.coordinator.forward.ForwardingServer;
import io.hadb.coordinator.forward.LeaderEndpoint;
import io.hadb.coordinator.forward.LeaderLocator;
import io.hadb.coordinator.forward.LeaderView;
import io.hadb.coordinator.lease.CoordinatorConfig;
import io.hadb.coordinator.lease.HaMode;
import io.hadb.coordinator.lease.LeaseElector;
import io.hadb.coordinator.lease.LeaseTimings;
import io.hadb.coordinator.lease.MonotonicClock;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import io.hadb.coordinator.role.RoleDriver;
import io.hadb.coordinator.role.SchemaScript;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Options of an {@link HaDatabase} node. Lease and storage URIs come from {@link #lease} /
 * {@link #storage}, else from {@code HADB_LEASE_URL} / {@code HADB_STORAGE_URL}; the forwarding
 * secret from {@link #secret}, else {@code HADB_FORWARD_SECRET}. A missing one fails at open —
 * nothing defaults to an in-memory store. Every check runs in {@link #open} before anything is
 * opened (modes, roles and durability in {@link CoordinatorConfig}).
 */
public final class HaDatabaseBuilder {
  public static final String SECRET_ENV = "HADB_FORWARD_SECRET";

  private String engine = HaDatabase.DEFAULT_ENGINE;
  private String leaseUri;
  private String storageUri;
  private String database;
  private String nodeId;
  private String secret;
  private Durability durability = Durability.SYNC;
  private String forwardHost = "127.0.0.1";
  private int forwardPort;
  private LeaseTimings timings = LeaseTimings.defaults();
  private Set<Role> roles = CoordinatorConfig.CANDIDATE;
  private ReadConsistency readConsistency = ReadConsistency.READ_YOUR_WRITES;
  private Duration readWait = Duration.ofSeconds(5);
  private ForwardingOptions forwarding; // null: covers the takeover of the timings chosen
  private Duration requestRetention = Duration.ofDays(7);
  private Map<String, String> env = System.getenv();
  private EngineOptions engineOptions = EngineOptions.defaults().withSnapshots(SnapshotPolicy.defaults());
  private boolean closeOnShutdown = true;
  private Boolean nodeLease; // null: a node of many uses one, a node of one does not

  HaDatabaseBuilder() {}

  /** The engine's {@link EngineProvider#name()}; {@code sqlite} by default. */
  public HaDatabaseBuilder engine(String name) {
    this.engine = name;
    return this;
  }

  /** Lease store URI, e.g. {@code nats://127.0.0.1:4222?bucket=leases} or {@code file:///var/lib/hadb/leases}. */
  public HaDatabaseBuilder lease(String uri) {
    this.leaseUri = uri;
    return this;
  }

  /** Storage URI of the changeset chain, e.g. {@code s3://bucket/prefix/?region=...} or {@code file:///data/chain}. */
  public HaDatabaseBuilder storage(String uri) {
    this.storageUri = uri;
    return this;
  }

  /** The database name: lease key {@code <name>/lease}, chain under {@code <name>/}. Default: the file name without extension. */
  public HaDatabaseBuilder database(String name) {
    this.database = name;
    return this;
  }

  /** This node's id, unique among the database's nodes. Default: host name, pid and a random suffix. */
  public HaDatabaseBuilder nodeId(String id) {
    this.nodeId = id;
    return this;
  }

  public HaDatabaseBuilder durability(Durability d) {
    this.durability = d;
    return this;
  }

  /** Host the forwarding server binds and advertises (default 127.0.0.1: set a reachable one across machines). */
  public HaDatabaseBuilder forwardAddress(String host) {
    this.forwardHost = host;
    return this;
  }

  /** Port of the forwarding server; 0 (default) picks a free one. */
  public HaDatabaseBuilder forwardPort(int port) {
    this.forwardPort = port;
    return this;
  }

  /** Shared secret of the forwarding endpoint, at least 16 bytes; never logged. */
  public HaDatabaseBuilder secret(String secret) {
    this.secret = secret;
    return this;
  }

  public HaDatabaseBuilder timings(LeaseTimings t) {
    this.timings = t;
    return this;
  }

  /** {@link CoordinatorConfig#CANDIDATE} (default) or {@link CoordinatorConfig#READ_REPLICA}. */
  public HaDatabaseBuilder roles(Set<Role> r) {
    this.roles = r;
    return this;
  }

  /** Consistency of {@link HaDatabase#query(String, Object...)}; READ_YOUR_WRITES by default. */
  public HaDatabaseBuilder readConsistency(ReadConsistency c) {
    this.readConsistency = c;
    return this;
  }

  /** How long a READ_YOUR_WRITES read on a follower waits for its copy (default 5 s). */
  public HaDatabaseBuilder readWait(Duration d) {
    this.readWait = d;
    return this;
  }

  /**
   * How a write waits for a leader: retries under one request id until a leader answers or the
   * deadline passes. Default: {@link ForwardingOptions#coveringTakeover} of the {@link #timings},
   * 15 s at the default ttl, long enough to ride out the replacement of a crashed or frozen leader.
   */
  public HaDatabaseBuilder forwarding(ForwardingOptions o) {
    this.forwarding = HadbException.requireArg(o, "forwarding");
    return this;
  }

  /**
   * How long the leader keeps forwarded request ids (default 7 days): a retry with an id older
   * than this is applied again. Pruned while leading, every tenth of it (at most hourly).
   */
  public HaDatabaseBuilder requestRetention(Duration d) {
    this.requestRetention = d;
    return this;
  }

  /** Compress changeset bodies (zstd); followers read either way. Default: none. */
  public HaDatabaseBuilder compression(Compression c) {
    this.engineOptions = engineOptions.withCompression(HadbException.requireArg(c, "compression"));
    return this;
  }

  /**
   * Encrypt changeset and snapshot bodies with this key (AES-256-GCM); every node of the database
   * needs the same key. Never logged.
   */
  public HaDatabaseBuilder encryptionKey(ChainKey key) {
    this.engineOptions = engineOptions.withEncryptionKey(key);
    return this;
  }

  /**
   * When the leader takes snapshots and which it keeps (default {@link SnapshotPolicy#defaults()}:
   * after 500 changesets, 16 MiB or a day, the counts growing with a database above 64 MiB; the
   * last 4, 7 daily, 4 weekly, 3 monthly).
   * {@link SnapshotPolicy#manual()} takes none and keeps everything: every restart replays the
   * whole history.
   */
  public HaDatabaseBuilder snapshots(SnapshotPolicy policy) {
    this.engineOptions = engineOptions.withSnapshots(HadbException.requireArg(policy, "snapshots"));
    return this;
  }

  /** An engine-specific setting (the engine's README lists them); an unknown one fails at open. */
  public HaDatabaseBuilder engineSetting(String name, String value) {
    this.engineOptions = engineOptions.withSetting(name, value);
    return this;
  }

  /**
   * Whether the node's databases hold their leases through one node lease (DESIGN §9.1): the node
   * renews one register for all of them, and a follower database reads its record only when its
   * holder's session is not live, or for a safety check every minute. Default: on for
   * {@link #openNode()}, off for {@link #open(Path, String)} (a lease register per database,
   * DESIGN §6.1). Every node of a database must use the same.
   */
  public HaDatabaseBuilder nodeLease(boolean use) {
    this.nodeLease = use;
    return this;
  }

  /**
   * Whether the JVM's shutdown (SIGTERM, Ctrl-C, an IDE's stop, the end of {@code main}) closes
   * the database if the application has not: the graceful hand-off, so a follower takes over at
   * once rather than after the ttl. Default true; turn it off to order the close yourself.
   */
  public HaDatabaseBuilder closeOnShutdown(boolean close) {
    this.closeOnShutdown = close;
    return this;
  }

  /** The environment the URIs and secret fall back to (default {@link System#getenv()}). */
  public HaDatabaseBuilder environment(Map<String, String> env) {
    this.env = Map.copyOf(env);
    return this;
  }

  /**
   * What a node and its databases are opened with, validated; immutable, so a node opens every
   * database with the settings it was opened with.
   */
  record Settings(String engine, EngineProvider provider, EngineOptions engineOptions, String leaseAt,
      String storageAt, String nodeId, ForwardingSecret secret, Durability durability, String forwardHost,
      int forwardPort, LeaseTimings timings, HaMode mode, Set<Role> roles, ReadConsistency readConsistency,
      java.time.Duration readWait, ForwardingOptions waits, java.time.Duration requestRetention,
      boolean closeOnShutdown, int workerThreads, int handlerThreads, boolean nodeLease) {}

  /** Threads of a node's shared pool that run lease steps, pulls and role changes (DESIGN §9). */
  static final int WORKER_THREADS = 8;
  /** Threads of a node's port that answer forwarded requests (each may wait on a commit). */
  static final int HANDLER_THREADS = 8;

  /** Every node-level option checked, then resolved (URIs, secret, engine), in the order open always checked them. */
  private Settings validated(boolean many) {
    checkDurability(durability);
    HadbException.requireArg(readConsistency, "readConsistency");
    HadbException.requireArg(readWait, "readWait");
    ForwardingOptions waits = forwarding != null ? forwarding : ForwardingOptions.coveringTakeover(timings);
    HadbException.requireArg(requestRetention, "requestRetention");
    if (requestRetention.compareTo(Duration.ofMillis(100)) < 0) {
      throw HadbException.invalidArgument("requestRetention must be at least 100 ms, was " + requestRetention);
    }
    HadbException.requireArg(forwardHost, "forwardAddress");
    if (forwardPort < 0 || forwardPort > 65535) {
      throw HadbException.invalidArgument("forwardPort must be 0-65535, was " + forwardPort);
    }
    String node = nodeId != null ? nodeId : defaultNodeId();
    return settingsFor(database != null ? database : "node", node, waits, nodeLease != null ? nodeLease : many);
  }

  private Settings settingsFor(String db, String node, ForwardingOptions waits, boolean useNodeLease) {
    CoordinatorConfig checked = new CoordinatorConfig(db, node, "", HaMode.SINGLE_WRITER, roles, timings);
    ForwardingSecret fs = ForwardingSecret.of(resolve(secret, SECRET_ENV, "secret(...)"));
    String leaseAt = resolve(leaseUri, LeaseStores.ENV, "lease(uri)");
    String storageAt = resolve(storageUri, StorageBackends.ENV, "storage(uri)");
    EngineProvider provider = Engines.find(engine);
    return new Settings(engine, provider, engineOptions.withDurability(durability), leaseAt, storageAt, node, fs,
        durability, forwardHost, forwardPort, timings, checked.mode(), checked.roles(), readConsistency, readWait,
        waits, requestRetention, closeOnShutdown, WORKER_THREADS, HANDLER_THREADS, useNodeLease);
  }

  /**
   * Opens a node that hosts many databases (DESIGN §9): validates every option but
   * {@code database}, opens the stores, binds the port and starts the node's threads; then
   * {@link HaNode#open(String, Path, String)} opens each database with this builder's settings.
   */
  public HaNode openNode() {
    return HaNode.start(validated(true), closeOnShutdown);
  }

  /**
   * Opens the database as a node of one: validates every option, opens the stores and the engine,
   * catches the local file up with the chain, starts the forwarding server and the election.
   * Returns as a follower; the first node (or the one that wins the lease) becomes leader shortly
   * after, runs {@code schemaSql} once for the database (see {@link HaDatabase}) and accepts
   * writes. Closing the database closes its node.
   */
  public HaDatabase open(Path path, String schemaSql) {
    HadbException.requireArg(path, "path");
    SchemaScript schema = new SchemaScript(schemaSql);
    String db = database != null ? database : defaultDatabase(path);
    Keys.validate(db + "/lease");
    Settings s = validated(false);
    HaNode node = HaNode.start(s, false);
    try {
      return node.open(db, path, schema, node::close);
    } catch (RuntimeException e) {
      try {
        node.close();
      } catch (RuntimeException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
  }

  /**
   * Durabilities the facade cannot honour fail at open, before anything is opened (engines check
   * their own options).
   */
  private static void checkDurability(Durability durability) {
    HadbException.requireArg(durability, "durability");
    if (durability == Durability.SNAPSHOT_ONLY) {
      throw HadbException.unsupported("durability SNAPSHOT_ONLY is not available through HaDatabase"
          + " (followers replicate the changeset chain); use " + Durability.SYNC + " or " + Durability.ASYNC);
    }
  }

  static boolean hasData(Path path) {
    try {
      return Files.isRegularFile(path) && Files.size(path) > 0;
    } catch (IOException e) {
      return false; // the engine reports an unreadable file when it opens it
    }
  }

  /**
   * Whether storage holds nothing of database {@code db}: no object under its prefix but the
   * lease register, which a lease store built on the same storage keeps there.
   */
  static boolean holdsNothingFor(StorageBackend storage, String db) {
    return storage.list(db + "/", Optional.empty(), 2).keys().stream().allMatch(k -> k.equals(db + "/lease"));
  }

  private String resolve(String explicit, String envName, String builderCall) {
    return resolve(explicit, env, envName, builderCall, " (HaDatabase.local(path, schemaSql) runs without HA for development)");
  }

  /**
   * {@code explicit} when given, else the environment variable {@code envName}; neither ⇒
   * INVALID_ARGUMENT naming the builder call and the variable, then {@code advice}.
   */
  static String resolve(String explicit, Map<String, String> env, String envName, String builderCall, String advice) {
    if (explicit != null) {
      return explicit;
    }
    String v = env.get(envName);
    if (v == null || v.isBlank()) {
      throw HadbException.invalidArgument("no " + builderCall.substring(0, builderCall.indexOf('('))
          + " given: call " + builderCall + " or set " + envName + advice);
    }
    return v;
  }

  static String defaultDatabase(Path path) {
    String f = path.getFileName().toString();
    int dot = f.lastIndexOf('.');
    return dot > 0 ? f.substring(0, dot) : f;
  }

  private static String defaultNodeId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "node";
    }
    return host + "-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
