//===- lg_acquire.h - The shape every lock interposer shares ----*- C++ -*-===//
#ifndef LOCKGRAPH_RT_ACQUIRE_H
#define LOCKGRAPH_RT_ACQUIRE_H

#include "lg_internal.h"

namespace lockgraph::rt {

/// Whether an acquisition call that returned \p R holds the lock now: 0, or
/// EOWNERDEAD from a robust mutex whose owner died (the caller owns it and is
/// to make it consistent).
LG_ALWAYS_INLINE bool acquired(int R) { return R == 0 || R == EOWNERDEAD; }

template <typename KindFn, typename RealFn>
int acquireCall(ThreadState *T, uintptr_t Addr, KindFn GetKind, uint8_t Mode,
                unsigned AcqFlags, void *FP, RealFn Real);

/// Where \p Addr is in the thread's held locks, or T->Depth when it is not.
LG_ALWAYS_INLINE uint32_t heldIndex(const ThreadState *T, uintptr_t Addr) {
  uint32_t I = 0;
  while (I < T->Depth && T->Held[I].Addr != Addr)
    ++I;
  return I;
}

template <typename KindFn, typename RealFn>
LG_NOINLINE int relockCall(ThreadState *T, uint32_t Index, KindFn GetKind,
                           uint8_t Mode, unsigned AcqFlags, void *FP,
                           RealFn Real) {
  // Not a relock when another thread unlocked it meanwhile.
  const uintptr_t Addr = T->Held[Index].Addr;
  if (dropReleasedElsewhere(T)) {
    Index = heldIndex(T, Addr);
    if (Index == T->Depth)
      return acquireCall(T, Addr, GetKind, Mode, AcqFlags, FP, Real);
  }
  uint8_t Kind = GetKind(AcqFlags);
  bool Counted = handleRelock(T, Index, Kind, Mode, AcqFlags, FP);
  int R = Real();
  if (acquired(R) && Counted && Index < T->Depth)
    ++T->Held[Index].Recursion;
  return R;
}

/// Marks the thread as inside the runtime for the whole acquisition (the
/// real call included): a signal handler that locks in the middle must not
/// overwrite the pending Held[Depth] entry, so its locks pass through.
struct AcquireGuard {
  ThreadState *T;
  LG_ALWAYS_INLINE explicit AcquireGuard(ThreadState *T) : T(T) {
    ++T->InRuntime;
  }
  LG_ALWAYS_INLINE ~AcquireGuard() { --T->InRuntime; }
};

/// How many of a held entry's PCs are compared without a loop
/// (HeldLock::PCs[0], PCs[1]); code without frame pointers has at most these.
constexpr unsigned QuickPCs = 2;

/// Whether the stack below \p Frame holds \p N's first QuickPCs PCs where
/// they were read.
LG_ALWAYS_INLINE bool sameQuickHeldStack(const HeldLock &N, uintptr_t Frame) {
  const auto Word = [Frame](uint32_t Slot) {
    return *reinterpret_cast<const uintptr_t *>(Frame + Slot);
  };
  if (LG_LIKELY(N.QuickSlot1))
    return Word(8) == N.PCs[0] && Word(N.QuickSlot1) == N.PCs[1];
  return Word(N.Slot[0]) == N.PCs[0] && Word(N.Slot[1]) == N.PCs[1];
}

/// sameQuickHeldStack for an entry FastMutex marks, reading only its first
/// line: PCs[0] is the interposer's return address (Slot[0] is 8) and Slot[1]
/// is QuickSlot1. Neither stack load waits for a load of a slot, so they
/// overlap the entry's.
LG_ALWAYS_INLINE bool sameFastHeldStack(const HeldLock &N, uintptr_t Frame) {
  return *reinterpret_cast<const uintptr_t *>(Frame + 8) == N.PCs[0] &&
         *reinterpret_cast<const uintptr_t *>(Frame + N.QuickSlot1) == N.PCs[1];
}

/// Whether the stack below \p Frame holds \p N's PCs past QuickPCs where
/// they were read.
bool sameDeepHeldStack(const HeldLock &N, uintptr_t Frame);

/// Whether the stack below \p Frame still holds all of \p N's PCs where they
/// were read: all of them, since a method called from two lines of one
/// function differs from its other calls only in the PC past its own lock
/// wrappers, at the same stack depth.
LG_ALWAYS_INLINE bool sameHeldStack(const HeldLock &N, uintptr_t Frame) {
  return sameQuickHeldStack(N, Frame) &&
         (N.NumPCs <= QuickPCs || sameDeepHeldStack(N, Frame));
}

/// The stack of the acquisition whose held entry is \p N. The entry holds
/// the stack of the last acquisition at its depth; from the same frame,
/// with the same return addresses in the same stack slots, it is the same
/// call chain (StackMemo's reasoning), and summing them costs less than a
/// walk along the frame pointers.
LG_ALWAYS_INLINE void captureHeldStack(ThreadState *T, HeldLock &N, void *FP) {
  const uintptr_t Frame = reinterpret_cast<uintptr_t>(FP);
  if (LG_LIKELY(N.StackFrame == Frame && Frame && sameHeldStack(N, Frame)))
    return;
  recaptureHeldStack(T, N, FP);
}

/// The real acquisition, announced to the watchdog when it may wait.
template <typename RealFn>
LG_ALWAYS_INLINE int watchedAcquire(ThreadState *T, unsigned AcqFlags,
                                    RealFn Real) {
  const bool Wait = !(AcqFlags & (AcqTry | AcqTimed | AcqNoWait));
  if (Wait)
    T->Waiting.store(uint64_t(++T->WaitCounter) | uint64_t(1) << 32,
                     std::memory_order_release);
  int R = Real();
  if (Wait)
    T->Waiting.store(0, std::memory_order_relaxed);
  return R;
}

/// The held stack gains Held[Now] (its Ticks written).
LG_ALWAYS_INLINE void pushHeld(ThreadState *T, uint32_t Now) {
  const HeldLock &Acq = T->Held[Now];
  if (Now == 0 && LG_UNLIKELY(T->LastOuter != outerKey(Acq)))
    noteOuterLock(T);
  T->HeldXor ^= Acq.Hash;
  T->Depth = Now + 1;
}

/// How many of the innermost held locks a call path takes in.
constexpr uint32_t PathHeldLocks = 8;

/// The held entries a call path takes in: the innermost PathHeldLocks of
/// Held[0..End), from the returned one up to Held + End.
LG_ALWAYS_INLINE const HeldLock *pathWindow(const ThreadState *T,
                                            uint32_t End) {
  return T->Held + (End > PathHeldLocks ? End - PathHeldLocks : 0);
}

/// The acquisition stacks (and modes) of the pathWindow of Held[0..End),
/// hashed: what a call path takes in of the held locks.
LG_ALWAYS_INLINE uint32_t heldPathHash(const ThreadState *T, uint32_t End) {
  uint32_t P = 0;
  for (const HeldLock *H = pathWindow(T, End), *E = T->Held + End; H != E; ++H)
    P ^= (H->PathHash + H->Mode) * 0x9E3779B1u;
  return P;
}

/// The call path of the acquisition whose entry is Held[D]: the
/// acquisition stacks of the innermost PathHeldLocks held locks and its
/// own, with its depth, mode and try flag (PathCounts), salted with the
/// thread (a recycled thread state keeps its counts, which must not apply
/// to the new thread). Never 0. Bounded, so that a thread holding thousands
/// of locks does not pay for each of them on every acquisition.
LG_ALWAYS_INLINE uint32_t callPath(const ThreadState *T, uint32_t D,
                                   unsigned AcqFlags) {
  const HeldLock &N = T->Held[D];
  uint32_t P = (N.PathHash + uint32_t(T->Salt >> 32)) * 31u + N.Mode * 2u +
               (AcqFlags & AcqTry) + D * 0x85EBCA6Bu;
  return (P ^ heldPathHash(T, D)) | 1;
}

/// Whether what is about to be recorded along the full path \p P, whose
/// newest lock (or condition variable) is instance \p Newest, is sampled
/// out: nothing in it was created since the path filled up (or since its
/// last refresh; PathCounts), or the path has recorded its share of new
/// locks.
LG_ALWAYS_INLINE bool sampledOut(PathCounts::Entry &P, InstanceId Newest) {
  if (++P.Sampled >= PathCounts::RefreshEvery) {
    P.Sampled = 0;
    P.OldBelow = GLocks.newestInstance() + 1;
  }
  if (Newest < P.OldBelow || !P.NewLeft)
    return true;
  --P.NewLeft;
  return false;
}

/// The newest instance among \p Also (what is being acquired, waited on or
/// signalled) and the held locks its call path takes in (pathWindow).
LG_ALWAYS_INLINE InstanceId newestOnPath(const ThreadState *T, uint32_t End,
                                         InstanceId Also) {
  InstanceId Newest = Also;
  for (const HeldLock *H = pathWindow(T, End), *E = T->Held + End; H != E; ++H)
    Newest = H->Inst > Newest ? H->Inst : Newest;
  return Newest;
}

template <typename KindFn, typename RealFn>
LG_NOINLINE int acquireRecording(ThreadState *T, uintptr_t Addr,
                                 KindFn GetKind, uint8_t Mode,
                                 unsigned AcqFlags, void *FP, RealFn Real);

template <typename KindFn, typename RealFn>
LG_NOINLINE int acquireOutermost(ThreadState *T, uintptr_t Addr,
                                 KindFn GetKind, uint8_t Mode,
                                 unsigned AcqFlags, void *FP, RealFn Real);

/// Runs \p Real (the real acquisition, returning 0 on success) with the
/// bookkeeping around it. \p GetKind(Flags) reads the lock's kind from the
/// lock itself (and may add AcqErrorCheck to Flags); it is only called on
/// cold paths, because touching the lock's cache line before the real call
/// costs a coherence miss under contention. \p FP is the interposer's own
/// frame, where stacks start.
///
/// Everything but the push runs before the real call, outside the critical
/// section of this lock (though inside those of the locks held).
template <typename KindFn, typename RealFn>
LG_ALWAYS_INLINE int acquireCall(ThreadState *T, uintptr_t Addr,
                                 KindFn GetKind, uint8_t Mode,
                                 unsigned AcqFlags, void *FP, RealFn Real) {
  AcquireGuard Guard(T);
  const uint32_t D = T->Depth;
  // The lock this thread acquired at this depth last time, under the same
  // held locks, in the same way, and not retired since (LockTable::
  // isCurrent): its edges are recorded, so it only needs its stack. Loops
  // that take the same locks in the same order (most lock traffic) skip the
  // chain cache and the relock check.
  if (LG_LIKELY(D < T->Reuse)) {
    HeldLock &N = T->Held[D];
    if (LG_LIKELY(N.Addr == Addr && N.Mode == Mode &&
                  N.Try == (AcqFlags & AcqTry) &&
                  GLocks.isCurrent(Addr, N.Inst))) {
      captureHeldStack(T, N, FP);
      // A new hold: if the lock was held when the thread last notified,
      // that is no longer its last hold.
      if (LG_UNLIKELY(N.HoldMarks & HeldLock::NotifiedUnder))
        reheldAfterNotify(T);
      N.HoldMarks = 0;
      int R = watchedAcquire(T, AcqFlags, Real);
      if (LG_LIKELY(acquired(R))) {
        // Hold times for blocking-call reports (hold_time=0 skips them).
        if (LG_UNLIKELY(GFlags.hold_time))
          N.Ticks = heldTicks();
        pushHeld(T, D);
      }
      return R;
    }
  }
  // With no lock held, straight to its own path: one frame fewer to set up
  // for each outermost lock that changes (a hashed item lock per request).
  if (D == 0) {
    T->Reuse = 0;
    return acquireOutermost(T, Addr, GetKind, Mode, AcqFlags, FP, Real);
  }
  return acquireRecording(T, Addr, GetKind, Mode, AcqFlags, FP, Real);
}

/// The key of an acquisition of the lock at \p Addr under the thread's held
/// locks in its AddressChainMemo: the held set, the address, mode and try
/// flag. Never 0.
LG_ALWAYS_INLINE uint64_t addressChainKey(const ThreadState *T, uintptr_t Addr,
                                          uint8_t Mode, uint8_t Try) {
  return ((T->HeldXor ^ T->Salt) + Addr * 0x9E3779B97F4A7C15ULL + Mode * 2u +
          Try) *
             0xD6E8FEB86659FD93ULL |
         1;
}

/// Remembers that the chain of Held[D] (the held locks below it, its
/// address and instance) is recorded.
LG_ALWAYS_INLINE void rememberChain(ThreadState *T, uint32_t D) {
  const HeldLock &N = T->Held[D];
  const uint64_t Key = addressChainKey(T, N.Addr, N.Mode, N.Try);
  T->AddrChains.of(Key) = {Key, N.Inst};
}

/// The current instance of the lock at \p Addr, created (its kind read by
/// \p GetKind) when it has none, and its table slot's mark (LockTable::
/// lookupFast); 0 when the table is full. \p FirstAtAddress, when given,
/// says whether this call created the first instance the address ever had.
template <typename KindFn>
LG_ALWAYS_INLINE InstanceId currentInstance(ThreadState *T, uintptr_t Addr,
                                            KindFn GetKind, void *FP,
                                            std::atomic<uint32_t> *&Mark,
                                            bool *FirstAtAddress = nullptr) {
  InstanceId Inst = GLocks.lookupFast(Addr, Mark);
  if (FirstAtAddress)
    *FirstAtAddress = false;
  if (LG_UNLIKELY(Inst == 0)) {
    unsigned Unused = 0;
    Inst = newInstance(T, Addr, GetKind(Unused), FP, FirstAtAddress);
    if (Inst)
      GLocks.lookupFast(Addr, Mark);
  }
  return Inst;
}

/// acquireCall's path with no lock held: no relock and no lock pair, only
/// thread:X -> this lock (wait nodes), recorded once per class. Nothing
/// needs the lock's instance before the lock is held (the watchdog knows a
/// waiter's lock by its address), so its table line, a miss for programs
/// that hash requests over thousands of locks (memcached's item locks), is
/// read after the real call. Not prefetched before it: after a system call
/// the line's page is mostly missing from the TLB too, and the prefetch's
/// page walk held up the lock call's locked instruction (memcached, perf:
/// the runtime's share of its CPU samples 3.1-3.3% with the prefetch,
/// 2.6-2.8% without; the microbenchmark's shapes, whose TLB stays warm,
/// within noise either way).
template <typename KindFn, typename RealFn>
LG_NOINLINE int acquireOutermost(ThreadState *T, uintptr_t Addr,
                                 KindFn GetKind, uint8_t Mode,
                                 unsigned AcqFlags, void *FP, RealFn Real) {
  HeldLock &N = T->Held[0];
  if (LG_UNLIKELY(T->NotifyPending) && Addr == T->NotifiedUnder)
    reheldAfterNotify(T);
  N.Addr = Addr;
  N.FastMutex = 0;
  N.HoldMarks = 0;
  N.Mode = Mode;
  N.Try = uint8_t(AcqFlags & AcqTry);
  N.Recursion = 0;
  N.SampledOut = 0;
  captureHeldStack(T, N, FP);
  const int R = watchedAcquire(T, AcqFlags, Real);
  if (LG_UNLIKELY(!acquired(R)))
    return R;
  std::atomic<uint32_t> *Mark;
  const InstanceId Inst = currentInstance(T, Addr, GetKind, FP, Mark);
  if (LG_UNLIKELY(Inst == 0))
    return R; // the table is full: the lock is not tracked
  N.Inst = Inst;
  N.Hash = heldHash(Inst, Mode);
  bool Recorded = true;
  if (N.Try && LG_UNLIKELY(T->TryChainsLeft == 0)) {
    ++T->TryUnrecorded;
    Recorded = false;
  } else if (T->ThreadNodeHash) {
    // The lock's slot remembers the last class that recorded it, so the
    // threads of one class skip even the cache lookup.
    const uint64_t Chain =
        ((T->ThreadNodeHash + N.Hash) * 0xD6E8FEB86659FD93ULL + N.Try) | 1;
    if (!(Mark && Mark->load(std::memory_order_relaxed) ==
                      threadEdgeMark(Chain))) {
      // Sampled along its call path as lock pairs are (nng's task threads
      // take a new lock per message outermost). The path before the chain
      // cache: along a full one (memcached's hashed item locks) the cache
      // would mostly miss, and a miss scans a whole set.
      const uint32_t PathLimit = uint32_t(GFlags.max_edges_per_path);
      const uint32_t Path = PathLimit ? callPath(T, 0, AcqFlags) : 0;
      PathCounts::Entry *Full = Path ? T->Paths.full(Path, PathLimit) : nullptr;
      if (Full && sampledOut(*Full, Inst)) {
        ++T->PathUnrecorded;
        Recorded = false;
      } else if (!T->Cache.contains(Chain)) {
        T->Cache.insert(Chain);
        if (Path)
          T->Paths.count(Path, PathLimit, GLocks.newestInstance());
        recordEdges(T, AcqFlags, FP);
        if (Mark)
          Mark->store(threadEdgeMark(Chain), std::memory_order_relaxed);
      }
    }
  }
  if (LG_UNLIKELY(GFlags.hold_time))
    N.Ticks = heldTicks();
  pushHeld(T, 0);
  if (Recorded && T->Reuse == 0)
    T->Reuse = 1;
  return R;
}

/// What acquireMutexFast found.
enum class FastLock {
  No,       ///< the fast path does not apply: nothing changed
  Taken,    ///< pushed: make the real call
  DeepStack ///< pushed, its stack's PCs past QuickPCs still to compare
};

/// pthread_mutex_lock's fast path: the mutex this thread acquired at this
/// depth last time, under the same held locks, from the same call chain
/// (acquireCall's reuse, with FastMutex), is pushed on the held stack
/// before the real call, which the interposer then makes as a jump. Its
/// result is not needed, because that lock call cannot fail
/// (mutexLockCannotFail); whether it has returned is the mutex's owner
/// field (mutexOwner), which the watchdog and the thread's next hook read
/// instead of a store of ours. An interposer that looks at the result
/// needs a call and a frame of its own, which cost ~0.3x of native on a
/// lock and unlock here; a jump costs ~0.05x (bench/runtime/hook_budget.c).
/// \p Frame is where the interposer's frame would be (mutexLockRecorded's).
/// A stack of more than QuickPCs PCs (code with frame pointers) is left to
/// finishMutexFast, which the interposer reaches by a jump too: a loop
/// here would make every call save registers.
LG_ALWAYS_INLINE FastLock acquireMutexFast(ThreadState *T, uintptr_t Addr,
                                           uintptr_t Frame) {
  const uint32_t D = T->Depth;
  if (D >= T->Reuse)
    return FastLock::No;
  // Pushed before Held[D] is read: a signal handler that locks while it is
  // read puts its locks above it instead of rewriting it under the reads
  // (whose stack slots would then be another frame's). One that ran before
  // left it whole, for another lock or frame, which the checks see. (For
  // the few instructions until a failed check pops it again, a handler's
  // hooks take Held[D] as held: a mutex there is seen not to be the
  // thread's yet (pushedMutexPending); checking its address first, to skip
  // that, cost 0.1x.)
  T->Depth = D + 1;
  std::atomic_signal_fence(std::memory_order_seq_cst);
  const HeldLock &N = T->Held[D];
  if (LG_LIKELY(N.Addr == Addr && N.FastMutex && N.StackFrame == Frame &&
                T->RetireSeen == GLocks.retireEpoch() &&
                sameFastHeldStack(N, Frame) &&
                (D != 0 || T->LastOuter == outerKey(N)))) {
    if (LG_UNLIKELY(N.NumPCs > QuickPCs))
      return FastLock::DeepStack;
    T->HeldXor ^= N.Hash;
    return FastLock::Taken;
  }
  std::atomic_signal_fence(std::memory_order_seq_cst);
  T->Depth = D;
  return FastLock::No;
}

/// acquireMutexFast's DeepStack: true when the rest of the stack is the same
/// (the push stands), else false with the push undone.
LG_ALWAYS_INLINE bool finishMutexFast(ThreadState *T, uintptr_t Frame) {
  const uint32_t D = T->Depth - 1;
  const HeldLock &N = T->Held[D];
  if (LG_LIKELY(sameDeepHeldStack(N, Frame))) {
    T->HeldXor ^= N.Hash;
    return true;
  }
  std::atomic_signal_fence(std::memory_order_seq_cst);
  T->Depth = D;
  return false;
}

/// Whether a pthread_mutex_lock call on \p M always acquires it (or hangs)
/// and leaves glibc's owner field set to the caller, which is what
/// acquireMutexFast relies on: not an error-checking mutex (EDEADLK), a
/// robust one (EOWNERDEAD), a priority-inheritance or -protected one, nor
/// one that lock elision took without an owner.
LG_ALWAYS_INLINE bool mutexLockCannotFail(const pthread_mutex_t *M) {
  // glibc's internal __kind bits (pthreadP.h): type in the low 2 bits,
  // robust 16, priority inheritance 32, protection 64, elision 256.
  const int Kind = M->__data.__kind;
  return (Kind & 3) != 2 && !(Kind & (16 | 32 | 64 | 256));
}

/// Whether unlocking mutex \p M from a thread that does not own it fails
/// (EPERM) instead of unlocking it: error-checking and recursive mutexes,
/// and robust, priority-inheritance and -protected ones (glibc's __kind
/// bits, see mutexLockCannotFail).
LG_ALWAYS_INLINE bool mutexUnlockChecksOwner(const pthread_mutex_t *M) {
  const int Kind = M->__data.__kind;
  return (Kind & 3) == 1 || (Kind & 3) == 2 || (Kind & (16 | 32 | 64));
}

/// Once a lock was retired anywhere since the thread last looked (its
/// RetireSeen is behind GLocks.retireEpoch(), which acquireMutexFast
/// compares): entries whose lock's own bucket counts a retirement since they
/// were acquired lose FastMutex, since a new lock may now live at that
/// address.
void revalidateFastMutexes(ThreadState *T);

/// After an acquisition of mutex \p M that reused its held entry but not
/// by the fast path: whether the next one from the same place may take
/// acquireMutexFast.
LG_ALWAYS_INLINE void noteFastMutex(ThreadState *T, const pthread_mutex_t *M) {
  const uint32_t D = T->Depth;
  if (D && T->Held[D - 1].Addr == uintptr_t(M))
    T->Held[D - 1].FastMutex = !GFlags.hold_time && T->Held[D - 1].StackFrame &&
                               T->Held[D - 1].QuickSlot1 &&
                               mutexLockCannotFail(M);
}

/// acquireCall's other path: the lock's instance, the relock check, the
/// held entry, and the per-thread cache lookup of the held set + new lock
/// (lockdep's chain-hash idea); only a new held set records its edges,
/// after the real call succeeded.
template <typename KindFn, typename RealFn>
LG_NOINLINE int acquireRecording(ThreadState *T, uintptr_t Addr,
                                 KindFn GetKind, uint8_t Mode,
                                 unsigned AcqFlags, void *FP, RealFn Real) {
  const uint32_t D = T->Depth; // at least 1 (acquireCall)
  const uint8_t Try = uint8_t(AcqFlags & AcqTry);
  if (LG_UNLIKELY(T->NotifyPending) && Addr == T->NotifiedUnder)
    reheldAfterNotify(T);
  // Whatever happens below, the entries from D up describe other held sets.
  forgetReuseFrom(T, D);
  // Cap is never below InlineHeld: most threads never load it (it is
  // in the thread state's second line, which a request would not need).
  if (LG_UNLIKELY(D + 1 >= InlineHeld) && D + 1 >= T->Cap && !growHeld(T))
    return Real();
  HeldLock &N = T->Held[D];
  // Under other locks, a chain this thread found recorded, known by the
  // lock's address while its instance is current: nothing to look up or
  // record (a relock never enters the memo). Not looked at where
  // the last acquisition at this depth was sampled out: along a full path
  // (memcached's item -> LRU locks) it would only miss.
  if (!N.SampledOut) {
    const uint64_t Key = addressChainKey(T, Addr, Mode, Try);
    const AddressChainMemo::Entry &Known = T->AddrChains.of(Key);
    if (Known.Key == Key && GLocks.isCurrent(Addr, Known.Inst)) {
      N.Addr = Addr;
      N.FastMutex = 0;
      N.HoldMarks = 0;
      N.Inst = Known.Inst;
      N.Mode = Mode;
      N.Try = Try;
      N.Recursion = 0;
      N.Hash = heldHash(Known.Inst, Mode);
      captureHeldStack(T, N, FP);
      int R = watchedAcquire(T, AcqFlags, Real);
      if (LG_LIKELY(acquired(R))) {
        if (LG_UNLIKELY(GFlags.hold_time))
          N.Ticks = heldTicks();
        pushHeld(T, D);
        if (T->Reuse == D)
          T->Reuse = D + 1;
      }
      return R;
    }
  }
  std::atomic<uint32_t> *Mark;
  bool FirstAtAddress;
  const InstanceId Inst =
      currentInstance(T, Addr, GetKind, FP, Mark, &FirstAtAddress);
  if (LG_UNLIKELY(Inst == 0))
    return Real();
  // Where this thread holds Addr already (a relock), or D. The first lock
  // at its address was never acquired before, so it is held nowhere: a
  // thread taking thousands of new locks at once does not scan its held
  // stack for each (100,000 of them took 7 s). After a retirement the
  // address may still be held, by the instance retired (freed or destroyed
  // while held).
  const auto HeldAt = [&] { return FirstAtAddress ? D : heldIndex(T, Addr); };
  N.Addr = Addr;
  N.FastMutex = 0;
  N.HoldMarks = 0;
  N.Inst = Inst;
  N.Mode = Mode;
  N.Try = Try;
  N.Recursion = 0;
  N.SampledOut = 0;
  N.Hash = heldHash(Inst, Mode);
  captureHeldStack(T, N, FP);
  uint64_t Chain = 0;
  bool Recorded = true;
  uint32_t Path = 0;
  const uint32_t PathLimit = uint32_t(GFlags.max_edges_per_path);
  if (Try && LG_UNLIKELY(T->TryChainsLeft == 0)) {
    ++T->TryUnrecorded;
    Recorded = false;
    if (uint32_t I = HeldAt(); I != D)
      return relockCall(T, I, GetKind, Mode, AcqFlags, FP, Real);
  } else {
    Path = PathLimit ? callPath(T, D, AcqFlags) : 0;
    PathCounts::Entry *Full = Path ? T->Paths.full(Path, PathLimit) : nullptr;
    if (LG_UNLIKELY(Full != nullptr) && sampledOut(*Full, newestOnPath(T, D, N.Inst))) {
      ++T->PathUnrecorded;
      N.SampledOut = 1;
      Recorded = false;
      if (uint32_t I = HeldAt(); I != D)
        return relockCall(T, I, GetKind, Mode, AcqFlags, FP, Real);
    } else {
      // The held set (an XOR of hashes), the new lock and the try flag.
      Chain = ((T->HeldXor ^ T->Salt) + N.Hash * 31 + (AcqFlags & AcqTry)) *
                  0xD6E8FEB86659FD93ULL |
              1;
      // A held set seen with this lock before did not hold it (a relock
      // never enters the cache), so only a new one is searched for a relock.
      // The memo takes only chains the cache has, so the same goes for it.
      if (LG_LIKELY(T->Cache.contains(Chain))) {
        Chain = 0;
        rememberChain(T, D);
      } else if (uint32_t I = HeldAt(); LG_UNLIKELY(I != D)) {
        return relockCall(T, I, GetKind, Mode, AcqFlags, FP, Real);
      }
    }
  }
  int R = watchedAcquire(T, AcqFlags, Real);
  if (LG_LIKELY(acquired(R))) {
    uint32_t Now = D;
    if (LG_UNLIKELY(Chain != 0)) {
      T->Cache.insert(Chain);
      if (Path && PathLimit)
        T->Paths.count(Path, PathLimit, GLocks.newestInstance());
      // May drop locks another thread unlocked: Held[D] moves down.
      recordEdges(T, AcqFlags, FP);
      Now = T->Depth;
      // Under the same held set (none dropped meanwhile), now recorded.
      if (Now == D)
        rememberChain(T, D);
    }
    // Hold times for blocking-call reports (hold_time=0 skips them).
    if (LG_UNLIKELY(GFlags.hold_time))
      T->Held[Now].Ticks = heldTicks();
    pushHeld(T, Now);
    // Held[0..D) had their edges recorded under their prefixes (not so in a
    // fork child, or when locks were dropped meanwhile), and now Held[D].
    if (Recorded && Now == D && T->Reuse == D)
      T->Reuse = D + 1;
  }
  return R;
}

/// Release bookkeeping of the innermost held lock, when it is \p Addr and
/// not held recursively (the common case): true.
LG_ALWAYS_INLINE bool releaseInnermost(ThreadState *T, uintptr_t Addr) {
  const uint32_t D = T->Depth;
  if (LG_UNLIKELY(D == 0))
    return false;
  HeldLock &H = T->Held[D - 1];
  if (LG_UNLIKELY(H.Addr != Addr || H.Recursion != 0))
    return false;
  T->HeldXor ^= H.Hash;
  T->Depth = D - 1;
  return true;
}

/// Release bookkeeping, before the real unlock. The innermost lock is the
/// common case; anything else goes to releaseSlow.
LG_ALWAYS_INLINE void preRelease(ThreadState *T, uintptr_t Addr, void *FP,
                                 bool ForeignUnlockReleases = true) {
  if (LG_UNLIKELY(!releaseInnermost(T, Addr)))
    releaseSlow(T, Addr, FP, ForeignUnlockReleases);
}

/// Kind of a pthread mutex from glibc's own field (PTHREAD_MUTEX_KIND_MASK_NP
/// is 3: 0 normal, 1 recursive, 2 errorcheck, 3 adaptive).
LG_ALWAYS_INLINE uint8_t mutexKind(const pthread_mutex_t *M, unsigned &Flags) {
  // glibc's internal field; not part of the API but stable for years.
  switch (M->__data.__kind & 3) {
  case 1:
    return KindRecursiveMutex;
  case 2:
    Flags |= AcqErrorCheck;
    return KindMutex;
  default:
    return KindMutex;
  }
}

/// A condition-variable wait on mutex \p M, modelled as a release of \p M,
/// the wait (a blocking call when other locks stay held), and a
/// re-acquisition of \p M.
/// Other locks still held make a held -> cv edge (\p Timed: a try edge).
/// The re-acquisition of a condition-variable wait's mutex, also when the
/// thread is cancelled in the wait: glibc relocks the mutex before the
/// forced unwind runs the cancellation cleanup handlers (which unlock it),
/// and the unwind runs this destructor.
struct ReacquireAfterWait {
  ThreadState *T;
  HeldLock Saved;
  bool Had;
  void *FP;
  ~ReacquireAfterWait() {
    leaveBlocking(T); // also when a cancellation unwinds the wait
    if (Had)
      reacquireAfterWait(T, Saved, FP);
  }
};

template <typename RealFn>
LG_ALWAYS_INLINE int condWait(ThreadState *T, uintptr_t Cv, uintptr_t M,
                              bool Timed, const char *Call, void *FP,
                              RealFn Real) {
  ReacquireAfterWait Reacquire{T, {}, false, FP};
  Reacquire.Had = dropHeld(T, M, &Reacquire.Saved);
  if (T->Depth)
    recordCondWait(T, Cv, Timed, FP);
  uint64_t Start = (T->Depth && GFlags.detect_blocking) ? nowNs() : 0;
  if (Start)
    enterBlocking(T, Call, Start, FP);
  int R = Real();
  if (Start) {
    leaveBlocking(T);
    reportBlocking(T, Call, Start, FP, 0);
  }
  return R;
}

} // namespace lockgraph::rt

#endif // LOCKGRAPH_RT_ACQUIRE_H
