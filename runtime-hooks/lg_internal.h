//===- lg_internal.h - Shared state of the preload runtime ------*- C++ -*-===//
//
// Everything the interposers share: the resolved real functions, per-thread
// state, the global tables and the acquire/release bookkeeping.
//
// Hot-path contract (see ../shared/ARCHITECTURE.md): an acquisition or
// release touches only the calling thread's ThreadState and, for the lock's
// instance, one probe of the global LockTable. New edges (a per-thread cache
// miss) go to the lock-free EdgeSet; only a truly new edge captures a stack.
// Nothing here allocates, prints or takes a lock on that path.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_RT_INTERNAL_H
#define LOCKGRAPH_RT_INTERNAL_H

#include "lg_flags.h"
#include "lg_store.h"

#include <atomic>
#include <cerrno>
#include <cstdint>
#include <pthread.h>
#include <sys/types.h>

#include <vector>

#define LG_LIKELY(x) __builtin_expect(!!(x), 1)
#define LG_UNLIKELY(x) __builtin_expect(!!(x), 0)
#define LG_INTERFACE extern "C" __attribute__((visibility("default")))
#define LG_NOINLINE __attribute__((noinline))
#define LG_ALWAYS_INLINE inline __attribute__((always_inline))

namespace lockgraph::rt {

// Mirrors lockgraph::LockKind / AcquireMode (core is not included here so
// that this header stays free of libstdc++ containers).
enum : uint8_t {
  KindUnknown = 0,
  KindMutex = 1,
  KindRecursiveMutex = 2,
  KindRwLock = 3,
  KindSpinLock = 4,
  KindC11Mutex = 5,
  KindCondVar = 6, ///< a wait node: a condition variable (keyed by its address)
  KindThread = 7,  ///< a wait node: a class of threads (lg_interceptors_thread.cpp)
  KindOnce = 8,    ///< a once-initialization (lg_interceptors_once.cpp)
};
enum : uint8_t { ModeExclusive = 0, ModeShared = 1 };

constexpr unsigned MaxHeldPCs = 16;
constexpr unsigned MaxStackDepth = 64;
/// The per-thread cache of recorded chains (a held set + the new lock, or a
/// wait-node edge), so that a repeated acquisition records nothing.
/// Set-associative: 2,048 sets of 16 ways, one cache line each, holding 32
/// bits of the chain that the set index does not use (~43 bits in all: a
/// wrong hit, which would skip recording an edge, is a 1-in-250-million
/// event per lookup). 32,768 chains in 128 KiB, pages touched on use: each
/// of memcached's worker threads makes ~16,000 chains through its thousands
/// of hashed item locks, which a direct-mapped cache of 8,192 chains missed
/// about half the time, and the lookup's one random line stays in L2. A
/// chain goes to its home way when that is free, so a program with few
/// chains pays one compare per lookup.
///
/// Chains are salted with their thread (or keyed by a class that every
/// thread records alike), so a recycled thread state keeps its old entries:
/// they cannot match the new thread's chains.
struct alignas(64) EdgeCache {
  static constexpr unsigned Ways = 16, SetBits = 11;
  uint32_t Sets[1u << SetBits][Ways];

  LG_ALWAYS_INLINE uint32_t *setOf(uint64_t Chain) {
    return Sets[Chain >> (64 - SetBits)];
  }
  /// Bits of the chain apart from the set index; never 0 (a free way).
  static uint32_t tagOf(uint64_t Chain) { return uint32_t(Chain >> 20) | 1; }
  static unsigned homeWay(uint64_t Chain) { return unsigned(Chain >> 4) % Ways; }
  LG_ALWAYS_INLINE bool contains(uint64_t Chain) {
    const uint32_t *Set = setOf(Chain);
    const uint32_t Tag = tagOf(Chain);
    if (LG_LIKELY(Set[homeWay(Chain)] == Tag))
      return true;
    bool Found = false;
    for (unsigned W = 0; W < Ways; ++W)
      Found |= Set[W] == Tag;
    return Found;
  }
  void insert(uint64_t Chain) {
    uint32_t *Set = setOf(Chain);
    const uint32_t Tag = tagOf(Chain);
    unsigned Home = homeWay(Chain);
    if (Set[Home] == 0 || Set[Home] == Tag) {
      Set[Home] = Tag;
      return;
    }
    for (unsigned W = 0; W < Ways; ++W)
      if (Set[W] == 0) {
        Set[W] = Tag;
        return;
      }
    // Full: evict a way picked by other bits of the chain (as good as
    // random, and free).
    Set[unsigned(Chain >> 8) % Ways] = Tag;
  }
};

/// How many new chains each call path has made in one thread, where a call
/// path is the held locks' acquisition stacks plus the new lock's (not
/// their instances). A path that reached max_edges_per_path records no
/// more, except for locks created since it filled up: the same code taking
/// more instances of the same locks (memcached's workers: 4,096 item locks
/// x 64 LRU locks, hundreds of thousands of pairs, each a chain-cache miss
/// and an edge record) is sampled, while a new object's lock (a test's)
/// still has its pairs recorded -- its first NewLocks acquisitions so: past
/// them a path that keeps meeting new locks (nng makes 8 per message, each
/// a new edge, until the edge set is full) is sampled like the others.
/// Every RefreshEvery sampled acquisitions the locks created so far count
/// as old. Direct-mapped, 32 KiB; a collision restarts a path's count.
struct PathCounts {
  static constexpr unsigned Bits = 11;
  static constexpr uint16_t RefreshEvery = 4096, NewLocks = 256;
  struct Entry {
    uint32_t Tag;      ///< the path, never 0; 0: free
    uint32_t Count;    ///< new chains it made
    uint32_t OldBelow; ///< once full: instances below this are sampled
    uint16_t Sampled;  ///< acquisitions sampled since OldBelow was set
    uint16_t NewLeft;  ///< once full: acquisitions of new locks to record
  } E[1u << Bits];
  LG_ALWAYS_INLINE Entry &of(uint32_t Path) { return E[Path >> (32 - Bits)]; }
  /// The entry of \p Path when it is full, else nullptr.
  LG_ALWAYS_INLINE Entry *full(uint32_t Path, uint32_t Limit) {
    Entry &X = of(Path);
    return X.Tag == (Path | 1) && X.Count >= Limit && Limit ? &X : nullptr;
  }
  /// A new chain along \p Path; \p Newest: the newest lock instance.
  void count(uint32_t Path, uint32_t Limit, uint32_t Newest) {
    Entry &X = of(Path);
    if (X.Tag != (Path | 1))
      X = {Path | 1, 0, 0, 0, 0};
    if (++X.Count == Limit) {
      X.OldBelow = Newest + 1;
      X.Sampled = 0;
      X.NewLeft = NewLocks;
    }
  }
};

/// Chains this thread found recorded, found by the held set and the new
/// lock's address instead of its instance: a hit stands for a chain-cache
/// hit. An entry holds while its instance is the address's current one
/// (the address may be another lock's now). For acquisitions under other
/// locks along call paths that are not full: a thread that takes a few
/// hundred locks in turn under one (memcached's LRU maintainer) pays two
/// lines per acquisition (lock table, memo) instead of three and skips the
/// chain cache's work. Direct-mapped, 16 KiB; keys are salted with the
/// thread, as chains are.
struct AddressChainMemo {
  static constexpr unsigned Bits = 10;
  struct Entry {
    uint64_t Key; ///< never 0; 0: free
    InstanceId Inst; ///< current while GLocks.isCurrent(address, Inst)
  } E[1u << Bits];
  LG_ALWAYS_INLINE Entry &of(uint64_t Key) { return E[Key >> (64 - Bits)]; }
};

constexpr unsigned InlineHeld = 32;

/// Held-lock stacks from full unwinds (code without frame pointers), by
/// interposer frame and first PC, so that a call chain that comes back to
/// a depth after another one was there costs a few compares, not a
/// StackMemo lookup of the whole stack (recaptureHeldStack).
struct HeldStackCache {
  /// Ways: one helper (item_lock()) called from several places at the same
  /// depth has the same frame and first PC for all of them.
  static constexpr unsigned Sets = 64, Ways = 4;
  struct Entry {
    uintptr_t Frame; ///< 0: empty
    uint32_t N;
    uint32_t Slot[MaxHeldPCs];
    uintptr_t PCs[MaxHeldPCs];
  } E[Sets * Ways];
  uint32_t Next[Sets]; ///< the way to replace next (round robin)
};

/// Held-lock stacks of one or two PCs (code built without frame pointers,
/// where the walk stops at the lock call's caller or one frame above), by
/// interposer frame and return address: an acquisition from another place
/// than the last one at its depth (each of a memcached request's 14) copies
/// its stack from here instead of walking and hashing it again
/// (recaptureHeldStack). Checked as sameQuickHeldStack checks a held
/// entry: both return addresses where they were read. Direct-mapped.
struct ShortStackMemo {
  static constexpr unsigned Bits = 6;
  struct Entry {
    uintptr_t Frame; ///< 0: empty
    uintptr_t Word0; ///< PCs[0], read at Frame + 8
    uintptr_t Word1; ///< PCs[1], read at Frame + Slot1; PCs[0] for one PC
    uint32_t Slot1;  ///< 8 for a stack of one PC
    uint32_t PathHash;
  } E[1u << Bits];
  LG_ALWAYS_INLINE Entry &of(uintptr_t Frame, uintptr_t Word0) {
    return E[((Frame ^ Word0) * 0x9E3779B97F4A7C15ULL) >> (64 - Bits)];
  }
};

/// Full (DWARF) stacks a thread captured below an interposer's frame, kept
/// with where each return address was read from. While those stack slots
/// still hold those return addresses, the thread is in the same call chain,
/// so the stack is the same: a capture from the same place costs a few
/// compares instead of a DWARF unwind (microseconds each; with tens of
/// thousands of new edges, unwinding was 2.6% of memcached's perf samples).
/// x86-64 only (the return address sits at CFA - 8); see captureStackAt().
struct StackMemo {
  static constexpr unsigned Buckets = 16, Ways = 4, MaxFrames = 32;
  struct Entry {
    uintptr_t Frame; ///< the interposer's frame address; 0: empty
    StackId Id;
    uint32_t N;
    uint32_t Slot[MaxFrames]; ///< PC i was read at Frame + Slot[i]
  } E[Buckets * Ways];
  uint32_t Next; ///< the way to replace next (round robin)
};

/// One lock held (or, at index Depth, being waited for) by a thread. The
/// first cache line is what an acquisition reads and writes, with a stack of
/// up to two PCs (code without frame pointers); the rest of the PCs and
/// where they were read only matter for deeper stacks, and when an edge is
/// recorded or reported (a server's request path takes its locks after the
/// kernel's network work has evicted them: each line is a miss).
struct alignas(64) HeldLock {
  uintptr_t Addr;
  InstanceId Inst;
  uint8_t Mode;
  uint8_t NumPCs;
  uint8_t Try;        ///< acquired by a trylock (part of its chain)
  /// Its acquisition was sampled out (a full call path): the next one at
  /// this depth does not look in the AddressChainMemo, which a full path's
  /// chains do not enter.
  uint8_t SampledOut;
  uint32_t Recursion; ///< extra acquisitions of a recursive lock
  uint32_t PathHash;    ///< hash of PCs: the call path that acquired it
  /// Acquired by pthread_mutex_lock of a mutex whose lock call cannot fail
  /// and which records its owner (mutexLockCannotFail), with hold_time off:
  /// acquiring it again as a reuse may take acquireMutexFast.
  uint8_t FastMutex;
  /// What this hold did, for the handshake filter (EdgeEvidence::
  /// HeldSinceWait, JoinedThreadDone): SinceWait, it began with a
  /// condition-variable wait's re-acquisition; NotifiedUnder, the thread
  /// notified a condition variable with this lock innermost. Inherited: a
  /// lock the thread held when it forked, in the child, which has no other
  /// thread that could wait for it, so a blocking call under it alone is
  /// none (libuv writes its exec error to a pipe under the loop lock it
  /// forked under). Every acquisition that writes the entry clears them;
  /// FastMutex is 0 while one is set, so the mutex fast path, which writes
  /// nothing, cannot take the lock again unseen.
  uint8_t HoldMarks;
  /// OnceInit: a once-initialization whose initializer this thread runs,
  /// held for the lock order only: a blocking call in the initializer is
  /// no finding by itself (reading a configuration file once is what such
  /// initializers do), nor is the once listed among the held locks.
  static constexpr uint8_t SinceWait = 1, NotifiedUnder = 2, Inherited = 4,
                           OnceInit = 8;
  /// Slot[1] when Slot[0] is 8 (the interposer's return address) and
  /// Slot[1] fits, else 0: what the reuse checks compare from this line
  /// alone, PCs[0] at a fixed place and PCs[1] here (setHeldStack).
  uint16_t QuickSlot1;
  uint64_t Hash;      ///< mix64 of (Inst, Mode): feeds the edge keys
  /// The interposer frame the stack was captured below (0: none), and where
  /// each PC was read: PCs[i] from StackFrame + Slot[i]. While those slots
  /// hold those PCs, the thread is in the same call chain (StackMemo), so a
  /// new acquisition at this depth from the same frame keeps the stack.
  uintptr_t StackFrame;
  /// Where it was acquired, innermost first. The first two, which
  /// sameHeldStack compares first and which are all of a stack in code
  /// without frame pointers, end this line; PCs[1] is PCs[0] again for a
  /// stack of one PC (setHeldStack).
  uintptr_t PCs[MaxHeldPCs];
  /// Where each PC was read. Slot[0] and Slot[1] need not be written while
  /// QuickSlot1 (this line) holds Slot[1], Slot[0] being 8.
  uint32_t Slot[MaxHeldPCs];
  /// heldTicks() when it was acquired, written with hold_time only: in
  /// the entry's last line, which an acquisition need not touch otherwise
  /// (a server's caches are cold by its next request).
  uint64_t Ticks;
};
static_assert(offsetof(HeldLock, PCs) == 48 && offsetof(HeldLock, QuickSlot1) < 64,
              "an acquisition's fields and a short stack in the first line");

/// What lock instance \p Inst held in \p Mode (a wait node: mode 0)
/// contributes to chain and edge keys (HeldLock::Hash).
LG_ALWAYS_INLINE uint64_t heldHash(InstanceId Inst, uint8_t Mode) {
  return ((uint64_t(Inst) << 1) | Mode) * 0x9E3779B97F4A7C15ULL;
}

/// A held lock's key in ThreadState::LastOuter: its instance and whether a
/// trylock took it.
LG_ALWAYS_INLINE uint32_t outerKey(const HeldLock &H) {
  return (H.Inst << 1) | H.Try;
}

/// Per-thread state. Lives in mmap'd memory that is recycled, never unmapped,
/// so that the watchdog can read other threads' states without a lock.
/// Only the owning thread writes it, except Alive/Next* (registry lock).
struct ThreadState {
  // The first cache line: what every acquisition and release reads.
  uint64_t Salt;  ///< mixes the thread into edge keys
  HeldLock *Held; ///< Inline, or a larger mmap'd array
  uint64_t HeldXor;
  /// Non-zero while a blocking acquisition is in progress (Held[Depth]
  /// describes it): a number that changes with every wait.
  std::atomic<uint64_t> Waiting;
  /// heldHash of ThreadNode, 0 when that is 0.
  uint64_t ThreadNodeHash;
  int16_t InRuntime; ///< re-entrancy guard: >0 means pass everything through
                     ///< (always >0 in the runtime's own threads)
  /// NotifiedUnder is set: kept in this line so that acquisitions, which
  /// compare their lock with it, do not load the next one for a field
  /// that is 0 nearly always (one line fewer per request on a cold cache:
  /// lock_bench.py --instructions, shape "cold").
  bool NotifyPending;
  uint32_t Depth; ///< number of held locks
  /// Held[Depth..Reuse) are the locks this thread last acquired at those
  /// depths, under the locks it holds now, with their edges recorded (see
  /// acquireCall): acquiring one of them again records nothing new.
  uint32_t Reuse;
  /// GLocks.retireEpoch() when this thread last made sure that no entry
  /// FastMutex marks names a lock retired since it was acquired
  /// (revalidateFastMutexes).
  uint32_t RetireSeen;
  /// Outermost locks acquired since this thread last signalled a condition
  /// variable (a ring, newest at RecentN - 1): a notifier's signal records
  /// cv -> L for them. LastOuter (outerKey) dedupes repeats of the same lock
  /// taken the same way.
  uint32_t LastOuter;
  uint32_t WaitCounter;

  uint32_t Cap;
  uint32_t Index; ///< T<Index> in reports; 0 is the main thread
  pid_t Tid;
  bool Ignore;    ///< the runtime's own threads
  /// The lock the thread last notified a condition variable under, while
  /// it has not taken it again (notifiedUnder); 0: none.
  uintptr_t NotifiedUnder;
  /// The thread's join slot (publishDoneUnder), found on first use.
  void *OwnJoinSlot;
  /// The once-initialization this thread is in the real call of
  /// (lg_interceptors_once.cpp): its initializer, for the trampoline passed
  /// in its place; nullptr outside one.
  struct PendingOnceCall *PendingOnce;
  uintptr_t StackLo, StackHi;
  uintptr_t StackSpan; ///< StackHi - StackLo - 16, or 0 when unknown
  std::atomic<bool> Alive;
  /// The thread's class node (thread:X, KindThread), 0 when unknown; its
  /// outermost acquisitions record thread:X -> L (lg_runtime.cpp).
  InstanceId ThreadNode;
  uint32_t RecentN; ///< see LastOuter
  /// New held sets this thread may still record for a trylock. A trylock
  /// edge cannot be part of a deadlock; it is recorded so that a cycle
  /// through it shows up as ruled out ("trylock"), which a few thousand per
  /// thread show as well as all (memcached's LRU thread makes 30,000).
  /// Past them a trylock under a lock skips the chain cache altogether.
  uint32_t TryChainsLeft;
  uint64_t TryUnrecorded; ///< trylocks not looked at since (statistics)
  /// Acquisitions not recorded because their call path had made
  /// max_edges_per_path new chains (statistics).
  uint64_t PathUnrecorded;
  /// Which part of the thread's run this is: 0 from its start, one more
  /// after each pthread_create or pthread_join it makes (beginSegment), up
  /// to MaxSegments - 1. Edges record it; thread starts and joins order
  /// segments of different threads (the start-join filter).
  uint32_t Segment;
  /// The last reports this thread captured, each as the hash of its call
  /// path and the instances involved (direct-mapped): repeats of one skip
  /// the report set, which would otherwise take a key per lock instance
  /// (reportBlocking).
  uint64_t RecentReports[16];
  /// The ring's entries by field, so that noting a lock with a short stack
  /// (code without frame pointers) writes the same two lines each time,
  /// not a line per entry: a server's next request finds its caches cold
  /// (lock_bench.py --instructions, shape "cold").
  struct alignas(64) RecentLocks {
    static constexpr unsigned Size = 4, MaxPCs = 6;
    InstanceId Inst[Size];
    uint16_t NumPCs[Size];
    uint8_t Try[Size]; ///< taken by a trylock: a waiter holding it cannot block it
    uintptr_t PCs[MaxPCs][Size]; ///< PCs[K][I]: entry I's PC K
  } Recent;
  ThreadState *NextAll;
  ThreadState *NextFree;
  HeldLock Inline[InlineHeld];
  StackMemo Memo;
  HeldStackCache HeldStacks;
  ShortStackMemo ShortStacks;
  EdgeCache Cache;
  AddressChainMemo AddrChains;
  PathCounts Paths;
  /// While this thread, holding locks, is in a blocking call: when it
  /// began (nowNs; 0: not in one), which call, and from where (frame
  /// pointers). Read by the watchdog's stall check.
  std::atomic<uint64_t> BlockedSince;
  const char *BlockedCall;
  uint32_t BlockedNumPCs;
  uintptr_t BlockedPCs[MaxHeldPCs];
  /// Locks this thread holds that another thread unlocked (undefined for a
  /// pthread mutex, but what a mutex used as a binary semaphore does):
  /// posted by the unlocking thread, dropped from Held by this one on its
  /// next slow path (dropReleasedElsewhere). 0: a free slot.
  std::atomic<uintptr_t> ReleasedElsewhere[4]; // last: off the hot lines
};

extern Flags GFlags;
extern LockTable GLocks;
extern EdgeSet GEdges;
extern StackDepot GStacks;
extern KeySet GReported;
extern std::atomic<int> GState; ///< 0 none, 1 initializing, 2 ready, 3 exiting
extern uintptr_t GSelfLo, GSelfHi; ///< our own code, skipped in stacks
/// The pid the runtime's state belongs to (updated in a fork child). A
/// different getpid() means a vfork child sharing our memory.
extern std::atomic<pid_t> GPid;

extern __thread ThreadState *TLSState __attribute__((tls_model("initial-exec")));

/// What a lock's table slot holds once `thread:X -> lock` is recorded (see
/// acquireCall): part of the edge's chain, salted per process, since a fork
/// child keeps the lock table but starts with an empty edge set.
LG_ALWAYS_INLINE uint32_t threadEdgeMark(uint64_t Chain) {
  return uint32_t(Chain >> 32) ^ GLocks.markSalt();
}

/// Ensures the runtime is initialized and the calling thread has a state.
/// Returns nullptr when the call must pass through (during init, inside the
/// runtime, in the runtime's own threads).
static_assert(offsetof(ThreadState, WaitCounter) < 64 &&
                  offsetof(ThreadState, NotifyPending) < 64,
              "an acquisition's thread fields in one cache line");

ThreadState *slowThreadState();

/// The thread id glibc records as a mutex's owner once a lock call has
/// acquired it, for every kind whose lock call cannot fail
/// (mutexLockCannotFail). The mutex fast path (acquireMutexFast) pushes a
/// mutex on the held stack before the real call and does not come back
/// after it, so while that mutex is the thread's innermost held lock
/// (HeldLock::FastMutex), its owner field tells whether the call returned:
/// until then the thread waits for it. For the thread's own pushed mutex
/// only: that memory is mapped.
LG_ALWAYS_INLINE pid_t mutexOwner(uintptr_t Addr) {
  return __atomic_load_n(
      &reinterpret_cast<pthread_mutex_t *>(Addr)->__data.__owner,
      __ATOMIC_RELAXED);
}

/// mutexOwner read by another thread (the watchdog), with a system call
/// that fails instead of faulting on memory freed meanwhile; -1 then.
pid_t peekMutexOwner(uintptr_t Addr);

/// Whether thread \p T (another one) is inside the lock call of its
/// innermost held entry, a mutex acquireMutexFast pushed (see mutexOwner).
bool waitsForPushedMutex(const ThreadState *T);

/// The Held index of what waiting thread \p T (another one) waits for:
/// Held[Depth] while Waiting is set, else its pushed mutex.
LG_ALWAYS_INLINE uint32_t waitedIndex(const ThreadState *T) {
  const uint32_t D = T->Depth;
  return T->Waiting.load(std::memory_order_acquire) || D == 0 ? D : D - 1;
}

/// How many of Held[0..Depth) thread \p T (another one) has acquired: all
/// but a pushed mutex it still waits for.
LG_ALWAYS_INLINE uint32_t acquiredDepth(const ThreadState *T) {
  const uint32_t D = T->Depth;
  return D && waitsForPushedMutex(T) ? D - 1 : D;
}

/// Whether the calling thread's innermost held entry is a mutex whose lock
/// call has not returned: a hook runs in a signal handler that interrupted
/// that call (or the mutex was unlocked behind the runtime's back). Not
/// looked at once its lock was retired since it was pushed: its memory may
/// be freed.
LG_ALWAYS_INLINE bool pushedMutexPending(const ThreadState *T) {
  const uint32_t D = T->Depth;
  if (LG_LIKELY(D == 0))
    return false;
  const HeldLock &Top = T->Held[D - 1];
  return Top.FastMutex && GLocks.isCurrent(Top.Addr, Top.Inst) &&
         LG_UNLIKELY(mutexOwner(Top.Addr) != T->Tid);
}

/// A hook found pushedMutexPending: false when it must pass through, as
/// hooks in a signal handler did when the whole acquisition ran inside the
/// runtime (the mutex is not the thread's yet, so nothing may be recorded
/// or reported under it).
bool settlePushedMutex(ThreadState *T);

LG_ALWAYS_INLINE ThreadState *currentThread() {
  ThreadState *T = TLSState;
  if (LG_LIKELY(T && !T->InRuntime)) {
    if (pushedMutexPending(T) && !settlePushedMutex(T))
      return nullptr;
    return T;
  }
  if (T)
    return nullptr;
  return slowThreadState();
}

/// RAII re-entrancy guard; also preserves errno across the runtime's work.
struct RuntimeScope {
  ThreadState *T;
  int SavedErrno;
  explicit RuntimeScope(ThreadState *T) : T(T), SavedErrno(errno) {
    if (T)
      ++T->InRuntime;
  }
  ~RuntimeScope() {
    if (T)
      --T->InRuntime;
    errno = SavedErrno;
  }
};

//===----------------------------------------------------------------------===//
// Stacks
//===----------------------------------------------------------------------===//

/// Frame-pointer walk from \p FP (a frame of our own interposer), bounded by
/// the thread's stack. Fills at most \p Max PCs, innermost first, and, when
/// given, \p Slots: where each PC was read, as an offset from \p FP.
LG_ALWAYS_INLINE unsigned fastUnwind(ThreadState *T, void *FP, uintptr_t *PCs,
                                     unsigned Max, uint32_t *Slots = nullptr) {
  unsigned N = 0;
  uintptr_t *F = static_cast<uintptr_t *>(FP);
  const uintptr_t Lo = T->StackLo, Span = T->StackSpan;
  while (N < Max) {
    // One unsigned compare: Lo <= F && F + 16 <= Hi.
    if (reinterpret_cast<uintptr_t>(F) - Lo > Span)
      break;
    uintptr_t PC = F[1];
    if (PC < 4096)
      break;
    if (Slots)
      Slots[N] = uint32_t(reinterpret_cast<uintptr_t>(&F[1]) - reinterpret_cast<uintptr_t>(FP));
    PCs[N++] = PC;
    uintptr_t *Next = reinterpret_cast<uintptr_t *>(F[0]);
    if (Next <= F)
      break;
    F = Next;
  }
  return N;
}

/// Full (DWARF) unwind of the calling thread, our own frames skipped.
unsigned captureStack(uintptr_t *PCs, unsigned Max);
/// captureStack into the depot.
StackId captureStackId();
/// The same, from a hook whose interposer frame is \p FP: reuses the stack
/// captured from the same call chain before (StackMemo).
StackId captureStackAt(ThreadState *T, void *FP);
/// captureStackAt, also giving the memo entry that now holds the stack
/// (null when it could not be memoized: not x86-64, a signal frame).
const StackMemo::Entry *memoizedStackAt(ThreadState *T, void *FP, StackId &Id);
/// A held entry's stack when it is not the one it holds (see
/// captureHeldStack): the frame-pointer walk, or, when the frame pointers
/// end at the caller (code built without them, as most distributions
/// build), the memoized full unwind.
void recaptureHeldStack(ThreadState *T, HeldLock &N, void *FP);
/// Full unwinds made and memoized stacks reused by captureStackAt, and
/// the trylocks of exited threads that were not recorded (TryChainsLeft
/// ran out), for the verbosity=2 statistics.
extern std::atomic<uint64_t> GStacksUnwound, GStacksReused, GTryUnrecorded,
    GPathUnrecorded;
constexpr uint32_t TryChainsPerThread = 4096;

//===----------------------------------------------------------------------===//
// Bookkeeping (lg_runtime.cpp)
//===----------------------------------------------------------------------===//

/// Flags of one acquisition.
enum : unsigned {
  AcqTry = 1,   ///< trylock: cannot block
  AcqTimed = 2, ///< has a timeout: the watchdog ignores its wait
  AcqErrorCheck = 4, ///< a relock returns an error instead of hanging
  AcqNoWait = 8,     ///< not a wait the watchdog should see (cond reacquire)
};

/// Cold halves of the acquisition (the hot half is acquireCall in
/// lg_acquire.h).
/// Records a new instance's first stack: walked from \p FP (an interposer's
/// frame) when given and fast_unwind is on, else the full unwinder.
void instanceCreated(ThreadState *T, InstanceId Inst, void *FP = nullptr);
/// The instance of the lock at \p Addr, created (with its first stack) when
/// it has none. 0 when the lock table is full.
/// \p FirstAtAddress: LockTable::lookupOrCreate's.
InstanceId newInstance(ThreadState *T, uintptr_t Addr, uint8_t Kind,
                       void *FP = nullptr, bool *FirstAtAddress = nullptr);
/// Retires the locks in [\p Lo, \p Hi), memory that no longer holds them
/// (a freed block, an unloaded library): a lock made there next is a new
/// instance (lg_interceptors_memory.cpp).
void forgetLocksIn(uintptr_t Lo, uintptr_t Hi);
/// At a thread start or join made by \p T: a lock in the live part of its
/// stack that is now in another function's frame than when \p T last
/// looked is retired, as a local of a function that returned (a test's
/// local std::mutex, whose slot the next test's local takes).
void renewStackLocks(ThreadState *T);
/// Makes room for one more held lock; false when out of memory.
bool growHeld(ThreadState *T);
/// The lock at Held[Index] is acquired again by its holder. Reports a
/// self-deadlock before the real call hangs. Returns true when the call is
/// a legal recursive acquisition (counted on success).
bool handleRelock(ThreadState *T, uint32_t Index, uint8_t Kind, uint8_t Mode,
                  unsigned AcqFlags, void *FP);
/// Records the edges Held[0..Depth) -> Held[Depth] (a new held set); with
/// nothing held, the edge ThreadNode -> Held[0].
void recordEdges(ThreadState *T, unsigned AcqFlags, void *FP);
/// Held[0] (just acquired, nothing else held) differs from LastOuter: puts
/// it in the Recent ring.
void noteOuterLock(ThreadState *T);
/// Full-unwinder capture of a held lock's stack (fast_unwind=0).
unsigned slowHeldCapture(ThreadState *T, uintptr_t *PCs);
/// A release that is not of the innermost lock, or of an unheld lock: the
/// thread that holds it, if any, is told (noteReleasedElsewhere) unless
/// \p ForeignUnlockReleases is false: the real unlock refuses a thread
/// that does not own the lock (an error-checking mutex's EPERM).
void releaseSlow(ThreadState *T, uintptr_t Addr, void *FP,
                 bool ForeignUnlockReleases = true);
/// Removes \p Addr from the held stack without misuse checks (an
/// acquisition in progress at Held[Depth] moves down with it); returns
/// whether it was held. Used by cond waits and dropReleasedElsewhere.
bool dropHeld(ThreadState *T, uintptr_t Addr, HeldLock *Saved);
/// Drops from the held stack the locks another thread unlocked meanwhile
/// (ThreadState::ReleasedElsewhere); returns whether there were any. Called
/// on slow paths only: a relock, a blocking call, new edges.
bool dropReleasedElsewhere(ThreadState *T);
/// Whether \p Addr, in \p T's held stack, was unlocked by another thread
/// (for the watchdog, which reads other threads' states).
bool releasedElsewhere(const ThreadState *T, uintptr_t Addr);
/// Held[Index..) moved or changed: none of them is to be reused
/// (ThreadState::Reuse).
LG_ALWAYS_INLINE void forgetReuseFrom(ThreadState *T, uint32_t Index) {
  if (T->Reuse > Index)
    T->Reuse = Index;
}

/// Segments a thread has at most. A thread that starts or joins more
/// threads stays in its last segment and records no more orders (leaving
/// its later starts and joins unordered, which rules out less): each new
/// segment records the thread's lock pairs again, and a thread made per
/// request would otherwise make its creator's edges grow with the requests.
constexpr uint32_t MaxSegments = 256;

/// The thread's next segment, when it has one left (false otherwise): what
/// it records from now on is new, its edges, chain caches and call paths
/// keyed afresh (Salt).
bool beginSegment(ThreadState *T);

/// A thread start or join: segment \p FromSegment of thread \p FromThread
/// happened before segment \p ToSegment of thread \p ToThread.
struct ThreadOrderRecord {
  uint32_t FromThread, FromSegment, ToThread, ToSegment;
  bool Join; ///< a join (else a start)
};
void recordThreadOrder(const ThreadOrderRecord &O);
/// Every order recorded so far (those past the store's room are dropped:
/// their threads then count as unordered).
std::vector<ThreadOrderRecord> threadOrders();
/// A thread ends: its last segment, for the join that waits for it
/// (lg_interceptors_thread.cpp).
void rememberThreadEnd(ThreadState *T);
void resetThreadOrdersAfterFork();
/// Puts back a lock that dropHeld removed, as a new acquisition.
void reacquireAfterWait(ThreadState *T, const HeldLock &Saved, void *FP);
/// Wait nodes (lg_runtime.cpp). A wait on the condition variable at \p Cv
/// while other locks stay held (the released mutex already dropped):
/// held -> cv edges. \p Timed waits are recorded as try edges.
void recordCondWait(ThreadState *T, uintptr_t Cv, bool Timed, void *FP);
/// A signal or broadcast of \p Cv: cv -> L for every held lock and every
/// lock in the Recent ring (which it then empties).
void recordCondSignal(ThreadState *T, uintptr_t Cv, void *FP);
/// A join of a thread of class \p Node while holding locks: held -> Node.
/// \p DoneUnder: the lock under which the joined thread last notified a
/// condition variable without taking it again since (notifiedUnder), or 0.
void recordJoin(ThreadState *T, InstanceId Node, uintptr_t DoneUnder,
                void *FP);
/// The thread notifies a condition variable holding the lock at \p Addr
/// innermost: what a joiner waits for is announced under it. Until the
/// thread takes that lock again, its join slot says so (publishDoneUnder).
void notifiedUnder(ThreadState *T, uintptr_t Addr);
/// The thread took the lock it last notified under again: a later hold.
void reheldAfterNotify(ThreadState *T);
/// Sets the calling thread's join slot's DoneUnder (lg_interceptors_thread.cpp).
void publishDoneUnder(ThreadState *T, uintptr_t Addr);

/// Cheap timestamps for hold times: the CPU's cycle counter where there is
/// one (rdtsc, cntvct), else CLOCK_MONOTONIC_COARSE.
uint64_t slowTicks();
LG_ALWAYS_INLINE uint64_t heldTicks() {
#if defined(__x86_64__) || defined(__i386__)
  return __builtin_ia32_rdtsc();
#elif defined(__aarch64__)
  uint64_t V;
  asm volatile("mrs %0, cntvct_el0" : "=r"(V));
  return V;
#else
  return slowTicks();
#endif
}
/// Nanoseconds for a difference of heldTicks() values.
uint64_t ticksToNs(uint64_t Ticks);

/// Fatal signals (lg_interceptors_signal.cpp): installs the runtime's
/// handler for the fatal signals whose disposition is SIG_DFL.
void installFatalHandlers();
/// Ends the process with \p Status (without the report) if the exit report
/// has not finished within report_timeout seconds (a SIGALRM deadline).
void armExitDeadline(int Status);
/// Cancels it once the report is done (the process goes on exiting).
void disarmExitDeadline();

/// Destroy or re-init of the lock at \p Addr.
void lockRetired(ThreadState *T, uintptr_t Addr, bool Destroy, void *FP);
/// lockRetired from an init or destroy interposer whose frame is \p FP (a
/// no-op when the calling thread passes through).
LG_ALWAYS_INLINE void retireFromHook(uintptr_t Addr, bool Destroy, void *FP) {
  if (ThreadState *T = currentThread()) {
    RuntimeScope Scope(T);
    lockRetired(T, Addr, Destroy, FP);
  }
}

/// Blocking calls: called after the real call when the thread held a lock.
void reportBlocking(ThreadState *T, const char *Call, uint64_t StartNs,
                    void *FP, uintptr_t ExcludeAddr);
uint64_t nowNs();

/// Threads (lg_interceptors_thread.cpp / lg_runtime.cpp).
void startWatchdogOnce();
void forkPrepare();
void forkParent();
void forkChild();

//===----------------------------------------------------------------------===//
// Registry of threads (for the watchdog and the exit report)
//===----------------------------------------------------------------------===//
void lockRegistry();
void unlockRegistry();
ThreadState *allThreads();

//===----------------------------------------------------------------------===//
// Output (lg_report.cpp)
//===----------------------------------------------------------------------===//

/// Raw write of a string to the report stream (stderr or log_path).
void rawPrint(const char *S, size_t N);
void rawPrintf(const char *Fmt, ...) __attribute__((format(printf, 1, 2)));
/// Verbosity-gated rawPrintf.
#define LG_VREPORT(Level, ...)                                                 \
  do {                                                                         \
    if (::lockgraph::rt::GFlags.verbosity >= (Level))                          \
      ::lockgraph::rt::rawPrintf(__VA_ARGS__);                                 \
  } while (0)

/// Misuse reports, printed at once (deduplicated by site).
/// Around a blocking call made while holding locks (\p Start: its nowNs):
/// the thread publishes it for the watchdog's stall check, which reports a
/// thread blocked behind it for stall_seconds.
LG_ALWAYS_INLINE void enterBlocking(ThreadState *T, const char *Call,
                                    uint64_t Start, void *FP) {
  if (!GFlags.stall_seconds)
    return;
  T->BlockedCall = Call;
  T->BlockedNumPCs = fastUnwind(T, FP, T->BlockedPCs, MaxHeldPCs);
  T->BlockedSince.store(Start, std::memory_order_release);
}
LG_ALWAYS_INLINE void leaveBlocking(ThreadState *T) {
  T->BlockedSince.store(0, std::memory_order_relaxed);
}

enum class Misuse { UnlockUnheld, DoubleLock, DestroyHeld };
void reportMisuse(ThreadState *T, Misuse M, uintptr_t Addr, uint8_t Kind,
                  const uintptr_t *PCs, unsigned N);
/// A watchdog-confirmed real deadlock among \p Threads (each waits for a
/// lock held by the next).
void reportRealDeadlock(ThreadState **Threads, unsigned N);
/// A thread blocked behind a stalled holder: it has waited \p WaitedNs for
/// the lock the holder holds as its Held[HeldIndex].
struct StallWaiter {
  ThreadState *T;
  uint64_t WaitedNs;
  uint32_t HeldIndex;
};
constexpr unsigned MaxStallWaiters = 8;
/// A watchdog-confirmed stall: \p Holder has been in a blocking call
/// (BlockedSince) holding locks that the \p N \p Waiters wait for, the
/// first of them for stall_seconds.
void reportStall(ThreadState *Holder, const StallWaiter *Waiters, unsigned N);
/// The exit path: potential deadlocks, graph file, exit code.
void finalReport(bool Exiting);
/// The same before an exec replaces the process image (no exit code).
void reportBeforeExec();
/// Prints the findings captured by hooks since the last call (from the
/// watchdog and the exit path only).
void drainPendingReports();
/// Maps the capture ring (from the runtime's initialization).
void initReports();
/// Whether any finding was reported (for exitcode).
extern std::atomic<bool> GAnyFinding;

} // namespace lockgraph::rt

#endif // LOCKGRAPH_RT_INTERNAL_H
