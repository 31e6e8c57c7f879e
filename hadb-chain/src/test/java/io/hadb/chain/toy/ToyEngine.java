package io.hadb.chain.toy;

import io.hadb.api.HadbException;
import io.hadb.api.StorageBackend;
import io.hadb.chain.Applier;
import io.hadb.chain.Capture;
import io.hadb.chain.Captured;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.ChainOptions;
import io.hadb.chain.ChainReplicator;
import io.hadb.chain.Checkpointer;
import io.hadb.chain.EngineFile;
import io.hadb.chain.FileFormat;
import io.hadb.chain.LeaderFile;
import io.hadb.chain.PageImages;
import io.hadb.chain.PrivateFile;
import io.hadb.chain.Shipping;
import io.hadb.chain.WriteListener;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * A second engine, as small as the seam allows: a file of 512-byte pages whose "statements" set
 * pages to a byte. It writes exactly what an engine must (DESIGN §3.3): a capture (the pages
 * each commit wrote, read under the write lock), an applier (pages written while readers are
 * locked out), a stamp (a change counter in page 1) and a file format for private files; every
 * chain behaviour these tests see comes from hadb-chain.
 */
public final class ToyEngine implements EngineFile, AutoCloseable {
  private final ToyFile file;
  private final ReentrantLock writeLock = new ReentrantLock();
  private final Condition released = writeLock.newCondition();
  private final ReentrantReadWriteLock readers = new ReentrantReadWriteLock();
  private final ChainReplicator replicator;
  // guarded by writeLock
  private Leader leader;
  private HadbException refused;
  private boolean held; // a snapshot copies the file

  public ToyEngine(Path path, StorageBackend storage, String prefix, ChainOptions options) {
    this.file = new ToyFile(path);
    this.replicator = new ChainReplicator(this, FORMAT, storage, ChainKeys.of(prefix), options);
  }

  public ChainReplicator replicator() {
    return replicator;
  }

  /** One commit: each page set to its byte (the database grows to the highest page). */
  public void commit(Map<Long, Integer> pages) {
    WriteListener l;
    long token;
    writeLock.lock();
    try {
      while (held) {
        released.awaitUninterruptibly();
      }
      if (refused != null) {
        throw new HadbException(refused.code(), "writes are refused: " + refused.getMessage(), refused);
      }
      if (leader == null) {
        throw HadbException.notLeader(file.path() + " is not writable on this node", null);
      }
      for (Map.Entry<Long, Integer> e : pages.entrySet()) {
        byte[] page = new byte[ToyFile.PAGE];
        java.util.Arrays.fill(page, e.getValue().byteValue());
        file.write(e.getKey(), page);
        leader.pending.add(e.getKey());
      }
      file.bumpStamp();
      leader.pending.add(1L);
      leader.commits++;
      l = leader.listener;
      token = l.afterWrite();
    } finally {
      writeLock.unlock();
    }
    l.afterUnlock(token);
  }

  /** Every page's byte (page 2 on), read while no apply runs. */
  public Map<Long, Integer> content() {
    readers.readLock().lock();
    try {
      Map<Long, Integer> out = new TreeMap<>();
      for (long p = 2; p <= file.pages(); p++) {
        out.put(p, (int) file.read(p)[0]);
      }
      return out;
    } finally {
      readers.readLock().unlock();
    }
  }

  /** Moves the stamp as a write outside the library would. */
  public void writeOutside() {
    file.bumpStamp();
  }

  // ---- EngineFile ----

  @Override
  public Path path() {
    return file.path();
  }

  @Override
  public Lock writeLock() {
    return writeLock;
  }

  @Override
  public long size() {
    return file.size();
  }

  @Override
  public int stamp() {
    return file.stamp();
  }

  /** Readers are locked out for the whole batch: none sees part of it. */
  @Override
  public Applier applier() {
    return images -> {
      readers.writeLock().lock();
      try {
        file.writeAll(images);
      } finally {
        readers.writeLock().unlock();
      }
      file.force();
    };
  }

  @Override
  public PageImages pages() {
    return file.all();
  }

  @Override
  public void replaceWith(PageImages pages) {
    applier().apply(pages);
  }

  @Override
  public LeaderFile lead() {
    writeLock.lock();
    try {
      leader = new Leader();
      refused = null;
      return leader;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void close() {
    replicator.close();
    file.close();
  }

  /** The toy leading: what commits wrote since the last capture. */
  private final class Leader implements LeaderFile, Capture, Checkpointer {
    final TreeSet<Long> pending = new TreeSet<>();
    int commits;
    WriteListener listener = WriteListener.NONE;

    @Override
    public Capture capture() {
      return this;
    }

    @Override
    public Checkpointer checkpointer() {
      return this;
    }

    @Override
    public PageImages wholeFileLocked() {
      pending.clear();
      commits = 0;
      return file.all();
    }

    @Override
    public void listen(WriteListener l) {
      listener = l;
    }

    @Override
    public void refuseWrites(HadbException why) {
      refused = why;
    }

    @Override
    public boolean resign() {
      leader = null;
      return true;
    }

    @Override
    public Captured read() {
      writeLock.lock();
      try {
        if (commits == 0) {
          return Captured.NONE;
        }
        TreeMap<Long, byte[]> images = new TreeMap<>();
        for (long p : pending) {
          images.put(p, file.read(p));
        }
        Captured c = new Captured(ToyFile.images(images, file.pages()), commits);
        pending.clear();
        commits = 0;
        return c;
      } finally {
        writeLock.unlock();
      }
    }

    @Override
    public long unread() {
      return commits;
    }

    @Override
    public void afterShip(Shipping shipping) {
      // commits write the file itself: nothing to fold in
    }

    @Override
    public Shipping.Pending holdForSnapshot(Shipping shipping) {
      writeLock.lock();
      try {
        Shipping.Pending p = shipping.ships() ? shipping.captureLocked() : Shipping.Pending.NONE;
        if (p == null) {
          throw HadbException.notLeader("publishing stopped before the snapshot point", null);
        }
        held = true;
        return p;
      } finally {
        writeLock.unlock();
      }
    }

    @Override
    public void release() {
      writeLock.lock();
      try {
        held = false;
        released.signalAll();
      } finally {
        writeLock.unlock();
      }
    }

    @Override
    public void close() {
      // the capture holds nothing open
    }
  }

  /** Private toy files: pages written straight in; a restored file must start with the magic. */
  public static final FileFormat FORMAT = new FileFormat() {
    @Override
    public PrivateFile create(Path path) {
      ToyFile f = new ToyFile(path);
      return new PrivateFile() {
        @Override
        public long size() {
          return f.size();
        }

        @Override
        public int stamp() {
          return f.stamp();
        }

        @Override
        public Applier applier() {
          return f.raw();
        }

        @Override
        public PageImages pages() {
          return f.all();
        }

        @Override
        public void force() {
          f.force();
        }

        @Override
        public void close() {
          f.close();
        }
      };
    }

    @Override
    public void check(Path path) {
      try (ToyFile f = new ToyFile(path)) {
        if (!f.valid()) {
          throw HadbException.corrupt("the restored toy database " + path + " has no valid page 1");
        }
      }
    }

    @Override
    public List<Path> companions(Path path) {
      return List.of();
    }
  };
}
