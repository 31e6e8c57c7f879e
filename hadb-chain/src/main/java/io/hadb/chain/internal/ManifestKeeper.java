package io.hadb.chain.internal;

import io.hadb.api.CasResult;
import io.hadb.api.ErrorCode;
import io.hadb.api.HadbException;
import io.hadb.api.ListPage;
import io.hadb.api.StorageBackend;
import io.hadb.api.engine.RetentionPolicy;
import io.hadb.api.manifest.Manifest;
import io.hadb.api.manifest.ManifestStore;
import io.hadb.chain.ChainKeys;
import io.hadb.chain.ChainManifest;
import io.hadb.chain.ChainOptions;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.LongSupplier;

/**
 * Keeps a chain's manifest (DESIGN §10) in its {@link ManifestStore}: the leader claims it at
 * promotion and writes it after each snapshot with its epoch, so a deposed leader's write fails
 * {@code FENCED}; retention and garbage collection run behind it.
 *
 * <p><b>Why deletion never races a reader.</b> An object leaves the manifest first: retention
 * moves what it drops into a retired batch stamped with the time, and only a later collection,
 * at least {@link ChainOptions#gcGrace()} after that, deletes it. A follower or a restore reads
 * the manifest once and then fetches only what that manifest named, so everything it needs
 * stays for the grace period after the read; one that takes longer finds an object gone,
 * reads the manifest again and starts from its newer base (the follower already does: a gap
 * sends it to the base snapshot). The objects of a retired batch are never named again
 * (snapshot and changeset keys are written once, at seqs below the base), so whoever deletes
 * them, even a deposed leader between its last read and its fence, deletes nothing a newer
 * manifest names.
 *
 * <p>Deletion comes before the manifest write that forgets the batch: a crash between the two
 * leaves the batch in the manifest, and the next collection deletes it again (deletes are
 * idempotent), so no object is ever orphaned.
 */
public final class ManifestKeeper {
  private static final System.Logger LOG = System.getLogger(ManifestKeeper.class.getName());
  private static final int MAX_ATTEMPTS = 20;
  /** Retired batches a manifest holds at most; it stays far below the store's document limit. */
  static final int MAX_RETIRED_BATCHES = 32;

  /** A manifest as read, with the register's version and epoch. */
  public record Stored(ChainManifest manifest, long version, long epoch) {}

  private final ManifestStore store;
  private final StorageBackend storage;
  private final ChainKeys keys;
  private final ChainOptions options;
  private final LongSupplier clock;

  public ManifestKeeper(ManifestStore store, StorageBackend storage, ChainKeys keys, ChainOptions options,
      LongSupplier clock) {
    this.store = store;
    this.storage = storage;
    this.keys = keys;
    this.options = options;
    this.clock = clock;
  }

  /** The keeper of {@code keys}' manifest when the options name a manifest store. */
  public static Optional<ManifestKeeper> of(StorageBackend storage, ChainKeys keys, ChainOptions options) {
    return options.manifests().map(m -> new ManifestKeeper(m, storage, keys, options, System::currentTimeMillis));
  }

  public String name() {
    return keys.manifestName();
  }

  /**
   * The stored manifest; empty when there is none. A damaged one fails {@code CORRUPT} naming
   * the register (callers that can fall back to listing catch it, see {@link #readOrWarn}).
   */
  public Optional<Stored> read() {
    Optional<Manifest> m = store.read(name());
    return m.map(x -> new Stored(ChainManifest.decode(name() + " (version " + x.version() + ")", x.document()),
        x.version(), x.epoch()));
  }

  /** {@link #read}, with a damaged or unreachable manifest logged and read as absent (fall back to listing). */
  public Optional<Stored> readOrWarn() {
    try {
      return read();
    } catch (HadbException e) {
      LOG.log(Level.WARNING, "manifest " + name() + " unusable, listing storage instead: " + e.getMessage());
      return Optional.empty();
    }
  }

  /**
   * A new leader writes the manifest again at its epoch before it accepts writes, so that from
   * then on a deposed leader's manifest write fails {@code FENCED} (without this, the old
   * leader could still write until the new one's first snapshot). A missing or damaged
   * manifest is rebuilt from storage here. Throws {@code FENCED} when a later epoch is stored.
   */
  public void claim(long epoch) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Manifest> raw = store.read(name());
      if (raw.isPresent() && raw.get().epoch() > epoch) {
        throw fenced(raw.get().epoch(), epoch);
      }
      if (raw.isPresent() && raw.get().epoch() == epoch) {
        return;
      }
      ChainManifest doc = parsedOrRebuilt(raw);
      CasResult r = store.write(name(), raw.map(Manifest::version).orElse(0L), epoch, doc.encode());
      if (r.isWon()) {
        LOG.log(Level.INFO, "manifest " + name() + " claimed at epoch " + epoch + " (version " + r.version() + ")");
        return;
      }
    }
    throw HadbException.unavailable("manifest " + name() + " kept changing under the claim at epoch " + epoch, null);
  }

  /**
   * After a snapshot is stored: adds it, runs retention (what it drops is retired, not
   * deleted), deletes the retired batches older than the grace period, and writes the manifest
   * at {@code epoch}. Returns what was written. {@code FENCED} when a later leader wrote it;
   * then nothing is deleted.
   */
  public ChainManifest afterSnapshot(long epoch, ChainManifest.Snapshot snapshot) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Manifest> raw = store.read(name());
      if (raw.isPresent() && raw.get().epoch() > epoch) {
        throw fenced(raw.get().epoch(), epoch);
      }
      ChainManifest current = parsedOrRebuilt(raw).with(snapshot);
      long now = clock.getAsLong();
      List<ChainManifest.Retired> due = new ArrayList<>();
      List<ChainManifest.Retired> waiting = new ArrayList<>();
      for (ChainManifest.Retired r : current.retired()) {
        (now - r.atMillis() >= options.gcGrace().toMillis() ? due : waiting).add(r);
      }
      for (ChainManifest.Retired r : due) {
        collect(r);
      }
      ChainManifest next = retain(new ChainManifest(current.snapshots(), current.changesFrom(), waiting), now,
          options.snapshots().retention());
      CasResult r = store.write(name(), raw.map(Manifest::version).orElse(0L), epoch, next.encode());
      if (r.isWon()) {
        return next;
      }
    }
    throw HadbException.unavailable("manifest " + name() + " kept changing under the write at epoch " + epoch, null);
  }

  /** Moves what the policy drops into a new retired batch stamped {@code now}. */
  private ChainManifest retain(ChainManifest m, long now, RetentionPolicy policy) {
    if (policy.keepsAll() || m.snapshots().isEmpty()) {
      return m;
    }
    List<RetentionPlan.Snapshot> plan = m.snapshots().stream()
        .map(s -> new RetentionPlan.Snapshot(s.seq(), s.createdMillis())).toList();
    RetentionPlan p = RetentionPlan.of(plan, policy);
    long changesThrough = p.deleteChangesThrough() >= m.changesFrom() ? p.deleteChangesThrough() : 0;
    if (p.deleteSnapshots().isEmpty() && changesThrough == 0) {
      return m;
    }
    List<ChainManifest.Snapshot> kept = m.snapshots().stream().filter(s -> p.keep().contains(s.seq())).toList();
    List<ChainManifest.Retired> retired = new ArrayList<>(m.retired());
    retired.add(new ChainManifest.Retired(now, p.deleteSnapshots(), changesThrough));
    while (retired.size() > MAX_RETIRED_BATCHES) {
      // Snapshots faster than the grace period would grow the document without end: the two
      // oldest batches become one, stamped with the later time (their objects wait a little
      // longer, never less).
      ChainManifest.Retired a = retired.remove(0);
      ChainManifest.Retired b = retired.remove(0);
      List<Long> seqs = new ArrayList<>(a.snapshotSeqs());
      seqs.addAll(b.snapshotSeqs());
      retired.add(0, new ChainManifest.Retired(Math.max(a.atMillis(), b.atMillis()), seqs,
          Math.max(a.changesThrough(), b.changesThrough())));
    }
    long from = changesThrough == 0 ? m.changesFrom() : changesThrough + 1;
    return new ChainManifest(kept, from, retired);
  }

  /** What {@link #prune} did: the manifest written, the batch it retired (if any), the batches it deleted. */
  public record Pruned(ChainManifest written, Optional<ChainManifest.Retired> retired,
      List<ChainManifest.Retired> collected) {}

  /**
   * An operator's prune while a leader may be running: deletes the retired batches past the grace
   * period, retires what {@code policy} drops (deleted by a later prune or the leader's next
   * snapshot, once the grace period passed), and writes the manifest at the epoch stored in it.
   * The write is a compare-and-set on the version read, so a leader's write in between wins and
   * this reads again; the epoch fence is untouched. NOT_FOUND when no manifest is stored (no
   * leader with a manifest store ever claimed the chain).
   */
  public Pruned prune(RetentionPolicy policy) {
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      Optional<Manifest> raw = store.read(name());
      if (raw.isEmpty()) {
        throw HadbException.notFound("no manifest " + name() + " is stored: no leader with a manifest store has"
            + " claimed the chain under \"" + keys.prefix() + "\"");
      }
      ChainManifest current = parsedOrRebuilt(raw);
      long now = clock.getAsLong();
      List<ChainManifest.Retired> due = new ArrayList<>();
      List<ChainManifest.Retired> waiting = new ArrayList<>();
      for (ChainManifest.Retired r : current.retired()) {
        (now - r.atMillis() >= options.gcGrace().toMillis() ? due : waiting).add(r);
      }
      for (ChainManifest.Retired r : due) {
        collect(r);
      }
      ChainManifest kept = new ChainManifest(current.snapshots(), current.changesFrom(), waiting);
      ChainManifest next = retain(kept, now, policy);
      Optional<ChainManifest.Retired> retired = next == kept ? Optional.empty()
          : Optional.of(next.retired().get(next.retired().size() - 1));
      CasResult r = store.write(name(), raw.get().version(), raw.get().epoch(), next.encode());
      if (r.isWon()) {
        return new Pruned(next, retired, due);
      }
    }
    throw HadbException.unavailable("manifest " + name() + " kept changing under the prune", null);
  }

  /** Deletes a retired batch: its snapshots, and every changeset up to its mark still stored. */
  private void collect(ChainManifest.Retired r) {
    for (long seq : r.snapshotSeqs()) {
      storage.delete(keys.snapshot(seq));
    }
    if (r.changesThrough() > 0) {
      long deleted = deleteChangesThrough(r.changesThrough());
      LOG.log(Level.DEBUG, "collected " + deleted + " changeset(s) through seq " + r.changesThrough() + " and "
          + r.snapshotSeqs().size() + " snapshot(s) of " + keys.prefix());
    }
  }

  /** Deletes the stored changesets with a seq up to {@code through}, oldest first; returns how many. */
  private long deleteChangesThrough(long through) {
    long deleted = 0;
    while (true) {
      // Always from the start: what was deleted is gone from the next page.
      ListPage page = storage.list(keys.changesPrefix(), Optional.empty(), 1000);
      boolean more = false;
      for (String key : page.keys()) {
        OptionalLong seq = keys.changeSeq(key);
        if (seq.isEmpty()) {
          continue;
        }
        if (seq.getAsLong() > through) {
          return deleted;
        }
        storage.delete(key);
        deleted++;
        more = true;
      }
      if (!more || !page.hasMore()) {
        return deleted;
      }
    }
  }

  private ChainManifest parsedOrRebuilt(Optional<Manifest> raw) {
    if (raw.isPresent()) {
      try {
        return ChainManifest.decode(name() + " (version " + raw.get().version() + ")", raw.get().document());
      } catch (HadbException e) {
        if (e.code() != ErrorCode.CORRUPT) {
          throw e;
        }
        LOG.log(Level.WARNING, e.getMessage() + "; rebuilding it from storage");
      }
    }
    return rebuild(storage, keys, options);
  }

  /**
   * The manifest storage supports, built by listing it: every stored snapshot (each read in full
   * and verified, for its checksum and size) and the first stored changeset. Used when the
   * manifest is missing or damaged; loses nothing, since it names everything still stored.
   */
  public static ChainManifest rebuild(StorageBackend storage, ChainKeys keys, ChainOptions options) {
    List<ChainManifest.Snapshot> snaps = new ArrayList<>();
    for (long seq : Snapshots.list(storage, keys)) {
      try {
        snaps.add(Snapshots.describe(storage, keys, seq, options.decode()));
      } catch (HadbException e) {
        if (e.code() == ErrorCode.UNAVAILABLE) {
          throw e;
        }
        LOG.log(Level.WARNING, "rebuilding the manifest of " + keys.prefix() + " without snapshot " + seq + ": "
            + e.getMessage());
      }
    }
    long from = 1;
    ListPage first = storage.list(keys.changesPrefix(), Optional.empty(), 1);
    if (!first.keys().isEmpty()) {
      from = keys.changeSeq(first.keys().get(0)).orElse(1);
    }
    LOG.log(snaps.isEmpty() && from == 1 ? Level.DEBUG : Level.INFO, "rebuilt the manifest of " + keys.prefix()
        + " from storage: " + snaps.size()
        + " snapshot(s), changesets from seq " + from);
    return new ChainManifest(snaps, Math.max(1, from), List.of());
  }

  private HadbException fenced(long stored, long epoch) {
    return HadbException.fenced("manifest " + name() + " was written at epoch " + stored + ", later than this"
        + " leader's epoch " + epoch + ": a newer leader owns the database");
  }
}
