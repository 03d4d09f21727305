//===- lg_interceptors_mutex.cpp - pthread mutex and spinlock ---------------===//
#include "lg_acquire.h"
#include "lg_real.h"

using namespace lockgraph::rt;

namespace {
/// The real functions of the two hottest hooks, in one line (a server's
/// next request finds its caches cold: lock_bench.py --instructions, shape
/// "cold").
struct alignas(16) RealMutexCalls {
  int (*Lock)(pthread_mutex_t *);
  int (*Unlock)(pthread_mutex_t *);
} RealMutex;
} // namespace

LG_DEFINE_REAL_AT(int, pthread_mutex_lock, (pthread_mutex_t *), RealMutex.Lock)
LG_DEFINE_REAL_AT(int, pthread_mutex_unlock, (pthread_mutex_t *),
                  RealMutex.Unlock)
LG_DEFINE_REAL(int, pthread_mutex_trylock, (pthread_mutex_t *))
LG_DEFINE_REAL(int, pthread_mutex_timedlock,
               (pthread_mutex_t *, const struct timespec *))
LG_DEFINE_REAL(int, pthread_mutex_clocklock,
               (pthread_mutex_t *, clockid_t, const struct timespec *))
LG_DEFINE_REAL(int, pthread_mutex_init,
               (pthread_mutex_t *, const pthread_mutexattr_t *))
LG_DEFINE_REAL(int, pthread_mutex_destroy, (pthread_mutex_t *))
LG_DEFINE_REAL(int, pthread_spin_lock, (pthread_spinlock_t *))
LG_DEFINE_REAL(int, pthread_spin_trylock, (pthread_spinlock_t *))
LG_DEFINE_REAL(int, pthread_spin_unlock, (pthread_spinlock_t *))
LG_DEFINE_REAL(int, pthread_spin_destroy, (pthread_spinlock_t *))

namespace {
/// pthread_mutex_lock past its fast path. The interposer jumps here, so
/// this frame is where the interposer's would be, and stacks are read below
/// the same frame address (which acquireMutexFast compares).
LG_NOINLINE int mutexLockRecorded(pthread_mutex_t *M) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_mutex_lock)(M);
  if (LG_UNLIKELY(T->RetireSeen != GLocks.retireEpoch())) {
    // A lock was retired somewhere: the fast path again once its entries
    // are known current (a thread that deletes a lock now and then does not
    // send every other thread's next acquisitions the whole way).
    revalidateFastMutexes(T);
    const uintptr_t Frame = reinterpret_cast<uintptr_t>(__builtin_frame_address(0));
    const FastLock Fast = acquireMutexFast(T, uintptr_t(M), Frame);
    if (Fast == FastLock::Taken ||
        (Fast == FastLock::DeepStack && finishMutexFast(T, Frame)))
      return LG_REAL(pthread_mutex_lock)(M);
  }
  // Only an acquisition that reuses its held entry marks it for the fast
  // path: one that fills it anew (a hashed lock, another outermost lock)
  // mostly comes from elsewhere than the next acquisition at its depth,
  // and where it does not, that next one reuses the entry and marks it.
  const uint32_t D = T->Depth;
  const bool Reuses = D < T->Reuse && T->Held[D].Addr == uintptr_t(M);
  const int R = acquireCall(T, uintptr_t(M),
                            [M](unsigned &F) { return mutexKind(M, F); },
                            ModeExclusive, 0, __builtin_frame_address(0),
                            [M] { return LG_REAL(pthread_mutex_lock)(M); });
  if (R == 0 && Reuses)
    noteFastMutex(T, M);
  return R;
}

/// pthread_mutex_unlock past its fast path (see mutexLockRecorded).
LG_NOINLINE int mutexUnlockRecorded(pthread_mutex_t *M) {
  if (ThreadState *T = currentThread())
    preRelease(T, uintptr_t(M), __builtin_frame_address(0),
               !mutexUnlockChecksOwner(M));
  return LG_REAL(pthread_mutex_unlock)(M);
}
} // namespace

// The two hottest interposers have no frame of their own (GCC's optimize
// attribute; other compilers keep the frame, which only costs time): they
// end in a jump to the real function or to the rest of the hook. Without a
// frame, the frame address the rest of the hook will have is the caller's
// stack pointer (the canonical frame address) less the return address and
// the saved frame pointer. Each starts a cache line, so that unrelated
// changes elsewhere do not move them across fetch blocks (which moved the
// microbench by 0.05x either way).
#if defined(__GNUC__) && !defined(__clang__)
#define LG_FRAMELESS __attribute__((optimize("omit-frame-pointer"), aligned(64)))
#else
#define LG_FRAMELESS
#endif

/// Where the interposers' frames would be (mutexLockRecorded's): the
/// caller's stack pointer less the return address and a saved frame pointer.
#define LG_INTERPOSER_FRAME()                                                  \
  (reinterpret_cast<uintptr_t>(__builtin_dwarf_cfa()) - 2 * sizeof(void *))

namespace {
/// pthread_mutex_lock's fast path for a stack deeper than QuickPCs PCs
/// (acquireMutexFast's DeepStack), reached by a jump: the same frame.
LG_NOINLINE LG_FRAMELESS int mutexLockDeepStack(pthread_mutex_t *M) {
  if (finishMutexFast(TLSState, LG_INTERPOSER_FRAME()))
    return lg_real_pthread_mutex_lock(M); // a jump
  return mutexLockRecorded(M); // a jump too
}
} // namespace

LG_INTERFACE LG_FRAMELESS int pthread_mutex_lock(pthread_mutex_t *M) {
  ThreadState *T = TLSState;
  const auto Real = lg_real_pthread_mutex_lock;
  if (LG_LIKELY(T && !T->InRuntime && Real)) {
    const FastLock Fast = acquireMutexFast(T, uintptr_t(M), LG_INTERPOSER_FRAME());
    if (LG_LIKELY(Fast == FastLock::Taken))
      return Real(M); // a jump
    if (Fast == FastLock::DeepStack)
      return mutexLockDeepStack(M); // a jump
  }
  return mutexLockRecorded(M); // a jump too
}

LG_INTERFACE LG_FRAMELESS int pthread_mutex_unlock(pthread_mutex_t *M) {
  ThreadState *T = TLSState;
  const auto Real = lg_real_pthread_mutex_unlock;
  if (LG_LIKELY(T && !T->InRuntime && Real) && releaseInnermost(T, uintptr_t(M)))
    return Real(M); // a jump
  return mutexUnlockRecorded(M);
}

LG_INTERFACE int pthread_mutex_trylock(pthread_mutex_t *M) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_mutex_trylock)(M);
  return acquireCall(T, uintptr_t(M),
                     [M](unsigned &F) { return mutexKind(M, F); },
                     ModeExclusive, AcqTry,
                     __builtin_frame_address(0),
                     [M] { return LG_REAL(pthread_mutex_trylock)(M); });
}

LG_INTERFACE int pthread_mutex_timedlock(pthread_mutex_t *M,
                                         const struct timespec *Abs) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_mutex_timedlock)(M, Abs);
  return acquireCall(T, uintptr_t(M),
                     [M](unsigned &F) { return mutexKind(M, F); },
                     ModeExclusive, AcqTimed,
                     __builtin_frame_address(0),
                     [=] { return LG_REAL(pthread_mutex_timedlock)(M, Abs); });
}

LG_INTERFACE int pthread_mutex_clocklock(pthread_mutex_t *M, clockid_t C,
                                         const struct timespec *Abs) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_mutex_clocklock)(M, C, Abs);
  return acquireCall(T, uintptr_t(M),
                     [M](unsigned &F) { return mutexKind(M, F); },
                     ModeExclusive, AcqTimed,
                     __builtin_frame_address(0), [=] {
                       return LG_REAL(pthread_mutex_clocklock)(M, C, Abs);
                     });
}

LG_INTERFACE int pthread_mutex_init(pthread_mutex_t *M,
                                    const pthread_mutexattr_t *A) {
  retireFromHook(uintptr_t(M), false, __builtin_frame_address(0));
  return LG_REAL(pthread_mutex_init)(M, A);
}

LG_INTERFACE int pthread_mutex_destroy(pthread_mutex_t *M) {
  retireFromHook(uintptr_t(M), true, __builtin_frame_address(0));
  return LG_REAL(pthread_mutex_destroy)(M);
}

LG_INTERFACE int pthread_spin_lock(pthread_spinlock_t *L) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_spin_lock)(L);
  return acquireCall(T, uintptr_t(L), [](unsigned &) { return KindSpinLock; },
                     ModeExclusive, 0,
                     __builtin_frame_address(0),
                     [L] { return LG_REAL(pthread_spin_lock)(L); });
}

LG_INTERFACE int pthread_spin_trylock(pthread_spinlock_t *L) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_spin_trylock)(L);
  return acquireCall(T, uintptr_t(L), [](unsigned &) { return KindSpinLock; },
                     ModeExclusive, AcqTry,
                     __builtin_frame_address(0),
                     [L] { return LG_REAL(pthread_spin_trylock)(L); });
}

LG_INTERFACE int pthread_spin_unlock(pthread_spinlock_t *L) {
  ThreadState *T = currentThread();
  if (T)
    preRelease(T, uintptr_t(L), __builtin_frame_address(0));
  return LG_REAL(pthread_spin_unlock)(L);
}

LG_INTERFACE int pthread_spin_destroy(pthread_spinlock_t *L) {
  retireFromHook(uintptr_t(L), true, __builtin_frame_address(0));
  return LG_REAL(pthread_spin_destroy)(L);
}
