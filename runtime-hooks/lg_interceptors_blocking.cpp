//===- lg_interceptors_blocking.cpp - Blocking calls under a lock
//-----------===//
//
// Each hook costs one TLS load and a compare, and no frame of its own, unless
// the calling thread holds a lock; then the call is timed and reported (once
// per call site and lock) as lockgraph-blocking-under-lock.
//
//===----------------------------------------------------------------------===//
#include "lg_internal.h"
#include "lg_real.h"

#include <cstdarg>
#include <cstdio>
#include <fcntl.h>
#include <poll.h>
#include <semaphore.h>
#include <sys/epoll.h>
#include <sys/file.h>
#include <sys/msg.h>
#include <threads.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

using namespace lockgraph::rt;

// The fortified variants a -D_FORTIFY_SOURCE build calls instead (glibc
// declares them only in fortified builds, so they are declared here).
extern "C" {
int __printf_chk(int Flag, const char *Fmt, ...);
int __fprintf_chk(FILE *F, int Flag, const char *Fmt, ...);
int __vprintf_chk(int Flag, const char *Fmt, va_list Ap);
int __vfprintf_chk(FILE *F, int Flag, const char *Fmt, va_list Ap);
ssize_t __read_chk(int Fd, void *B, size_t N, size_t BufLen);
ssize_t __pread_chk(int Fd, void *B, size_t N, off_t O, size_t BufLen);
ssize_t __recv_chk(int Fd, void *B, size_t N, size_t BufLen, int F);
ssize_t __recvfrom_chk(int Fd, void *B, size_t N, size_t BufLen, int F,
                       struct sockaddr *A, socklen_t *L);
size_t __fread_chk(void *P, size_t BufLen, size_t S, size_t N, FILE *F);
char *__fgets_chk(char *S, size_t BufLen, int N, FILE *F);
int __poll_chk(struct pollfd *P, nfds_t N, int T, size_t FdsLen);
}

namespace {
LG_ALWAYS_INLINE ThreadState *blockingThread() {
  ThreadState *T = TLSState;
  if (LG_LIKELY(!T || T->Depth == 0) || T->InRuntime || !GFlags.detect_blocking)
    return nullptr;
  return currentThread(); // settles a pushed wait (or passes through)
}

/// Whether \p Fd is in non-blocking mode: a read or write on it returns
/// EAGAIN instead of waiting, so it is no blocking call (the wake-up write
/// an event loop makes to its eventfd or pipe under a lock). errno stays as
/// it was. (O_NONBLOCK does not make a regular file's I/O non-blocking, but
/// programs do not set it on one.)
bool nonBlockingFd(int Fd) {
  int Saved = errno;
  int Flags = fcntl(Fd, F_GETFL);
  errno = Saved;
  return Flags != -1 && (Flags & O_NONBLOCK);
}
bool zeroTimeout(const struct timeval *T) {
  return T && T->tv_sec == 0 && T->tv_usec == 0;
}
bool zeroTimeout(const struct timespec *T) {
  return T && T->tv_sec == 0 && T->tv_nsec == 0;
}
} // namespace

/// A blocking call: when the calling thread holds a lock and the call as
/// made could wait (\p CannotBlock: a non-blocking descriptor, a zero
/// timeout, a no-wait flag), it is timed and reported as \p Shown.
#define LG_BLOCKING_AS(Ret, Name, Shown, Params, Args, CannotBlock)            \
  using lg_fn_##Name = decltype(&::Name);                                      \
  static lg_fn_##Name lg_real_##Name;                                          \
  static LG_NOINLINE lg_fn_##Name lg_resolve_##Name() {                        \
    lg_fn_##Name F = reinterpret_cast<lg_fn_##Name>(                           \
        ::lockgraph::rt::resolveReal(#Name, nullptr));                         \
    __atomic_store_n(&lg_real_##Name, F, __ATOMIC_RELEASE);                    \
    return F;                                                                  \
  }                                                                            \
  static LG_NOINLINE Ret lg_blocking_##Name Params {                           \
    ThreadState *LgT = blockingThread();                                       \
    if (LG_LIKELY(!LgT) || (CannotBlock))                                      \
      return LG_REAL(Name) Args;                                               \
    uint64_t LgStart = nowNs();                                                \
    enterBlocking(LgT, Shown, LgStart, __builtin_frame_address(0));            \
    Ret LgR = LG_REAL(Name) Args;                                              \
    leaveBlocking(LgT);                                                        \
    reportBlocking(LgT, Shown, LgStart, __builtin_frame_address(0), 0);        \
    return LgR;                                                                \
  }                                                                            \
  LG_INTERFACE Ret Name Params {                                               \
    ThreadState *LgT = TLSState;                                               \
    if (LG_LIKELY(!LgT || LgT->Depth == 0) && LG_LIKELY(lg_real_##Name))      \
      return lg_real_##Name Args; /* a jump, before any frame is set up */     \
    return lg_blocking_##Name Args; /* a jump too: stacks start there */      \
  }
#define LG_BLOCKING_UNLESS(Ret, Name, Params, Args, CannotBlock)               \
  LG_BLOCKING_AS(Ret, Name, #Name, Params, Args, CannotBlock)
#define LG_BLOCKING(Ret, Name, Params, Args)                                   \
  LG_BLOCKING_UNLESS(Ret, Name, Params, Args, false)

LG_BLOCKING_UNLESS(ssize_t, read, (int Fd, void *B, size_t N), (Fd, B, N),
                   nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, write, (int Fd, const void *B, size_t N),
                   (Fd, B, N), nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, pread, (int Fd, void *B, size_t N, off_t O),
                   (Fd, B, N, O), nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, pwrite, (int Fd, const void *B, size_t N, off_t O),
                   (Fd, B, N, O), nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, recv, (int Fd, void *B, size_t N, int F),
                   (Fd, B, N, F), (F & MSG_DONTWAIT) || nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, send, (int Fd, const void *B, size_t N, int F),
                   (Fd, B, N, F), (F & MSG_DONTWAIT) || nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, recvfrom,
                   (int Fd, void *B, size_t N, int F, struct sockaddr *A,
                    socklen_t *L),
                   (Fd, B, N, F, A, L), (F & MSG_DONTWAIT) || nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, sendto,
                   (int Fd, const void *B, size_t N, int F,
                    const struct sockaddr *A, socklen_t L),
                   (Fd, B, N, F, A, L), (F & MSG_DONTWAIT) || nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, recvmsg, (int Fd, struct msghdr *M, int F),
                   (Fd, M, F), (F & MSG_DONTWAIT) || nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, sendmsg, (int Fd, const struct msghdr *M, int F),
                   (Fd, M, F), (F & MSG_DONTWAIT) || nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(int, accept, (int Fd, struct sockaddr *A, socklen_t *L),
                   (Fd, A, L), nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(int, connect,
                   (int Fd, const struct sockaddr *A, socklen_t L), (Fd, A, L),
                   nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(int, poll, (struct pollfd * P, nfds_t N, int T), (P, N, T),
                   T == 0)
LG_BLOCKING_UNLESS(int, select,
                   (int N, fd_set *R, fd_set *W, fd_set *E, struct timeval *T),
                   (N, R, W, E, T), zeroTimeout(T))
LG_BLOCKING_UNLESS(int, epoll_wait,
                   (int Fd, struct epoll_event *E, int M, int T), (Fd, E, M, T),
                   T == 0)
LG_BLOCKING(int, fsync, (int Fd), (Fd))
LG_BLOCKING(int, fdatasync, (int Fd), (Fd))
LG_BLOCKING(unsigned, sleep, (unsigned S), (S))
LG_BLOCKING(int, usleep, (useconds_t U), (U))
LG_BLOCKING(int, nanosleep, (const struct timespec *R, struct timespec *Rem),
            (R, Rem))
LG_BLOCKING(int, clock_nanosleep,
            (clockid_t C, int F, const struct timespec *R,
             struct timespec *Rem),
            (C, F, R, Rem))
// glibc's thrd_sleep sleeps through its internal clock_nanosleep, past the
// hook above.
LG_BLOCKING(int, thrd_sleep, (const struct timespec *D, struct timespec *Rem),
            (D, Rem))
// The rest of the static half's list (defaultBlockingFunctions) that has a
// plain C entry point: vectored I/O, waits for children, semaphores,
// barriers, file locks, System V queues. (Per-character stdio such as getc
// is left out: a hook per character would cost more than it finds.)
LG_BLOCKING_UNLESS(ssize_t, readv, (int Fd, const struct iovec *V, int N),
                   (Fd, V, N), nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, writev, (int Fd, const struct iovec *V, int N),
                   (Fd, V, N), nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(int, accept4,
                   (int Fd, struct sockaddr *A, socklen_t *L, int F),
                   (Fd, A, L, F), nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(int, ppoll,
                   (struct pollfd * P, nfds_t N, const struct timespec *T,
                    const sigset_t *M),
                   (P, N, T, M), zeroTimeout(T))
LG_BLOCKING_UNLESS(int, pselect,
                   (int N, fd_set *R, fd_set *W, fd_set *E,
                    const struct timespec *T, const sigset_t *M),
                   (N, R, W, E, T, M), zeroTimeout(T))
LG_BLOCKING_UNLESS(int, epoll_pwait,
                   (int Fd, struct epoll_event *E, int M, int T,
                    const sigset_t *S),
                   (Fd, E, M, T, S), T == 0)
LG_BLOCKING_UNLESS(int, flock, (int Fd, int Op), (Fd, Op), Op &(LOCK_NB | LOCK_UN))
LG_BLOCKING_UNLESS(int, lockf, (int Fd, int Cmd, off_t Len), (Fd, Cmd, Len),
                   Cmd == F_TLOCK || Cmd == F_TEST)
LG_BLOCKING(int, pause, (void), ())
LG_BLOCKING(pid_t, wait, (int *Status), (Status))
LG_BLOCKING_UNLESS(pid_t, waitpid, (pid_t Pid, int *Status, int Options),
                   (Pid, Status, Options), Options &WNOHANG)
LG_BLOCKING_UNLESS(int, waitid,
                   (idtype_t T, id_t Id, siginfo_t *I, int Options),
                   (T, Id, I, Options), Options &WNOHANG)
LG_BLOCKING(int, system, (const char *Cmd), (Cmd))
LG_BLOCKING(int, sem_wait, (sem_t * S), (S))
LG_BLOCKING(int, sem_timedwait, (sem_t * S, const struct timespec *T), (S, T))
LG_BLOCKING(int, sem_clockwait,
            (sem_t * S, clockid_t C, const struct timespec *T), (S, C, T))
LG_BLOCKING(int, pthread_barrier_wait, (pthread_barrier_t * B), (B))
LG_BLOCKING_UNLESS(ssize_t, msgrcv, (int Q, void *M, size_t N, long T, int F),
                   (Q, M, N, T, F), F &IPC_NOWAIT)
LG_BLOCKING_UNLESS(int, msgsnd, (int Q, const void *M, size_t N, int F),
                   (Q, M, N, F), F &IPC_NOWAIT)
LG_BLOCKING(ssize_t, getline, (char **L, size_t *N, FILE *F), (L, N, F))

// libstdc++'s std::future waits (get, wait, wait_for, wait_until, also of a
// shared_future) sleep in a futex of the shared state, through these two
// out-of-line members of its futex word, which the inlined wait calls
// through the PLT only once the result is not ready; no pthread call is
// made (libc++'s futures wait on a condition variable, which is seen as
// one). C signatures of the members: the object, the word, the value it
// waits to change, whether there is a deadline, and the deadline's seconds
// and nanoseconds (a std::chrono::duration is passed as its count).
extern "C" {
bool _ZNSt28__atomic_futex_unsigned_base19_M_futex_wait_untilEPjjbNSt6chrono8durationIlSt5ratioILl1ELl1EEEENS2_IlS3_ILl1ELl1000000000EEEE(
    void *Self, unsigned *Word, unsigned Value, bool HasDeadline, long Seconds,
    long Nanoseconds);
bool _ZNSt28__atomic_futex_unsigned_base26_M_futex_wait_until_steadyEPjjbNSt6chrono8durationIlSt5ratioILl1ELl1EEEENS2_IlS3_ILl1ELl1000000000EEEE(
    void *Self, unsigned *Word, unsigned Value, bool HasDeadline, long Seconds,
    long Nanoseconds);
}
LG_BLOCKING_AS(
    bool,
    _ZNSt28__atomic_futex_unsigned_base19_M_futex_wait_untilEPjjbNSt6chrono8durationIlSt5ratioILl1ELl1EEEENS2_IlS3_ILl1ELl1000000000EEEE,
    "std::future::wait",
    (void *Self, unsigned *Word, unsigned Value, bool HasDeadline, long Seconds,
     long Nanoseconds),
    (Self, Word, Value, HasDeadline, Seconds, Nanoseconds), false)
LG_BLOCKING_AS(
    bool,
    _ZNSt28__atomic_futex_unsigned_base26_M_futex_wait_until_steadyEPjjbNSt6chrono8durationIlSt5ratioILl1ELl1EEEENS2_IlS3_ILl1ELl1000000000EEEE,
    "std::future::wait",
    (void *Self, unsigned *Word, unsigned Value, bool HasDeadline, long Seconds,
     long Nanoseconds),
    (Self, Word, Value, HasDeadline, Seconds, Nanoseconds), false)
LG_BLOCKING(size_t, fread, (void *P, size_t S, size_t N, FILE *F), (P, S, N, F))
LG_BLOCKING(size_t, fwrite, (const void *P, size_t S, size_t N, FILE *F),
            (P, S, N, F))
LG_BLOCKING(char *, fgets, (char *S, int N, FILE *F), (S, N, F))
LG_BLOCKING(int, fputs, (const char *S, FILE *F), (S, F))
LG_BLOCKING(int, puts, (const char *S), (S))
LG_BLOCKING(int, fflush, (FILE * F), (F))
LG_BLOCKING(int, vprintf, (const char *Fmt, va_list Ap), (Fmt, Ap))
LG_BLOCKING(int, vfprintf, (FILE * F, const char *Fmt, va_list Ap),
            (F, Fmt, Ap))

/// LG_BLOCKING's bookkeeping for the variadic stdio hooks, which forward to
/// their v-forms themselves. \p FP is the hook's frame.
template <typename CallFn>
LG_ALWAYS_INLINE int timedStdio(const char *Name, void *FP, CallFn Call) {
  ThreadState *T = blockingThread();
  uint64_t Start = T ? nowNs() : 0;
  if (T)
    enterBlocking(T, Name, Start, FP);
  int R = Call();
  if (T) {
    leaveBlocking(T);
    reportBlocking(T, Name, Start, FP, 0);
  }
  return R;
}

LG_INTERFACE int printf(const char *Fmt, ...) {
  va_list Ap;
  va_start(Ap, Fmt);
  int R = timedStdio("printf", __builtin_frame_address(0),
                     [&] { return LG_REAL(vprintf)(Fmt, Ap); });
  va_end(Ap);
  return R;
}

LG_INTERFACE int fprintf(FILE *F, const char *Fmt, ...) {
  va_list Ap;
  va_start(Ap, Fmt);
  int R = timedStdio("fprintf", __builtin_frame_address(0),
                     [&] { return LG_REAL(vfprintf)(F, Fmt, Ap); });
  va_end(Ap);
  return R;
}

LG_BLOCKING(int, __vprintf_chk, (int Flag, const char *Fmt, va_list Ap),
            (Flag, Fmt, Ap))
LG_BLOCKING(int, __vfprintf_chk,
            (FILE * F, int Flag, const char *Fmt, va_list Ap),
            (F, Flag, Fmt, Ap))
LG_BLOCKING_UNLESS(ssize_t, __read_chk,
                   (int Fd, void *B, size_t N, size_t BufLen),
                   (Fd, B, N, BufLen), nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, __pread_chk,
                   (int Fd, void *B, size_t N, off_t O, size_t BufLen),
                   (Fd, B, N, O, BufLen), nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, __recv_chk,
                   (int Fd, void *B, size_t N, size_t BufLen, int F),
                   (Fd, B, N, BufLen, F),
                   (F & MSG_DONTWAIT) || nonBlockingFd(Fd))
LG_BLOCKING_UNLESS(ssize_t, __recvfrom_chk,
                   (int Fd, void *B, size_t N, size_t BufLen, int F,
                    struct sockaddr *A, socklen_t *L),
                   (Fd, B, N, BufLen, F, A, L),
                   (F & MSG_DONTWAIT) || nonBlockingFd(Fd))
LG_BLOCKING(size_t, __fread_chk,
            (void *P, size_t BufLen, size_t S, size_t N, FILE *F),
            (P, BufLen, S, N, F))
LG_BLOCKING(char *, __fgets_chk, (char *S, size_t BufLen, int N, FILE *F),
            (S, BufLen, N, F))
LG_BLOCKING_UNLESS(int, __poll_chk,
                   (struct pollfd * P, nfds_t N, int T, size_t L), (P, N, T, L),
                   T == 0)

// printf and fprintf with -D_FORTIFY_SOURCE (the reported name is the one
// the program wrote).
LG_INTERFACE int __printf_chk(int Flag, const char *Fmt, ...) {
  va_list Ap;
  va_start(Ap, Fmt);
  int R = timedStdio("printf", __builtin_frame_address(0),
                     [&] { return LG_REAL(__vprintf_chk)(Flag, Fmt, Ap); });
  va_end(Ap);
  return R;
}

LG_INTERFACE int __fprintf_chk(FILE *F, int Flag, const char *Fmt, ...) {
  va_list Ap;
  va_start(Ap, Fmt);
  int R = timedStdio("fprintf", __builtin_frame_address(0),
                     [&] { return LG_REAL(__vfprintf_chk)(F, Flag, Fmt, Ap); });
  va_end(Ap);
  return R;
}
