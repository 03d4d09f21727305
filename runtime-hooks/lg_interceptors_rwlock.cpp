//===- lg_interceptors_rwlock.cpp - pthread rwlock --------------------------===//
#include "lg_acquire.h"
#include "lg_real.h"

using namespace lockgraph::rt;

LG_DEFINE_REAL(int, pthread_rwlock_rdlock, (pthread_rwlock_t *))
LG_DEFINE_REAL(int, pthread_rwlock_wrlock, (pthread_rwlock_t *))
LG_DEFINE_REAL(int, pthread_rwlock_tryrdlock, (pthread_rwlock_t *))
LG_DEFINE_REAL(int, pthread_rwlock_trywrlock, (pthread_rwlock_t *))
LG_DEFINE_REAL(int, pthread_rwlock_timedrdlock,
               (pthread_rwlock_t *, const struct timespec *))
LG_DEFINE_REAL(int, pthread_rwlock_timedwrlock,
               (pthread_rwlock_t *, const struct timespec *))
LG_DEFINE_REAL(int, pthread_rwlock_clockrdlock,
               (pthread_rwlock_t *, clockid_t, const struct timespec *))
LG_DEFINE_REAL(int, pthread_rwlock_clockwrlock,
               (pthread_rwlock_t *, clockid_t, const struct timespec *))
LG_DEFINE_REAL(int, pthread_rwlock_unlock, (pthread_rwlock_t *))
LG_DEFINE_REAL(int, pthread_rwlock_init,
               (pthread_rwlock_t *, const pthread_rwlockattr_t *))
LG_DEFINE_REAL(int, pthread_rwlock_destroy, (pthread_rwlock_t *))

#define LG_RW_ACQUIRE(Name, Mode, Flags, Params, Args)                         \
  LG_INTERFACE int Name Params {                                               \
    ThreadState *T = currentThread();                                          \
    if (!T)                                                                    \
      return LG_REAL(Name) Args;                                               \
    return acquireCall(T, uintptr_t(L),                                        \
                       [](unsigned &) { return uint8_t(KindRwLock); }, Mode,   \
                       Flags,                                                  \
                       __builtin_frame_address(0),                             \
                       [=] { return LG_REAL(Name) Args; });                    \
  }

LG_RW_ACQUIRE(pthread_rwlock_rdlock, ModeShared, 0, (pthread_rwlock_t * L), (L))
LG_RW_ACQUIRE(pthread_rwlock_wrlock, ModeExclusive, 0, (pthread_rwlock_t * L),
              (L))
LG_RW_ACQUIRE(pthread_rwlock_tryrdlock, ModeShared, AcqTry,
              (pthread_rwlock_t * L), (L))
LG_RW_ACQUIRE(pthread_rwlock_trywrlock, ModeExclusive, AcqTry,
              (pthread_rwlock_t * L), (L))
LG_RW_ACQUIRE(pthread_rwlock_timedrdlock, ModeShared, AcqTimed,
              (pthread_rwlock_t * L, const struct timespec *A), (L, A))
LG_RW_ACQUIRE(pthread_rwlock_timedwrlock, ModeExclusive, AcqTimed,
              (pthread_rwlock_t * L, const struct timespec *A), (L, A))
LG_RW_ACQUIRE(pthread_rwlock_clockrdlock, ModeShared, AcqTimed,
              (pthread_rwlock_t * L, clockid_t C, const struct timespec *A),
              (L, C, A))
LG_RW_ACQUIRE(pthread_rwlock_clockwrlock, ModeExclusive, AcqTimed,
              (pthread_rwlock_t * L, clockid_t C, const struct timespec *A),
              (L, C, A))

LG_INTERFACE int pthread_rwlock_unlock(pthread_rwlock_t *L) {
  ThreadState *T = currentThread();
  if (T)
    preRelease(T, uintptr_t(L), __builtin_frame_address(0));
  return LG_REAL(pthread_rwlock_unlock)(L);
}

LG_INTERFACE int pthread_rwlock_init(pthread_rwlock_t *L,
                                     const pthread_rwlockattr_t *A) {
  retireFromHook(uintptr_t(L), false, __builtin_frame_address(0));
  return LG_REAL(pthread_rwlock_init)(L, A);
}

LG_INTERFACE int pthread_rwlock_destroy(pthread_rwlock_t *L) {
  retireFromHook(uintptr_t(L), true, __builtin_frame_address(0));
  return LG_REAL(pthread_rwlock_destroy)(L);
}
