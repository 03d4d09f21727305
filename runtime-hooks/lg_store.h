//===- lg_store.h - Lock-free tables of the preload runtime -----*- C++ -*-===//
//
// Fixed-capacity, lock-free, allocation-free (after construction) tables:
//
//   LockTable    lock address -> current lock instance (address + generation)
//   EdgeSet      64-bit edge keys -> one EdgeRecord each, insert-once
//   StackDepot   append-only arena of captured program counters, each
//                distinct stack stored once
//
// Backing memory is mmap'd with MAP_NORESERVE, so only touched pages cost
// memory. Nothing is ever removed: a destroyed lock keeps its slot and gets a
// new instance on its next use, which is what tells two locks at one address
// apart. reset() (after fork in the child) returns the pages to the kernel.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_RT_STORE_H
#define LOCKGRAPH_RT_STORE_H

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace lockgraph::rt {

/// A lock instance: one lock between its creation and its destruction.
/// 0 means "none".
using InstanceId = uint32_t;
/// An offset into the StackDepot; 0 means "no stack".
using StackId = uint32_t;

inline uint64_t mix64(uint64_t X) {
  X ^= X >> 33;
  X *= 0xff51afd7ed558ccdULL;
  X ^= X >> 33;
  X *= 0xc4ceb9fe1a85ec53ULL;
  X ^= X >> 33;
  return X;
}

/// One multiply: good enough to spread aligned addresses over a
/// power-of-two table (Fibonacci hashing, high bits folded down).
inline uint64_t hashAddr(uint64_t X) {
  X *= 0x9E3779B97F4A7C15ULL;
  return X ^ (X >> 29);
}

void *mapZeroed(size_t Bytes);
void unmapMemory(void *P, size_t Bytes);
/// Gives the pages back; they read as zero afterwards.
void discardMemory(void *P, size_t Bytes);

/// Static facts about one lock instance, written once by its creator.
struct InstanceInfo {
  uintptr_t Addr;
  StackId FirstStack; ///< first acquisition (or init) stack
  uint8_t Kind;       ///< lockgraph::LockKind
  std::atomic<uint8_t> Ready;
  /// For a lock in a thread's stack: the function activation whose frame
  /// held it when that thread last looked (renewStackLocks), 0 before.
  /// Written and read by that thread only.
  uint64_t FrameKey;
};

/// lock address -> current instance. Contract: capacities are powers of two;
/// the table holds at most Capacity/2 addresses before lookups start failing
/// (returning 0), which the runtime reports once as "lock table full".
class LockTable {
public:
  bool init(unsigned Log2Slots, unsigned Log2Instances);
  void destroy();
  void reset();

  /// The current instance of the lock at \p Addr, creating one (with \p Kind
  /// and, lazily, its first stack via \p Created) when there is none.
  /// \p Created is set to true for exactly one caller per instance;
  /// \p FirstAtAddress, when given, to whether that instance is also the
  /// first the address ever had (this call gave it its slot).
  InstanceId lookupOrCreate(uintptr_t Addr, uint8_t Kind, bool &Created,
                            bool *FirstAtAddress = nullptr);
  /// lookup's fast path: the first probe finds the address.
  inline __attribute__((always_inline)) InstanceId lookupFast(uintptr_t Addr) const {
    std::atomic<uint32_t> *Unused;
    return lookupFast(Addr, Unused);
  }
  /// The same, also giving the slot's mark (nullptr when the lock has no
  /// slot): 32 bits the runtime may set to say "this was done for this
  /// instance", at no cost to read, since lookups load the slot anyway.
  /// What a mark says is the process's: it is salted (markSalt) with a salt
  /// a fork child changes (saltMarks), since the child keeps the table but
  /// not what was done.
  inline __attribute__((always_inline)) InstanceId
  lookupFast(uintptr_t Addr, std::atomic<uint32_t> *&Mark) const {
    Slot &S = Slots[slotOf(Addr)];
    if (__builtin_expect(S.Addr.load(std::memory_order_acquire) == Addr, 1)) {
      Mark = &S.Mark;
      return S.Instance.load(std::memory_order_acquire);
    }
    Slot *Found = const_cast<LockTable *>(this)->findSlot(Addr, false);
    Mark = Found ? &Found->Mark : nullptr;
    return Found ? Found->Instance.load(std::memory_order_acquire) : 0;
  }
  /// The current instance, or 0 without creating one.
  InstanceId lookup(uintptr_t Addr) const;
  /// Forgets the current instance of \p Addr (destroy, re-init): the next
  /// use creates a new one. Returns the instance that was forgotten.
  InstanceId retire(uintptr_t Addr);
  /// Whether \p Inst, read from the table for \p Addr earlier, is still
  /// its lock's instance: not retired since. One line, the one a lookup
  /// reads, so that an acquisition that looks its lock up reads no other
  /// (a thread that frees objects holding locks does not send the other
  /// threads' acquisitions of other locks down the slow path either).
  inline __attribute__((always_inline)) bool isCurrent(uintptr_t Addr,
                                                       InstanceId Inst) const {
    return lookupFast(Addr) == Inst;
  }

  /// How many instances were retired so far at any address: one word,
  /// which the mutex fast path compares with the thread's RetireSeen
  /// instead of reading its lock's own bucket (a line per lock).
  inline __attribute__((always_inline)) uint32_t retireEpoch() const {
    return RetireEpoch.load(std::memory_order_relaxed);
  }
  uint32_t retireEpochAcquire() const {
    return RetireEpoch.load(std::memory_order_acquire);
  }

  inline __attribute__((always_inline)) uint32_t markSalt() const {
    return MarkSalt;
  }
  /// A new salt for marks: those set before no longer match.
  void saltMarks(uint64_t Seed) { MarkSalt = uint32_t(mix64(MarkSalt + Seed)); }

  InstanceInfo &info(InstanceId Id) { return Instances[Id]; }
  const InstanceInfo &info(InstanceId Id) const { return Instances[Id]; }
  /// The number of the last instance created (read without ordering: a
  /// recent value is good enough).
  inline __attribute__((always_inline)) uint32_t newestInstance() const {
    return NextInstance.load(std::memory_order_relaxed) - 1;
  }
  /// Instances created so far are 1 .. numInstances().
  uint32_t numInstances() const {
    uint32_t N = NextInstance.load(std::memory_order_acquire) - 1;
    return N < InstanceCap ? N : InstanceCap - 1;
  }
  bool overflowed() const { return Overflow.load(std::memory_order_relaxed); }

private:
  struct Slot {
    std::atomic<uintptr_t> Addr;
    std::atomic<InstanceId> Instance;
    std::atomic<uint32_t> Mark;
  };
  /// The first slot probed for \p Addr. The locks of one 4 KiB page share
  /// a window of 128 slots (2 KiB), one per 32 bytes of the page, in which
  /// each keeps its place (XOR a per-page value so that locks at one offset
  /// of many pages do not pile up): a program's locks, which sit close
  /// together (arrays of item locks, locks in neighbouring objects), share
  /// the table's cache lines as they share their own. No two mutexes,
  /// rwlocks or condition variables (40 bytes and more) start in one
  /// 32-byte granule; spinlocks (4 bytes) may, and probe on.
  inline __attribute__((always_inline)) size_t slotOf(uintptr_t Addr) const {
    uint64_t Page = hashAddr(Addr >> 12);
    return ((Page << 7) | ((Addr >> 5 ^ Page >> 40) & 127)) & Mask;
  }
  Slot *findSlot(uintptr_t Addr, bool Insert, bool *Inserted = nullptr);
  const Slot *findSlotConst(uintptr_t Addr) const;

  Slot *Slots = nullptr;
  size_t Mask = 0;
  InstanceInfo *Instances = nullptr;
  uint32_t InstanceCap = 0;
  // What the hooks read of the table itself share the line of Slots and
  // Mask: a server's next request finds its caches cold (lock_bench.py
  // --instructions, shape "cold"). A retirement writes RetireEpoch, which
  // every reader compares anyway.
  std::atomic<uint32_t> RetireEpoch{0};
  uint32_t MarkSalt = 0;
  /// Written by every instance creation: a line of its own, so that making
  /// locks does not take the lookups' line from the other threads.
  alignas(64) std::atomic<uint32_t> NextInstance{1};
  std::atomic<bool> Overflow{false};
};

/// Everything kept about one distinct observation of an edge, one cache
/// line. Records are dense (in insertion order), apart from the key table
/// that finds them, so that a program with tens of thousands of edges
/// touches a few MiB of records instead of one page per edge.
struct EdgeRecord {
  static constexpr unsigned MaxOther = 7;
  InstanceId From, To;
  uint32_t Thread;
  uint32_t Segment; ///< the thread's segment (ThreadState::Segment)
  /// Flags' bits: To was taken by a trylock (or waited for with a timeout);
  /// From was held since a condition-variable wait re-acquired it; To, a
  /// joined thread, last notified a condition variable holding From.
  static constexpr uint8_t TryAcquired = 1, HeldSinceWait = 2,
                           JoinedThreadDone = 4;
  uint8_t FromMode, ToMode, Flags, NumOther; ///< NumOther may exceed MaxOther
  InstanceId Other[MaxOther];
  StackId HeldStack, AcquiredStack;
  uint32_t Slot;               ///< its key's slot (owned by EdgeSet)
  std::atomic<uint32_t> Ready; ///< 1 once the fields above are written
};
static_assert(sizeof(EdgeRecord) == 64, "one record, one cache line");

/// Insert-once set of edge keys. Key 0 is reserved (never inserted).
///
/// A key's slot (16 bytes: key, record, count) is all that finding and
/// counting an existing edge touches; the record is only written once, by
/// the inserter.
class EdgeSet {
public:
  bool init(unsigned Log2Slots);
  void destroy();
  void reset();

  /// Inserts \p Key. Returns the record to fill (then publish with
  /// Ready=1) when this call inserted it; nullptr when it was already there
  /// (its count goes up by one) or the set is full.
  EdgeRecord *insert(uint64_t Key) {
    EdgeRecord *Unused;
    return insert(Key, Unused);
  }
  /// The same; when the key was already there, \p Found is its record
  /// (nullptr while its inserter has not got one yet, or never will).
  EdgeRecord *insert(uint64_t Key, EdgeRecord *&Found);
  /// How often the record's key was inserted (1 + the repeats).
  uint32_t count(const EdgeRecord &R) const {
    return Slots[R.Slot].Count.load(std::memory_order_relaxed);
  }
  size_t capacity() const { return RecordCap; }
  /// Visits published records in insertion order. Safe while other threads
  /// insert.
  template <typename Fn> void forEach(Fn F) const {
    size_t N = Size.load(std::memory_order_acquire);
    for (size_t K = 0; K < N && K < RecordCap; ++K)
      if (Records[K].Ready.load(std::memory_order_acquire))
        F(Records[K]);
  }
  size_t size() const {
    size_t N = Size.load(std::memory_order_relaxed);
    return N < RecordCap ? N : RecordCap;
  }
  bool overflowed() const { return Overflow.load(std::memory_order_relaxed); }

private:
  struct KeySlot {
    std::atomic<uint64_t> Key; ///< 0: free
    std::atomic<uint32_t> Count;
    std::atomic<uint32_t> Record; ///< index + 1 into Records; 0: none yet
  };
  KeySlot *Slots = nullptr;
  EdgeRecord *Records = nullptr;
  size_t Mask = 0;
  size_t RecordCap = 0; ///< 3/4 of the slots: probes stay short
  std::atomic<size_t> Size{0};
  std::atomic<bool> Overflow{false};
};

/// Append-only arena of stacks: [length, pc0, pc1, ...], interned: a stack
/// equal to one stored before gets that one's id (a lock-free hash table of
/// (hash, id) pairs; when it is full, stacks are stored again).
///
/// Memory ordering: a stack's words are written before its id is published
/// in the table (release), so a thread that finds the id (acquire) can
/// compare against the stored words.
class StackDepot {
public:
  bool init(unsigned Log2Words, unsigned Log2Index);
  void destroy();
  void reset();
  /// Stores \p N program counters, or finds them stored; 0 when the depot
  /// is full or N == 0.
  StackId store(const uintptr_t *PCs, unsigned N);
  /// The stack \p Id: sets \p N and returns its first PC.
  const uintptr_t *get(StackId Id, unsigned &N) const;
  /// Words used so far (for the verbose statistics).
  size_t used() const { return Used.load(std::memory_order_relaxed); }

private:
  StackId append(const uintptr_t *PCs, unsigned N);
  bool equal(StackId Id, const uintptr_t *PCs, unsigned N) const;

  uintptr_t *Words = nullptr;
  size_t Cap = 0;
  std::atomic<size_t> Used{1};
  /// (hash >> 32) << 32 | id, 0 when free.
  std::atomic<uint64_t> *Index = nullptr;
  size_t IndexMask = 0;
};

/// A small insert-once hash set of 64-bit keys (deduplication of reports).
class KeySet {
public:
  bool init(unsigned Log2Slots);
  void destroy();
  void reset();
  /// True when \p Key was not there before (and now is).
  bool insert(uint64_t Key);

private:
  std::atomic<uint64_t> *Keys = nullptr;
  size_t Mask = 0;
};

} // namespace lockgraph::rt

#endif // LOCKGRAPH_RT_STORE_H
