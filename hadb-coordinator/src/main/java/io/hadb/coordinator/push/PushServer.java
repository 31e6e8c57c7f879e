package io.hadb.coordinator.push;

import io.hadb.api.BodySource;
import io.hadb.api.engine.DurableListener;
import io.hadb.coordinator.forward.ForwardingSecret;
import io.hadb.coordinator.net.HttpRequest;
import io.hadb.coordinator.net.HttpResponse;
import io.hadb.coordinator.net.Link;
import io.hadb.coordinator.net.LinkHandler;
import io.hadb.coordinator.net.UpgradeService;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * The leader's side of push (DESIGN §9.2), for every database of a node, on the node's port at
 * {@link #PATH}: a follower node opens one authenticated link and subscribes to the databases it
 * follows here; each changeset of a database this node leads goes to its subscribers once it is
 * durable in storage (the engine's {@link DurableListener}), never before. A subscription to a
 * database this node does not host or does not lead is refused; when it stops leading one, its
 * subscribers are told the subscription ended. Bad input costs the peer its link only.
 */
public final class PushServer implements UpgradeService {
  public static final String PATH = "/hadb/v1/push";
  private static final System.Logger LOG = System.getLogger(PushServer.class.getName());

  private final PushAuth auth;
  private final int maxMessageBytes;
  private final long idleNanos;
  private final Map<String, Source> sources = new ConcurrentHashMap<>();
  private final Set<Link> links = ConcurrentHashMap.newKeySet();
  private volatile String suspended; // why no link is served now, or null

  /**
   * @param maxMessageBytes the port's largest link message: a larger changeset is announced, not sent
   * @param idleNanos a link that hears nothing (not even a heartbeat) for this long is closed
   */
  public PushServer(ForwardingSecret secret, int maxMessageBytes, long idleNanos) {
    this.auth = new PushAuth(secret);
    this.maxMessageBytes = maxMessageBytes;
    this.idleNanos = idleNanos;
  }

  /** One database's subscribers; its monitor orders a subscription against the end of a term. */
  private static final class Source {
    final BooleanSupplier leading;
    final Set<Link> subscribers = ConcurrentHashMap.newKeySet();

    Source(BooleanSupplier leading) {
      this.leading = leading;
    }
  }

  /**
   * Serves {@code db} from now on; {@code leading} says whether this node leads it (a subscription
   * is accepted only then). Returns the listener to hand the database's replicator.
   */
  public DurableListener add(String db, BooleanSupplier leading) {
    sources.put(db, new Source(leading));
    return (seq, key, body) -> durable(db, seq, key, body);
  }

  /** {@code db} is no longer served (closed on this node): its subscribers are told. */
  public void remove(String db) {
    ended(db);
    sources.remove(db);
  }

  /**
   * This node stopped leading {@code db}: every subscription to it ends (the followers read
   * storage until they subscribe to the next leader). Call after {@code leading} turned false.
   */
  public void ended(String db) {
    Source s = sources.get(db);
    if (s == null) {
      return;
    }
    byte[] m = PushWire.ended(db);
    synchronized (s) {
      s.subscribers.forEach(l -> l.send(m));
      s.subscribers.clear();
    }
  }

  /** Sends a heartbeat on every link (the node's timer calls it once per heartbeat interval). */
  public void heartbeat() {
    links.forEach(l -> l.send(PushWire.HEARTBEAT_MESSAGE));
  }

  /** Subscriptions held now, over all databases (diagnostics and tests). */
  public int subscriptions() {
    return sources.values().stream().mapToInt(s -> s.subscribers.size()).sum();
  }

  private void durable(String db, long seq, String key, BodySource body) {
    Source s = sources.get(db);
    if (s == null || s.subscribers.isEmpty()) {
      return;
    }
    byte[] m;
    // Headroom for the message's other fields: a changeset that does not fit is announced.
    if (body.length() > maxMessageBytes - 1024L - key.length() * 3L - db.length() * 3L) {
      m = PushWire.durableNotice(db, seq);
    } else {
      try (InputStream in = body.open()) {
        m = PushWire.changeset(db, seq, key, in.readAllBytes());
      } catch (IOException e) {
        LOG.log(Level.WARNING, "push: cannot read changeset " + seq + " of " + db + " (its subscribers read storage): "
            + e.getMessage());
        m = PushWire.durableNotice(db, seq);
      }
    }
    for (Link l : s.subscribers) {
      l.send(m);
    }
  }

  /**
   * Stops pushing: every open link is closed and new ones are refused with 503 until
   * {@link #resume()}. Followers read storage meanwhile, as when a link breaks; nothing else
   * changes (a push is never what makes a change durable).
   */
  public void suspend(String why) {
    suspended = why;
    links.forEach(l -> l.close(why));
  }

  /** Serves links again after {@link #suspend}. */
  public void resume() {
    suspended = null;
  }

  @Override
  public Decision decide(HttpRequest request) {
    String off = suspended;
    if (off != null) {
      return new Refuse(HttpResponse.text(503, "push is suspended on this node: " + off));
    }
    String why = auth.refusal(request.headers(), System.currentTimeMillis());
    if (why != null) {
      LOG.log(Level.DEBUG, "push: refused a link from " + request.remote() + ": " + why);
      return new Refuse(HttpResponse.text(401, why));
    }
    String nonce = request.header(PushAuth.NONCE_HEADER).orElseThrow();
    return new Accept(Map.of("Upgrade", "hadb-push", PushAuth.AUTH_HEADER, auth.answer(nonce)), new Subscriber(),
        idleNanos);
  }

  /** One follower node's link: its subscriptions, each to one database. */
  private final class Subscriber implements LinkHandler {
    private final Set<String> dbs = ConcurrentHashMap.newKeySet();

    @Override
    public void opened(Link link) {
      links.add(link);
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
      switch (m.type()) {
        case PushWire.HEARTBEAT -> { }
        case PushWire.SUBSCRIBE -> subscribe(link, m.database());
        case PushWire.UNSUBSCRIBE -> {
          Source s = sources.get(m.database());
          if (s != null) {
            s.subscribers.remove(link);
          }
          dbs.remove(m.database());
        }
        default -> link.close("a subscriber sent message type " + m.type() + ", which only a leader sends");
      }
    }

    private void subscribe(Link link, String db) {
      Source s = sources.get(db);
      if (s == null) {
        link.send(PushWire.refused(db, "this node does not host database '" + db + "'"));
        return;
      }
      synchronized (s) {
        if (!s.leading.getAsBoolean()) {
          link.send(PushWire.refused(db, "this node does not lead database '" + db + "' now"));
          return;
        }
        s.subscribers.add(link);
        dbs.add(db);
        link.send(PushWire.accepted(db));
      }
    }

    @Override
    public void closed(Link link, String why) {
      links.remove(link);
      for (String db : dbs) {
        Source s = sources.get(db);
        if (s != null) {
          s.subscribers.remove(link);
        }
      }
    }
  }
}
