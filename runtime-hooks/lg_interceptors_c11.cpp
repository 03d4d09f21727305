//===- lg_interceptors_c11.cpp - C11 <threads.h> mtx_* and cnd_* ------------===//
#include "lg_acquire.h"
#include "lg_real.h"

#include <threads.h>

using namespace lockgraph::rt;

LG_DEFINE_REAL(int, mtx_lock, (mtx_t *))
LG_DEFINE_REAL(int, mtx_trylock, (mtx_t *))
LG_DEFINE_REAL(int, mtx_timedlock, (mtx_t *, const struct timespec *))
LG_DEFINE_REAL(int, mtx_unlock, (mtx_t *))
LG_DEFINE_REAL(int, mtx_init, (mtx_t *, int))
LG_DEFINE_REAL(void, mtx_destroy, (mtx_t *))
LG_DEFINE_REAL(int, cnd_init, (cnd_t *))
LG_DEFINE_REAL(void, cnd_destroy, (cnd_t *))
LG_DEFINE_REAL(int, cnd_wait, (cnd_t *, mtx_t *))
LG_DEFINE_REAL(int, cnd_timedwait, (cnd_t *, mtx_t *, const struct timespec *))
LG_DEFINE_REAL(int, cnd_signal, (cnd_t *))
LG_DEFINE_REAL(int, cnd_broadcast, (cnd_t *))

namespace {
// glibc's mtx_t has the layout of a pthread_mutex_t.
LG_ALWAYS_INLINE uint8_t c11Kind(mtx_t *M, unsigned &F) {
  uint8_t K = mutexKind(reinterpret_cast<pthread_mutex_t *>(M), F);
  return K == KindRecursiveMutex ? K : uint8_t(KindC11Mutex);
}
} // namespace

LG_INTERFACE int mtx_lock(mtx_t *M) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(mtx_lock)(M);
  return acquireCall(T, uintptr_t(M),
                     [M](unsigned &F) { return c11Kind(M, F); },
                     ModeExclusive, 0,
                     __builtin_frame_address(0),
                     [M] { return LG_REAL(mtx_lock)(M); });
}

LG_INTERFACE int mtx_trylock(mtx_t *M) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(mtx_trylock)(M);
  return acquireCall(T, uintptr_t(M),
                     [M](unsigned &F) { return c11Kind(M, F); },
                     ModeExclusive, AcqTry,
                     __builtin_frame_address(0),
                     [M] { return LG_REAL(mtx_trylock)(M); });
}

LG_INTERFACE int mtx_timedlock(mtx_t *M, const struct timespec *A) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(mtx_timedlock)(M, A);
  return acquireCall(T, uintptr_t(M),
                     [M](unsigned &F) { return c11Kind(M, F); },
                     ModeExclusive, AcqTimed,
                     __builtin_frame_address(0),
                     [=] { return LG_REAL(mtx_timedlock)(M, A); });
}

LG_INTERFACE int mtx_unlock(mtx_t *M) {
  ThreadState *T = currentThread();
  if (T)
    preRelease(T, uintptr_t(M), __builtin_frame_address(0));
  return LG_REAL(mtx_unlock)(M);
}

LG_INTERFACE int mtx_init(mtx_t *M, int Type) {
  retireFromHook(uintptr_t(M), false, __builtin_frame_address(0));
  return LG_REAL(mtx_init)(M, Type);
}

LG_INTERFACE void mtx_destroy(mtx_t *M) {
  retireFromHook(uintptr_t(M), true, __builtin_frame_address(0));
  LG_REAL(mtx_destroy)(M);
}

/// As pthread_cond_init/destroy: the next use is a new wait node.
LG_INTERFACE int cnd_init(cnd_t *C) {
  retireFromHook(uintptr_t(C), false, __builtin_frame_address(0));
  return LG_REAL(cnd_init)(C);
}

LG_INTERFACE void cnd_destroy(cnd_t *C) {
  retireFromHook(uintptr_t(C), false, __builtin_frame_address(0));
  LG_REAL(cnd_destroy)(C);
}

LG_INTERFACE int cnd_wait(cnd_t *C, mtx_t *M) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(cnd_wait)(C, M);
  return condWait(T, uintptr_t(C), uintptr_t(M), false, "cnd_wait",
                  __builtin_frame_address(0),
                  [=] { return LG_REAL(cnd_wait)(C, M); });
}

LG_INTERFACE int cnd_timedwait(cnd_t *C, mtx_t *M, const struct timespec *A) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(cnd_timedwait)(C, M, A);
  return condWait(T, uintptr_t(C), uintptr_t(M), true, "cnd_timedwait",
                  __builtin_frame_address(0),
                  [=] { return LG_REAL(cnd_timedwait)(C, M, A); });
}

// Signals: see lg_interceptors_cond.cpp.
LG_INTERFACE int cnd_signal(cnd_t *C) {
  ThreadState *T = TLSState;
  if (T && (T->Depth || T->RecentN) && (T = currentThread()))
    recordCondSignal(T, uintptr_t(C), __builtin_frame_address(0));
  return LG_REAL(cnd_signal)(C);
}

LG_INTERFACE int cnd_broadcast(cnd_t *C) {
  ThreadState *T = TLSState;
  if (T && (T->Depth || T->RecentN) && (T = currentThread()))
    recordCondSignal(T, uintptr_t(C), __builtin_frame_address(0));
  return LG_REAL(cnd_broadcast)(C);
}
