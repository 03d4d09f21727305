//===- lg_interceptors_cond.cpp - pthread condition variables ---------------===//
//
// glibc unlocks and relocks the mutex inside pthread_cond_*wait through
// internal calls we never see, so a wait is modelled here as release +
// reacquire. pthread_cond_wait, timedwait, signal and broadcast carry symbol
// versions (@@GLIBC_2.3.2 and the old @GLIBC_2.2.5); the real default is
// asked for by version. (Our unversioned definitions bind the default
// version: a program linked against the old 2.2.5 ABI does not reach them.)
//
// Waits are also graph nodes (lockgraph-wait-holding-lock): a wait while
// other locks stay held records held -> cv; a signal or broadcast records
// cv -> L for the locks the notifier holds or took since its last signal.
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
LG_DEFINE_REAL_V(int, pthread_cond_signal, (pthread_cond_t *), "GLIBC_2.3.2")
LG_DEFINE_REAL_V(int, pthread_cond_broadcast, (pthread_cond_t *),
                 "GLIBC_2.3.2")
LG_DEFINE_REAL_V(int, pthread_cond_init,
                 (pthread_cond_t *, const pthread_condattr_t *), "GLIBC_2.3.2")
LG_DEFINE_REAL_V(int, pthread_cond_destroy, (pthread_cond_t *), "GLIBC_2.3.2")
LG_DEFINE_REAL(int, pthread_cond_clockwait,
               (pthread_cond_t *, pthread_mutex_t *, clockid_t,
                const struct timespec *))

LG_INTERFACE int pthread_cond_wait(pthread_cond_t *C, pthread_mutex_t *M) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_cond_wait)(C, M);
  return condWait(T, uintptr_t(C), uintptr_t(M), false, "pthread_cond_wait",
                  __builtin_frame_address(0),
                  [=] { return LG_REAL(pthread_cond_wait)(C, M); });
}

LG_INTERFACE int pthread_cond_timedwait(pthread_cond_t *C, pthread_mutex_t *M,
                                        const struct timespec *A) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_cond_timedwait)(C, M, A);
  return condWait(T, uintptr_t(C), uintptr_t(M), true,
                  "pthread_cond_timedwait",
                  __builtin_frame_address(0),
                  [=] { return LG_REAL(pthread_cond_timedwait)(C, M, A); });
}

LG_INTERFACE int pthread_cond_clockwait(pthread_cond_t *C, pthread_mutex_t *M,
                                        clockid_t Clock,
                                        const struct timespec *A) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_cond_clockwait)(C, M, Clock, A);
  return condWait(T, uintptr_t(C), uintptr_t(M), true,
                  "pthread_cond_clockwait",
                  __builtin_frame_address(0), [=] {
                    return LG_REAL(pthread_cond_clockwait)(C, M, Clock, A);
                  });
}

/// A condition variable initialized (again) or destroyed: its address
/// starts a new wait node on its next use, so that a later condition
/// variable at the same address (one on the stack, or re-initialized in
/// place) keeps apart from this one. (A freed one is forgotten by free.)
LG_INTERFACE int pthread_cond_init(pthread_cond_t *C,
                                   const pthread_condattr_t *A) {
  retireFromHook(uintptr_t(C), false, __builtin_frame_address(0));
  return LG_REAL(pthread_cond_init)(C, A);
}

LG_INTERFACE int pthread_cond_destroy(pthread_cond_t *C) {
  retireFromHook(uintptr_t(C), false, __builtin_frame_address(0));
  return LG_REAL(pthread_cond_destroy)(C);
}

namespace {
/// Nothing to record unless the notifier holds a lock or took one since its
/// last signal: one TLS load and two compares otherwise.
LG_ALWAYS_INLINE void noteSignal(const void *C, void *FP) {
  ThreadState *T = TLSState;
  if (LG_LIKELY(!T || (T->Depth == 0 && T->RecentN == 0)) ||
      !(T = currentThread()))
    return;
  recordCondSignal(T, uintptr_t(C), FP);
}
} // namespace

LG_INTERFACE int pthread_cond_signal(pthread_cond_t *C) {
  noteSignal(C, __builtin_frame_address(0));
  return LG_REAL(pthread_cond_signal)(C);
}

LG_INTERFACE int pthread_cond_broadcast(pthread_cond_t *C) {
  noteSignal(C, __builtin_frame_address(0));
  return LG_REAL(pthread_cond_broadcast)(C);
}
