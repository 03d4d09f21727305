//===- lg_interceptors_thread.cpp - pthread_create, pthread_join ------------===//
#include "lg_internal.h"
#include "lg_real.h"

#include <sys/syscall.h>
#include <unistd.h>

using namespace lockgraph::rt;

LG_DEFINE_REAL(int, pthread_create,
               (pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))
LG_DEFINE_REAL(int, pthread_join, (pthread_t, void **))
LG_DEFINE_REAL(int, execve, (const char *, char *const[], char *const[]))
LG_DEFINE_REAL(int, execv, (const char *, char *const[]))
LG_DEFINE_REAL(int, execvp, (const char *, char *const[]))
LG_DEFINE_REAL(int, execvpe, (const char *, char *const[], char *const[]))

namespace lockgraph::rt {
/// Creates a thread that the runtime ignores (the watchdog).
int createInternalThread(pthread_t *Th, void *(*Fn)(void *), void *Arg) {
  return LG_REAL(pthread_create)(Th, nullptr, Fn, Arg);
}
} // namespace lockgraph::rt

LG_INTERFACE int pthread_create(pthread_t *Th, const pthread_attr_t *A,
                                void *(*Fn)(void *), void *Arg) {
  ThreadState *T = currentThread();
  if (T && GFlags.detect_deadlocks) {
    RuntimeScope Scope(T);
    startWatchdogOnce();
  }
  return LG_REAL(pthread_create)(Th, A, Fn, Arg);
}

// exec replaces the process image without running atexit handlers: report
// and write the graph first. (execl* build an argv and call execve
// internally, below the PLT, so they are not seen.)
#define LG_EXEC(Name, Params, Args)                                            \
  LG_INTERFACE int Name Params {                                               \
    /* Not in a vfork child: it shares (and must not change) our state. */    \
    if (GState.load(std::memory_order_acquire) == 2 &&                         \
        pid_t(syscall(SYS_getpid)) == GPid.load(std::memory_order_relaxed)) {  \
      ThreadState *T = TLSState;                                               \
      if (!T || !T->InRuntime)                                                 \
        reportBeforeExec();                                                    \
    }                                                                          \
    return LG_REAL(Name) Args;                                                 \
  }
LG_EXEC(execve, (const char *P, char *const A[], char *const E[]), (P, A, E))
LG_EXEC(execv, (const char *P, char *const A[]), (P, A))
LG_EXEC(execvp, (const char *P, char *const A[]), (P, A))
LG_EXEC(execvpe, (const char *P, char *const A[], char *const E[]), (P, A, E))

// Joining a thread while holding a lock the joined thread may need is the
// classic start/join deadlock: a blocking call under a lock.
LG_INTERFACE int pthread_join(pthread_t Th, void **Ret) {
  ThreadState *T = TLSState;
  if (LG_LIKELY(!T || T->Depth == 0) || T->InRuntime ||
      !GFlags.detect_blocking)
    return LG_REAL(pthread_join)(Th, Ret);
  uint64_t Start = nowNs();
  int R = LG_REAL(pthread_join)(Th, Ret);
  reportBlocking(T, "pthread_join", Start, __builtin_frame_address(0), 0);
  return R;
}
