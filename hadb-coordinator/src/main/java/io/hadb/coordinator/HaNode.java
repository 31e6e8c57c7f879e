package io.hadb.coordinator;

import io.hadb.api.HadbException;
import io.hadb.api.Keys;
import io.hadb.api.LeaseStore;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.api.manifest.ManifestStores;
import io.hadb.api.LeaseStores;
import io.hadb.api.StorageBackend;
import io.hadb.api.StorageBackends;
import io.hadb.api.engine.EngineProvider;
import io.hadb.api.engine.RequestTable;
import io.hadb.coordinator.forward.AppliedSeqSource;
import io.hadb.coordinator.forward.CommitSeqSource;
import io.hadb.coordinator.forward.FollowerSession;
import io.hadb.coordinator.forward.ForwardingClient;
import io.hadb.coordinator.forward.ForwardingServer;
import io.hadb.coordinator.forward.LeaderEndpoint;
import io.hadb.coordinator.forward.LeaderLocator;
import io.hadb.coordinator.forward.LeaderView;
import io.hadb.coordinator.lease.CoordinatorConfig;
import io.hadb.coordinator.lease.DatabaseLease;
import io.hadb.coordinator.lease.Lease;
import io.hadb.coordinator.lease.LeaseElector;
import io.hadb.coordinator.lease.MonotonicClock;
import io.hadb.coordinator.lease.NodeLeases;
import io.hadb.coordinator.metrics.CoordinatorMetrics;
import io.hadb.coordinator.push.PushClient;
import io.hadb.coordinator.push.PushServer;
import io.hadb.coordinator.role.RoleDriver;
import io.hadb.coordinator.role.SchemaScript;
import io.hadb.coordinator.threads.SharedThreads;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One process's node (DESIGN §9): opened once with the lease store, storage, secret and port,
 * then {@link #open(String, Path, String)} per database. Every database of the node shares one
 * lease-store client, one storage client, one listening port (forwarding for all of them, routed
 * by database name), one HTTP client for forwarding and one set of threads
 * ({@link SharedThreads}): the thread count and the ports do not grow with the number of
 * databases. {@code HaDatabase.builder().open(path, schema)} is a node of one database that
 * closes with it.
 *
 * <pre>{@code
 * try (HaNode node = HaDatabase.builder().lease(leaseUri).storage(storageUri).secret(secret)
 *     .nodeId("node-1").forwardAddress("10.0.0.5").forwardPort(8095).openNode()) {
 *   HaDatabase orders = node.open("orders", Path.of("/var/lib/app/orders.db"), ordersSchema);
 *   HaDatabase users = node.open("users", Path.of("/var/lib/app/users.db"), usersSchema);
 * }
 * }</pre>
 *
 * {@link #close()} closes every database still open (each its graceful hand-off), then the port,
 * the threads and the stores. Thread-safe.
 */
public final class HaNode implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(HaNode.class.getName());
  /** Push links carry a heartbeat each way this often; one silent for 3 of them (at least the ttl) closes. */
  static final long PUSH_HEARTBEAT_NANOS = 1_000_000_000L;

  private final HaDatabaseBuilder.Settings settings;
  private final LeaseStore leaseStore;
  private final StorageBackend storage;
  private final ForwardingServer server;
  private final SharedThreads threads;
  private final HttpClient http;
  private final NodeLeases nodeLeases; // null: a lease register per database (DESIGN §6.1)
  private final PushServer pushServer;
  private final PushClient pushClient;
  private final ScheduledHeartbeat heartbeat;
  private final Map<String, ReplicatedDatabase> open = new ConcurrentHashMap<>();
  private final Set<String> names = ConcurrentHashMap.newKeySet(); // open or opening
  private final ShutdownClose atShutdown;
  private volatile boolean closed;

  private HaNode(HaDatabaseBuilder.Settings settings, LeaseStore leaseStore, StorageBackend storage,
      ForwardingServer server, SharedThreads threads, NodeLeases nodeLeases, boolean closeOnShutdown) {
    this.settings = settings;
    long idle = Math.max(PUSH_HEARTBEAT_NANOS * 3, settings.timings().ttl().toNanos());
    this.pushServer = new PushServer(settings.secret(), server.loop().maxMessageBytes(), idle);
    this.pushClient = new PushClient(server.loop(), settings.secret(), settings.nodeId(), idle);
    server.loop().upgrade(PushServer.PATH, pushServer);
    this.heartbeat = new ScheduledHeartbeat(threads);
    this.nodeLeases = nodeLeases;
    this.leaseStore = leaseStore;
    this.storage = storage;
    this.server = server;
    this.threads = threads;
    this.http = ForwardingClient.newHttpClient(settings.waits(), null);
    this.atShutdown = closeOnShutdown ? ShutdownClose.register("node " + settings.nodeId(), this) : null;
  }

  /** Opens the node's stores, binds its port and starts its threads; no database yet. */
  static HaNode start(HaDatabaseBuilder.Settings s, boolean closeOnShutdown) {
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      StorageBackend storage = add(opened, StorageBackends.open(s.storageAt()));
      LeaseStore leaseStore = add(opened, LeaseStores.open(s.leaseAt()));
      ForwardingServer server = add(opened, ForwardingServer.bind(new InetSocketAddress(s.forwardHost(),
          s.forwardPort()), s.secret(), s.handlerThreads()));
      SharedThreads threads = add(opened, SharedThreads.create("hadb-node", s.workerThreads()));
      server.start();
      NodeLeases nodeLeases = s.nodeLease() ? add(opened, NodeLeases.start(s.nodeId(), server.address(), leaseStore,
          s.timings(), MonotonicClock.system(), InstantSource.system(), threads)) : null;
      return new HaNode(s, leaseStore, storage, server, threads, nodeLeases, closeOnShutdown);
    } catch (RuntimeException e) {
      closeAll(opened, e);
      throw e;
    }
  }

  private static <T extends AutoCloseable> T add(List<AutoCloseable> opened, T c) {
    opened.add(c);
    return c;
  }

  private static void closeAll(List<AutoCloseable> opened, RuntimeException e) {
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception suppressed) {
        e.addSuppressed(suppressed);
      }
    }
  }

  /**
   * Opens database {@code database} of this node at {@code path}, as {@code HaDatabaseBuilder.open}
   * does for a node of one: returns at once, as a follower; call {@code awaitReady} before the
   * first query. Closing the database leaves the node open.
   */
  public HaDatabase open(String database, Path path, String schemaSql) {
    HadbException.requireArg(database, "database");
    HadbException.requireArg(path, "path");
    SchemaScript schema = new SchemaScript(schemaSql);
    Keys.validate(database + "/lease");
    return open(database, path, schema, null);
  }

  /** Opens a database; {@code afterClose}, if given, runs once it closed (the node of one closes). */
  HaDatabase open(String db, Path path, SchemaScript schema, Runnable afterClose) {
    checkOpen();
    HaDatabaseBuilder.Settings s = settings;
    ReplicatedDatabase[] slot = new ReplicatedDatabase[1];
    if (!names.add(db)) {
      throw HadbException.invalidArgument("database '" + db + "' is open on this node already; close it first");
    }
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      if (HaDatabaseBuilder.hasData(path) && HaDatabaseBuilder.holdsNothingFor(storage, db)) {
        throw HadbException.invalidArgument("the database file " + path + " holds data, but storage " + s.storageAt()
            + " holds no chain for database '" + db + "' (nothing under '" + db + "/'). A node replicates a chain;"
            + " it does not adopt a file into a new one."
            + " If the chain lives elsewhere, check storage(uri) and database(name); to start a replicated"
            + " database, open a missing or empty file (and copy this data in through SQL); to use this file"
            + " without replication, open it with HaDatabase.local");
      }
      // The manifest lives beside the lease, in the same store and client (DESIGN §10).
      ManifestStore manifests = ManifestStores.on(leaseStore);
      EngineProvider.Engine eng = add(opened, s.provider().open(path, storage, db + "/",
          s.engineOptions().withManifests(manifests).withThreads(threads.engineThreads())));
      schema.statements(eng.dialect()); // a malformed script fails here, not on the first leader
      eng.replicator().bootstrap();
      CoordinatorConfig config = new CoordinatorConfig(db, s.nodeId(), server.address(), s.mode(), s.roles(),
          s.timings());
      CoordinatorMetrics metrics = new CoordinatorMetrics();
      RoleDriver driver = new RoleDriver(db + "-" + s.nodeId(), eng.executor(), eng.replicator(), eng.dialect(),
          schema, s.durability(), metrics, threads);
      Lease lease;
      AutoCloseable elected;
      try {
        if (nodeLeases != null) {
          lease = nodeLeases.open(config, metrics, driver);
          elected = () -> nodeLeases.remove(db);
        } else {
          LeaseElector elector = LeaseElector.start(config, leaseStore, MonotonicClock.system(), InstantSource.system(),
              metrics, threads, driver);
          lease = elector.lease();
          elected = elector;
        }
      } catch (RuntimeException e) {
        driver.shutdown();
        throw e;
      }
      // Push (DESIGN §9.2): as leader, changesets go to subscribers once durable; as follower, a
      // feed from the leader's node stands in for polling storage.
      eng.replicator().onDurable(pushServer.add(db, () -> driver.acceptingEpoch() != 0));
      driver.addListener(pushEnds(db));
      PushClient.Feed feed = pushClient.feed(db, lease, eng.replicator(), driver);
      driver.feed(feed, RoleDriver.DEFAULT_SAFETY_READ);
      AutoCloseable leaseRunner = () -> {
        feed.close();
        pushServer.remove(db); // subscribers go to storage before the lease is released
        elected.close();
      };
      add(opened, () -> {
        driver.stop();
        leaseRunner.close();
        driver.shutdown();
      });
      LeaderView view = LeaderView.whenAccepting(lease, driver::acceptingEpoch, driver.commits());
      RequestTable requests = eng.dialect().requestTable();
      server.add(new LeaderEndpoint(db, eng.executor(), requests, view,
          CommitSeqSource.syncing(eng.replicator()), metrics, InstantSource.system()));
      add(opened, () -> server.remove(db));
      driver.start(lease, s.timings().pollInterval());
      driver.pruneRequests(requests, s.requestRetention());
      ForwardingClient client = new ForwardingClient(db, LeaderLocator.fromLease(lease), s.secret(),
          s.waits(), metrics, http);
      FollowerSession session = new FollowerSession(eng.executor(), client, AppliedSeqSource.of(eng.replicator()),
          s.readWait());
      Runnable closedHook = () -> {
        open.remove(db, slot[0]);
        names.remove(db);
        if (afterClose != null) {
          afterClose.run();
        }
      };
      ReplicatedDatabase r = new ReplicatedDatabase(db + "@" + s.nodeId(), s.durability(), s.readConsistency(),
          metrics, Map.of("db", db, "node", s.nodeId()),
          new ReplicatedDatabase.Parts(eng, lease, leaseRunner, driver, view, server, session, requests, schema, db, closedHook),
          afterClose != null && s.closeOnShutdown());
      slot[0] = r;
      open.put(db, r);
      return r;
    } catch (RuntimeException e) {
      names.remove(db);
      closeAll(opened, e);
      throw e;
    }
  }

  /** Ends the push subscriptions of {@code db} when this node stops leading it. */
  private RoleListener pushEnds(String db) {
    return (role, epoch) -> {
      if (role == Role.FOLLOWER) {
        pushServer.ended(db);
      }
    };
  }

  /** Push links open from this node to leaders, and subscriptions held here (diagnostics, tests). */
  String pushState() {
    return "links=" + pushClient.openLinks() + " subscriptions=" + pushServer.subscriptions();
  }

  /**
   * Stops ({@code false}) or restarts pushing to the followers of the databases this node leads
   * (see {@link PushServer#suspend}); tests break the links with it.
   */
  void pushing(boolean on) {
    if (on) {
      pushServer.resume();
    } else {
      pushServer.suspend("pushing stopped on this node");
    }
  }

  /** The push links' heartbeats, both ways, on the node's timer. */
  private final class ScheduledHeartbeat {
    private final SharedThreads threads;
    private volatile boolean stopped;

    ScheduledHeartbeat(SharedThreads threads) {
      this.threads = threads;
      next();
    }

    private void next() {
      if (!stopped) {
        try {
          threads.onTime(this::beat, PUSH_HEARTBEAT_NANOS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
          // the threads closed
        }
      }
    }

    private void beat() {
      try {
        pushServer.heartbeat();
        pushClient.heartbeat();
      } finally {
        next();
      }
    }

    void stop() {
      stopped = true;
    }
  }

  /** The databases open on this node now, by name. */
  public Set<String> databases() {
    return new TreeSet<>(open.keySet());
  }

  /** Database {@code name} if it is open on this node. */
  public Optional<HaDatabase> database(String name) {
    return Optional.ofNullable(open.get(name));
  }

  /** {@code http://host:port} of the node's port, as other nodes reach it. */
  public String address() {
    return server.address();
  }

  public String nodeId() {
    return settings.nodeId();
  }

  private void checkOpen() {
    if (closed) {
      throw HadbException.closed("node " + settings.nodeId());
    }
  }

  /**
   * Closes every database still open (each hands its lease over), then the port, the threads and
   * the stores. Idempotent; also runs at JVM shutdown unless {@code closeOnShutdown(false)}.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (atShutdown != null) {
      atShutdown.unregister();
    }
    for (ReplicatedDatabase db : List.copyOf(open.values())) {
      db.close();
    }
    if (nodeLeases != null) {
      closeQuietly(nodeLeases, "node lease"); // after the databases released their records
    }
    heartbeat.stop();
    closeQuietly(pushClient, "push links");
    closeQuietly(server, "port");
    closeQuietly(threads, "threads");
    closeQuietly(leaseStore, "lease store");
    closeQuietly(storage, "storage");
  }

  private void closeQuietly(AutoCloseable c, String what) {
    try {
      c.close();
    } catch (Exception e) {
      LOG.log(Level.WARNING, "node " + settings.nodeId() + ": closing the " + what + " failed: " + e.getMessage());
    }
  }

  @Override
  public String toString() {
    return "HaNode[" + settings.nodeId() + ", " + open.size() + " databases" + (closed ? ", closed" : "") + "]";
  }
}
