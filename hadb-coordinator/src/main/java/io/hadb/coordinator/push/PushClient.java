package io.hadb.coordinator.push;

import io.hadb.api.engine.Replicator;
import io.hadb.coordinator.forward.ForwardingSecret;
import io.hadb.coordinator.lease.Lease;
import io.hadb.coordinator.lease.ObservedLease;
import io.hadb.coordinator.net.Link;
import io.hadb.coordinator.net.LinkHandler;
import io.hadb.coordinator.net.NetLoop;
import io.hadb.coordinator.role.ChangesetFeed;
import io.hadb.coordinator.role.RoleDriver;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The follower's side of push (DESIGN §9.2), for every database of a node: one authenticated
 * link per leader node (opened on the node's own {@link NetLoop}), over which each database
 * subscribes to the node its lease names. A changeset that arrives is offered to the database's
 * replicator (verified there exactly as one read from storage) and applied by its pull loop at
 * once. A database whose subscription is not accepted on an open link is not covered: its pull
 * loop polls storage as without push. A link that breaks is opened again with backoff (0.25 s
 * doubling to 30 s), on the next tick that needs it.
 */
public final class PushClient implements AutoCloseable {
  private static final System.Logger LOG = System.getLogger(PushClient.class.getName());
  static final long MIN_BACKOFF_NANOS = 250_000_000L;
  static final long MAX_BACKOFF_NANOS = 30_000_000_000L;
  /** A refused subscription is asked again after this long (doubling to the maximum). */
  static final long RESUBSCRIBE_NANOS = 1_000_000_000L;

  private enum State { NONE, PENDING, ACTIVE, WAITING }

  private final NetLoop loop;
  private final PushAuth auth;
  private final String nodeId;
  private final long idleNanos;
  private final Map<String, Peer> peers = new HashMap<>(); // guarded by this
  private boolean closed; // guarded by this

  /** @param idleNanos a link that hears nothing (not even a heartbeat) for this long is closed */
  public PushClient(NetLoop loop, ForwardingSecret secret, String nodeId, long idleNanos) {
    this.loop = loop;
    this.auth = new PushAuth(secret);
    this.nodeId = nodeId;
    this.idleNanos = idleNanos;
  }

  /**
   * The feed of database {@code db}: it follows the node {@code lease} names as leader, hands
   * pushed changesets to {@code replicator} and tells {@code driver}. Close it with the database.
   */
  public Feed feed(String db, Lease lease, Replicator replicator, RoleDriver driver) {
    return new Feed(db, lease, replicator, driver);
  }

  /** Sends a heartbeat on every open link (the node's timer, once per heartbeat interval). */
  public synchronized void heartbeat() {
    for (Peer p : peers.values()) {
      if (p.link != null) {
        p.link.send(PushWire.HEARTBEAT_MESSAGE);
      }
    }
  }

  /** Links open now (diagnostics and tests). */
  public synchronized int openLinks() {
    return (int) peers.values().stream().filter(p -> p.link != null).count();
  }

  @Override
  public synchronized void close() {
    closed = true;
    for (Peer p : peers.values()) {
      if (p.link != null) {
        p.link.close("the node closes");
      }
    }
    peers.clear();
  }

  /** One database's subscription. Its fields are guarded by the client's monitor. */
  public final class Feed implements ChangesetFeed, AutoCloseable {
    private final String db;
    private final Lease lease;
    private final Replicator replicator;
    private final RoleDriver driver;
    private Peer peer;
    private State state = State.NONE;
    private long retryAt;
    private long backoff = RESUBSCRIBE_NANOS;

    private Feed(String db, Lease lease, Replicator replicator, RoleDriver driver) {
      this.db = db;
      this.lease = lease;
      this.replicator = replicator;
      this.driver = driver;
    }

    @Override
    public boolean covers() {
      String leader = leaderAddress();
      synchronized (PushClient.this) {
        return !closed && track(this, leader);
      }
    }

    /** The address of the node the lease names as leader, unless that is this node or nobody. */
    private String leaderAddress() {
      Optional<ObservedLease> o = lease.observed();
      if (o.isEmpty() || o.get().record().holder().equals(nodeId)) {
        return null;
      }
      return o.get().record().forwardAddress().orElse(null);
    }

    @Override
    public void close() {
      synchronized (PushClient.this) {
        leave(this);
      }
    }

    /** Handles a message for this database from {@code from}; called on the network thread. */
    private void received(Peer from, PushWire.Message m) {
      State now;
      synchronized (PushClient.this) {
        if (peer != from) {
          return; // moved on to another leader meanwhile
        }
        switch (m.type()) {
          case PushWire.ACCEPTED -> {
            state = State.ACTIVE;
            backoff = RESUBSCRIBE_NANOS;
          }
          case PushWire.REFUSED -> {
            LOG.log(Level.DEBUG, "push: " + from.address + " refused " + db + ": " + m.reason());
            waitThenRetry();
          }
          case PushWire.ENDED -> {
            backoff = RESUBSCRIBE_NANOS;
            waitThenRetry();
          }
          default -> { }
        }
        now = state;
      }
      switch (m.type()) {
        // Anything durable before the subscription held is in storage: read it once.
        case PushWire.ACCEPTED -> driver.readStorageSoon();
        case PushWire.CHANGESET -> {
          if (now == State.ACTIVE || now == State.PENDING) {
            if (replicator.offer(m.seq(), m.key(), m.body())) {
              driver.pushed(m.seq());
            } else {
              driver.readStorageSoon(); // no room for it: storage has it
            }
          }
        }
        case PushWire.DURABLE_NOTICE -> {
          if (now == State.ACTIVE) {
            driver.readStorageSoon();
          }
        }
        default -> { }
      }
    }

    private void waitThenRetry() {
      state = State.WAITING;
      retryAt = System.nanoTime() + backoff;
      backoff = Math.min(MAX_BACKOFF_NANOS, backoff * 2);
    }
  }

  /** Moves {@code f} to {@code leader} if needed and says whether it is covered now. */
  private boolean track(Feed f, String leader) {
    if (f.peer != null && !f.peer.address.equals(leader)) {
      leave(f);
    }
    if (leader == null) {
      return false;
    }
    if (f.peer == null) {
      Peer p = peers.get(leader);
      if (p == null) {
        InetSocketAddress to = socketAddress(leader);
        if (to == null) {
          return false;
        }
        p = new Peer(leader, to);
        peers.put(leader, p);
      }
      f.peer = p;
      f.state = State.NONE;
      p.feeds.put(f.db, f);
    }
    Peer p = f.peer;
    long now = System.nanoTime();
    if (p.link == null) {
      p.connectIfDue(now);
      return false;
    }
    if (f.state == State.NONE || (f.state == State.WAITING && now - f.retryAt >= 0)) {
      f.state = State.PENDING;
      p.link.send(PushWire.subscribe(f.db));
    }
    return f.state == State.ACTIVE;
  }

  private void leave(Feed f) {
    Peer p = f.peer;
    if (p == null) {
      return;
    }
    if (p.link != null && (f.state == State.PENDING || f.state == State.ACTIVE)) {
      p.link.send(PushWire.unsubscribe(f.db));
    }
    p.feeds.remove(f.db, f);
    f.peer = null;
    f.state = State.NONE;
    if (p.feeds.isEmpty()) {
      peers.remove(p.address, p);
      if (p.link != null) {
        p.link.close("no database here follows that node any more");
      }
    }
  }

  private static InetSocketAddress socketAddress(String address) {
    try {
      URI u = URI.create(address);
      return u.getHost() == null || u.getPort() < 0 ? null : new InetSocketAddress(u.getHost(), u.getPort());
    } catch (IllegalArgumentException e) {
      LOG.log(Level.WARNING, "push: the leader's address '" + address + "' is not http://host:port; reading storage");
      return null;
    }
  }

  /** One leader node: its link (null while none is open) and the databases following it. */
  private final class Peer {
    final String address;
    final InetSocketAddress to;
    final Map<String, Feed> feeds = new HashMap<>();
    Link link;
    Connection connecting;
    long nextConnectAt;
    long backoff = MIN_BACKOFF_NANOS;

    Peer(String address, InetSocketAddress to) {
      this.address = address;
      this.to = to;
    }

    void connectIfDue(long now) {
      if (connecting != null || now - nextConnectAt < 0) {
        return;
      }
      Connection c = new Connection(this, PushAuth.newNonce());
      connecting = c;
      loop.connect(to, PushServer.PATH, auth.request(nodeId, System.currentTimeMillis(), c.nonce),
          (status, headers) -> auth.answerHolds(c.nonce, headers.get(PushAuth.AUTH_HEADER.toLowerCase())), c,
          idleNanos);
    }
  }

  /** One attempt at a link to a peer; events of an attempt the peer gave up on are ignored. */
  private final class Connection implements LinkHandler {
    final Peer peer;
    final String nonce;

    Connection(Peer peer, String nonce) {
      this.peer = peer;
      this.nonce = nonce;
    }

    @Override
    public void opened(Link link) {
      synchronized (PushClient.this) {
        if (closed || peer.connecting != this || peers.get(peer.address) != peer) {
          link.close("not needed any more");
          return;
        }
        peer.link = link;
        peer.backoff = MIN_BACKOFF_NANOS;
        for (Feed f : peer.feeds.values()) {
          f.state = State.PENDING;
          link.send(PushWire.subscribe(f.db));
        }
      }
    }

    @Override
    public void received(Link link, byte[] message) {
      PushWire.Message m;
      try {
        m = PushWire.decode(message);
      } catch (IOException e) {
        link.close("not a push message: " + e.getMessage());
        return;
      }
      if (m.type() == PushWire.HEARTBEAT) {
        return;
      }
      if (m.type() == PushWire.SUBSCRIBE || m.type() == PushWire.UNSUBSCRIBE) {
        link.close("a leader sent message type " + m.type() + ", which only a subscriber sends");
        return;
      }
      Feed f;
      synchronized (PushClient.this) {
        f = peer.feeds.get(m.database());
      }
      if (f != null) {
        f.received(peer, m);
      }
    }

    @Override
    public void closed(Link link, String why) {
      synchronized (PushClient.this) {
        if (peer.connecting != this) {
          return;
        }
        peer.connecting = null;
        boolean wasOpen = peer.link != null;
        peer.link = null;
        peer.nextConnectAt = System.nanoTime() + peer.backoff;
        peer.backoff = Math.min(MAX_BACKOFF_NANOS, peer.backoff * 2);
        for (Feed f : peer.feeds.values()) {
          f.state = State.NONE;
        }
        if (wasOpen && !closed) {
          LOG.log(Level.INFO, "push: link to " + peer.address + " closed (" + why + "); its " + peer.feeds.size()
              + " database(s) read storage until it is back");
        }
      }
    }
  }
}
