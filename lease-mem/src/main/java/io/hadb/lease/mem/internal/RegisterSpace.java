package io.hadb.lease.mem.internal;

import io.hadb.api.CasResult;
import io.hadb.api.Subscription;
import io.hadb.api.Versioned;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One named namespace of registers. Versions come from one counter per namespace that only
 * grows, so a key's version strictly increases across delete and re-create (DESIGN §3.1
 * L-monotonic): the fencing epoch of a re-created lease can never repeat an old one.
 */
public final class RegisterSpace {
  private static final System.Logger LOG = System.getLogger(RegisterSpace.class.getName());
  private static final Map<String, RegisterSpace> SPACES = new ConcurrentHashMap<>();

  private final String name;
  private final Map<String, Versioned> registers = new HashMap<>();
  private final Map<String, List<Runnable>> watchers = new ConcurrentHashMap<>();
  private long counter;
  private ExecutorService notifier;

  private RegisterSpace(String name) {
    this.name = name;
  }

  /** The namespace called {@code name}, created on first use and kept for the life of the JVM. */
  public static RegisterSpace named(String name) {
    return SPACES.computeIfAbsent(name, RegisterSpace::new);
  }

  public synchronized Optional<Versioned> read(String key) {
    return Optional.ofNullable(registers.get(key));
  }

  public CasResult create(String key, byte[] value) {
    CasResult r;
    synchronized (this) {
      if (registers.containsKey(key)) {
        return CasResult.lost();
      }
      r = write(key, value);
    }
    notifyWatchers(key);
    return r;
  }

  public CasResult compareAndSet(String key, long expectedVersion, byte[] value) {
    CasResult r;
    synchronized (this) {
      Versioned current = registers.get(key);
      if (current == null || current.version() != expectedVersion) {
        return CasResult.lost();
      }
      r = write(key, value);
    }
    notifyWatchers(key);
    return r;
  }

  public CasResult delete(String key, long expectedVersion) {
    synchronized (this) {
      Versioned current = registers.get(key);
      if (current == null || current.version() != expectedVersion) {
        return CasResult.lost();
      }
      registers.remove(key);
    }
    notifyWatchers(key);
    return CasResult.won(expectedVersion);
  }

  private CasResult write(String key, byte[] value) {
    long version = ++counter;
    registers.put(key, new Versioned(value, version)); // Versioned copies the caller's array
    return CasResult.won(version);
  }

  public Subscription watch(String key, Runnable onChange) {
    watchers.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(onChange);
    return () -> {
      List<Runnable> list = watchers.get(key);
      if (list != null) {
        list.remove(onChange);
      }
    };
  }

  private void notifyWatchers(String key) {
    List<Runnable> list = watchers.get(key);
    if (list == null || list.isEmpty()) {
      return;
    }
    // Listeners run on one notifier thread, never in the writer's call: a slow or re-entrant
    // listener must not stall or deadlock the write that triggered it.
    ExecutorService ex = notifier();
    for (Runnable r : list) {
      ex.execute(() -> {
        try {
          r.run();
        } catch (RuntimeException e) {
          LOG.log(System.Logger.Level.WARNING, "a watch listener on mem://" + name + " key " + key + " threw", e);
        }
      });
    }
  }

  private synchronized ExecutorService notifier() {
    if (notifier == null) {
      notifier = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "hadb-lease-mem-watch-" + name);
        t.setDaemon(true);
        return t;
      });
    }
    return notifier;
  }
}
