//===- lg_interceptors_mutex.cpp - pthread mutex and spinlock ---------------===//
#include "lg_acquire.h"
#include "lg_real.h"

using namespace lockgraph::rt;

LG_DEFINE_REAL(int, pthread_mutex_lock, (pthread_mutex_t *))
LG_DEFINE_REAL(int, pthread_mutex_trylock, (pthread_mutex_t *))
LG_DEFINE_REAL(int, pthread_mutex_timedlock,
               (pthread_mutex_t *, const struct timespec *))
LG_DEFINE_REAL(int, pthread_mutex_clocklock,
               (pthread_mutex_t *, clockid_t, const struct timespec *))
LG_DEFINE_REAL(int, pthread_mutex_unlock, (pthread_mutex_t *))
LG_DEFINE_REAL(int, pthread_mutex_init,
               (pthread_mutex_t *, const pthread_mutexattr_t *))
LG_DEFINE_REAL(int, pthread_mutex_destroy, (pthread_mutex_t *))
LG_DEFINE_REAL(int, pthread_spin_lock, (pthread_spinlock_t *))
LG_DEFINE_REAL(int, pthread_spin_trylock, (pthread_spinlock_t *))
LG_DEFINE_REAL(int, pthread_spin_unlock, (pthread_spinlock_t *))
LG_DEFINE_REAL(int, pthread_spin_destroy, (pthread_spinlock_t *))

LG_INTERFACE int pthread_mutex_lock(pthread_mutex_t *M) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_mutex_lock)(M);
  return acquireCall(T, uintptr_t(M),
                     [M](unsigned &F) { return mutexKind(M, F); },
                     ModeExclusive, 0,
                     __builtin_frame_address(0),
                     [M] { return LG_REAL(pthread_mutex_lock)(M); });
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

LG_INTERFACE int pthread_mutex_unlock(pthread_mutex_t *M) {
  ThreadState *T = currentThread();
  if (T)
    preRelease(T, uintptr_t(M), __builtin_frame_address(0));
  return LG_REAL(pthread_mutex_unlock)(M);
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
