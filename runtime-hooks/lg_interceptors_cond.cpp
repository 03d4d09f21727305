//===- lg_interceptors_cond.cpp - pthread condition variables ---------------===//
//
// glibc unlocks and relocks the mutex inside pthread_cond_*wait through
// internal calls we never see, so a wait is modelled here as release +
// reacquire. pthread_cond_wait and timedwait carry symbol versions
// (@@GLIBC_2.3.2 and the old @GLIBC_2.2.5); the real default is asked for
// by version.
//
//===----------------------------------------------------------------------===//
#include "lg_acquire.h"
#include "lg_real.h"

using namespace lockgraph::rt;

LG_DEFINE_REAL_V(int, pthread_cond_wait, (pthread_cond_t *, pthread_mutex_t *),
                 "GLIBC_2.3.2")
LG_DEFINE_REAL_V(int, pthread_cond_timedwait,
                 (pthread_cond_t *, pthread_mutex_t *, const struct timespec *),
                 "GLIBC_2.3.2")
LG_DEFINE_REAL(int, pthread_cond_clockwait,
               (pthread_cond_t *, pthread_mutex_t *, clockid_t,
                const struct timespec *))

LG_INTERFACE int pthread_cond_wait(pthread_cond_t *C, pthread_mutex_t *M) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_cond_wait)(C, M);
  return condWait(T, uintptr_t(M), "pthread_cond_wait",
                  __builtin_frame_address(0),
                  [=] { return LG_REAL(pthread_cond_wait)(C, M); });
}

LG_INTERFACE int pthread_cond_timedwait(pthread_cond_t *C, pthread_mutex_t *M,
                                        const struct timespec *A) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_cond_timedwait)(C, M, A);
  return condWait(T, uintptr_t(M), "pthread_cond_timedwait",
                  __builtin_frame_address(0),
                  [=] { return LG_REAL(pthread_cond_timedwait)(C, M, A); });
}

LG_INTERFACE int pthread_cond_clockwait(pthread_cond_t *C, pthread_mutex_t *M,
                                        clockid_t Clock,
                                        const struct timespec *A) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_cond_clockwait)(C, M, Clock, A);
  return condWait(T, uintptr_t(M), "pthread_cond_clockwait",
                  __builtin_frame_address(0), [=] {
                    return LG_REAL(pthread_cond_clockwait)(C, M, Clock, A);
                  });
}
