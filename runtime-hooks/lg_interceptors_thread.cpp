//===- lg_interceptors_thread.cpp - pthread_create, pthread_join ------------===//
//
// Threads are wait nodes of the graph (lockgraph-wait-holding-lock): every
// thread belongs to a *class*, one node "thread:X" per class, where X is
//   - the start routine's name, when the routine is a user function (in any
//     module but the C/C++ runtime): thread:worker;
//   - else (std::thread, whose routine is inside libstdc++) the creation
//     site: the first two frames of pthread_create's caller stack outside
//     the C/C++ runtime identify the class, and it is named by the first
//     user frame of that stack: thread:main.cpp:31.
// Both are stable across runs and processes of one binary, so graphs merge.
// A thread records thread:X -> L for the locks it takes while holding none;
// pthread_join while holding L records L -> thread:X.
//
//===----------------------------------------------------------------------===//
#include "lg_internal.h"
#include "lg_real.h"
#include "lg_symbolize.h"

#include <dlfcn.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstdarg>
#include <threads.h>
#include <cstring>

using namespace lockgraph::rt;

LG_DEFINE_REAL(int, pthread_create,
               (pthread_t *, const pthread_attr_t *, void *(*)(void *), void *))
LG_DEFINE_REAL(int, pthread_join, (pthread_t, void **))
LG_DEFINE_REAL(int, pthread_tryjoin_np, (pthread_t, void **))
LG_DEFINE_REAL(int, pthread_timedjoin_np,
               (pthread_t, void **, const struct timespec *))
LG_DEFINE_REAL(int, pthread_clockjoin_np,
               (pthread_t, void **, clockid_t, const struct timespec *))
LG_DEFINE_REAL(int, dlclose, (void *))
LG_DEFINE_REAL(int, execve, (const char *, char *const[], char *const[]))
LG_DEFINE_REAL(int, execv, (const char *, char *const[]))
LG_DEFINE_REAL(int, execvp, (const char *, char *const[]))
LG_DEFINE_REAL(int, execvpe, (const char *, char *const[], char *const[]))
LG_DEFINE_REAL(int, fexecve, (int, char *const[], char *const[]))
LG_DEFINE_REAL(int, execveat,
               (int, const char *, char *const[], char *const[], int))

namespace lockgraph::rt {
/// Creates a thread that the runtime ignores (the watchdog).
int createInternalThread(pthread_t *Th, void *(*Fn)(void *), void *Arg) {
  return LG_REAL(pthread_create)(Th, nullptr, Fn, Arg);
}
} // namespace lockgraph::rt

namespace {

/// Whether \p Addr is code of the C/C++ runtime (or ours): such a start
/// routine or frame does not tell one kind of thread from another.
bool isRuntimeCode(const void *Addr) {
  Dl_info Info;
  if (!dladdr(Addr, &Info) || !Info.dli_fname)
    return true;
  const char *Base = strrchr(Info.dli_fname, '/');
  Base = Base ? Base + 1 : Info.dli_fname;
  static const char *const Runtime[] = {"libc.so",     "libstdc++.so",
                                        "libpthread.so", "libgcc_s.so",
                                        "ld-linux",    "libc++.so",
                                        "libboost_thread", "liblockgraph"};
  for (const char *R : Runtime)
    if (strncmp(Base, R, strlen(R)) == 0)
      return true;
  return false;
}

/// Keys of thread classes in the lock table: never a lock's address (user
/// space addresses have the top bit clear). In a class's InstanceInfo::Addr,
/// bit 62 tells a creation-site key (a hash) from a routine's address.
constexpr uintptr_t ThreadKeyBit = uintptr_t(1) << 63;
constexpr uintptr_t SiteKeyBit = uintptr_t(1) << 62;

/// Frames of the creation chain, outside the runtime, that tell classes of
/// threads apart: for a start routine of the runtime (std::thread's), the
/// first two (the user's call, its caller); for the program's own routine,
/// deeper, since a library's trampoline (Poco's runnableEntry, libuv's
/// uv__thread_start, nng's nni_thr_wrap) runs every thread the library
/// starts, whatever it runs: joined holding a lock, one of them is not the
/// one that takes the lock.
constexpr unsigned SiteFrames = 2, RoutineFrames = 8;

/// The class node of a thread started here with \p Fn: created with the
/// creation stack as its first stack. 0 when there is none. Costs a full
/// unwind and a few dladdr calls per pthread_create (not a hot path).
InstanceId threadClass(void *(*Fn)(void *)) {
  uintptr_t PCs[MaxStackDepth];
  unsigned N = captureStack(PCs, unsigned(GFlags.stack_depth));
  const bool NamedByRoutine = !isRuntimeCode(reinterpret_cast<void *>(Fn));
  const unsigned Frames = NamedByRoutine ? RoutineFrames : SiteFrames;
  uint64_t H = NamedByRoutine ? mix64(reinterpret_cast<uintptr_t>(Fn)) : 0x5349544531ULL;
  unsigned Used = 0;
  for (unsigned I = 0; I < N && Used < Frames; ++I) {
    if (isRuntimeCode(reinterpret_cast<void *>(PCs[I])))
      continue;
    H = mix64(H + PCs[I] * 3);
    ++Used;
  }
  if (!Used && !NamedByRoutine)
    for (unsigned I = 0; I < N && I < SiteFrames; ++I)
      H = mix64(H + PCs[I] * 3);
  const uintptr_t Key = (uintptr_t(H) & ~ThreadKeyBit) | ThreadKeyBit | SiteKeyBit;
  bool Created;
  InstanceId I = GLocks.lookupOrCreate(Key, KindThread, Created);
  if (Created) {
    InstanceInfo &Info = GLocks.info(I);
    // What the report names the class by: the routine (SiteKeyBit clear),
    // else the creation site.
    if (NamedByRoutine)
      Info.Addr = reinterpret_cast<uintptr_t>(Fn) | ThreadKeyBit;
    Info.FirstStack = GStacks.store(PCs, N);
    Info.Ready.store(1, std::memory_order_release);
  }
  return I;
}

/// What a started thread needs before its routine runs. From a fixed pool
/// (no allocation); when a program has more created threads that have not
/// started yet than the pool holds, from a page of its own (mmap: one more
/// system call on top of pthread_create's own, never malloc), so that every
/// thread gets its class node.
struct StartRecord {
  std::atomic<uint32_t> Busy{0};
  bool Mapped = false; ///< its own page, unmapped by the thread when it starts
  void *(*Fn)(void *) = nullptr;
  void *Arg = nullptr;
  InstanceId Node = 0;
  /// A C11 thread (thrd_create): Fn is an int (*)(void *), and glibc runs
  /// the start routine as one.
  bool C11 = false;
  /// The creator and the segment it was in when it made the thread (which
  /// it then left), when it records the order.
  bool Ordered = false;
  uint32_t Creator = 0, CreatorSegment = 0;
};
constexpr unsigned StartPool = 1024;
constinit StartRecord Starts[StartPool];
std::atomic<uint32_t> StartNext{0};

StartRecord *claimStart() {
  for (unsigned K = 0; K < 8; ++K) {
    StartRecord &S = Starts[StartNext.fetch_add(1, std::memory_order_relaxed) %
                            StartPool];
    uint32_t Expected = 0;
    if (S.Busy.compare_exchange_strong(Expected, 1, std::memory_order_acquire))
      return &S;
  }
  auto *S = static_cast<StartRecord *>(mapZeroed(sizeof(StartRecord)));
  if (S)
    S->Mapped = true;
  return S;
}

void releaseStart(StartRecord *S) {
  if (S->Mapped)
    unmapMemory(S, sizeof(StartRecord));
  else
    S->Busy.store(0, std::memory_order_release);
}

/// glibc's own cast between a C11 thread's routine (int (*)(void *)) and a
/// pthread one: its pthread_create calls the routine of a C11 thread as the
/// former. Through void (*)(), which no compiler warns about.
template <typename To, typename From> To routineCast(From F) {
  return reinterpret_cast<To>(reinterpret_cast<void (*)()>(F));
}

/// What threadStart and threadStartC11 do before the thread's own routine:
/// the thread's class, and its start order.
void startedThread(StartRecord *S) {
  InstanceId Node = S->Node;
  const bool Ordered = S->Ordered;
  const uint32_t Creator = S->Creator, CreatorSegment = S->CreatorSegment;
  releaseStart(S);
  if (ThreadState *T = currentThread()) {
    if (Ordered)
      recordThreadOrder({Creator, CreatorSegment, T->Index, T->Segment, false});
    T->ThreadNode = Node;
    T->ThreadNodeHash = heldHash(Node, 0);
    // A recycled pthread_t's join slot still says what its last thread did.
    publishDoneUnder(T, 0);
    forgetReuseFrom(T, 0); // outermost locks now record thread:X -> L
  }
}

void *threadStart(void *P) {
  StartRecord *S = static_cast<StartRecord *>(P);
  void *(*Fn)(void *) = S->Fn;
  void *Arg = S->Arg;
  startedThread(S);
  return Fn(Arg);
}

int threadStartC11(void *P) {
  StartRecord *S = static_cast<StartRecord *>(P);
  auto Fn = routineCast<int (*)(void *)>(S->Fn);
  void *Arg = S->Arg;
  startedThread(S);
  return Fn(Arg);
}

/// pthread_t -> class node, for joins: open addressing, never shrinks; a
/// reused pthread_t (glibc recycles thread descriptors) overwrites its slot.
constexpr unsigned JoinSlots = 1u << 14;
struct JoinSlot {
  std::atomic<uintptr_t> Thread;
  std::atomic<InstanceId> Node;
  /// The thread's index + 1 and its last segment (rememberThreadEnd), 0
  /// until it ends.
  std::atomic<uint64_t> End;
  /// The lock under which the thread last notified a condition variable,
  /// while it has not taken it again (notifiedUnder); 0: none.
  std::atomic<uintptr_t> DoneUnder;
};
JoinSlot Joins[JoinSlots];

JoinSlot *joinSlot(pthread_t Th, bool Insert) {
  uintptr_t K = uintptr_t(Th);
  if (!K)
    return nullptr;
  size_t I = hashAddr(K) & (JoinSlots - 1);
  for (unsigned Probe = 0; Probe < 64; ++Probe, I = (I + 1) & (JoinSlots - 1)) {
    uintptr_t Cur = Joins[I].Thread.load(std::memory_order_acquire);
    if (Cur == K)
      return &Joins[I];
    if (Cur == 0) {
      if (!Insert)
        return nullptr;
      if (Joins[I].Thread.compare_exchange_strong(Cur, K) || Cur == K)
        return &Joins[I];
    }
  }
  return nullptr;
}

} // namespace

void lockgraph::rt::publishDoneUnder(ThreadState *T, uintptr_t Addr) {
  if (!T->OwnJoinSlot)
    T->OwnJoinSlot = joinSlot(pthread_self(), true);
  if (T->OwnJoinSlot)
    static_cast<JoinSlot *>(T->OwnJoinSlot)
        ->DoneUnder.store(Addr, std::memory_order_release);
}

void lockgraph::rt::rememberThreadEnd(ThreadState *T) {
  if (JoinSlot *J = joinSlot(pthread_self(), true))
    J->End.store((uint64_t(T->Index) + 1) << 32 | T->Segment,
                 std::memory_order_release);
}

namespace {
/// pthread_create, or for \p C11 glibc's thrd_create: \p A is then its
/// marker of a C11 thread, and \p Fn an int (*)(void *).
int createThread(pthread_t *Th, const pthread_attr_t *A, void *(*Fn)(void *),
                 void *Arg, bool C11) {
  ThreadState *T = currentThread();
  if (!T)
    return LG_REAL(pthread_create)(Th, A, Fn, Arg);
  StartRecord *S = nullptr;
  InstanceId Node = 0;
  {
    RuntimeScope Scope(T);
    if (GFlags.detect_deadlocks)
      startWatchdogOnce();
    renewStackLocks(T);
    if (GFlags.detect_waits) {
      Node = threadClass(Fn);
      if (Node && (S = claimStart())) {
        S->Fn = Fn;
        S->Arg = Arg;
        S->Node = Node;
        S->C11 = C11;
        // The creator's work so far happened before the thread's; what it
        // does from now on may overlap it.
        S->Creator = T->Index;
        S->CreatorSegment = T->Segment;
        S->Ordered = beginSegment(T);
      }
    }
  }
  if (!S)
    Node = 0;
  void *(*Start)(void *) =
      C11 ? routineCast<void *(*)(void *)>(threadStartC11) : threadStart;
  int R = S ? LG_REAL(pthread_create)(Th, A, Start, S)
            : LG_REAL(pthread_create)(Th, A, Fn, Arg);
  if (R != 0) {
    if (S)
      releaseStart(S);
    return R;
  }
  // (S may already be reused: the thread released it when it started.)
  if (JoinSlot *J = joinSlot(*Th, Node != 0))
    J->Node.store(Node, std::memory_order_release);
  return R;
}
} // namespace

LG_INTERFACE int pthread_create(pthread_t *Th, const pthread_attr_t *A,
                                void *(*Fn)(void *), void *Arg) {
  return createThread(Th, A, Fn, Arg, false);
}


// exec replaces the process image without running atexit handlers: report
// and write the graph first. (glibc's execl* build an argv and call execve
// internally, below the PLT: they are interposed separately, below; its
// fexecve makes the execveat system call itself, so it is interposed too.)
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
LG_EXEC(fexecve, (int Fd, char *const A[], char *const E[]), (Fd, A, E))
LG_EXEC(execveat,
        (int Dir, const char *P, char *const A[], char *const E[], int Flags),
        (Dir, P, A, E, Flags))

// Joining a thread while holding a lock the joined thread may need is the
// classic start/join deadlock: a blocking call under a lock, and the edge
// held -> thread:X of the graph.
namespace {
/// After a join of \p Th returned: everything the thread did happened
/// before what the joiner does from now on.
void orderAfterJoin(ThreadState *T, pthread_t Th) {
  JoinSlot *J = joinSlot(Th, false);
  const uint64_t End = J ? J->End.load(std::memory_order_acquire) : 0;
  if (!End)
    return;
  RuntimeScope Scope(T);
  if (beginSegment(T))
    recordThreadOrder(
        {uint32_t(End >> 32) - 1, uint32_t(End), T->Index, T->Segment, true});
}
} // namespace

namespace {
/// How long a join may wait.
enum class JoinWait {
  Forever, ///< pthread_join, thrd_join
  Timed,   ///< pthread_timedjoin_np, pthread_clockjoin_np: gives up
  Never    ///< pthread_tryjoin_np
};

/// A join of \p Th by \p Real, named \p Call in reports. One that may wait
/// while the thread holds locks is a blocking call under them, and one that
/// may wait forever is also held -> thread:X (a timed one gives up, so it
/// closes no cycle). Once it joined, the joined thread's run happened before
/// what this thread does next.
template <typename RealFn>
LG_ALWAYS_INLINE int joinThread(pthread_t Th, const char *Call, JoinWait Wait,
                                RealFn Real) {
  ThreadState *T = TLSState;
  if (LG_UNLIKELY(!T || T->InRuntime) || !(T = currentThread()))
    return Real();
  int R;
  if (T->Depth == 0 || Wait == JoinWait::Never) {
    R = Real();
  } else {
    if (Wait == JoinWait::Forever)
      if (JoinSlot *J = joinSlot(Th, false))
        recordJoin(T, J->Node.load(std::memory_order_acquire),
                   J->DoneUnder.load(std::memory_order_acquire),
                   __builtin_frame_address(0));
    if (!GFlags.detect_blocking) {
      R = Real();
    } else {
      uint64_t Start = nowNs();
      enterBlocking(T, Call, Start, __builtin_frame_address(0));
      R = Real();
      leaveBlocking(T);
      reportBlocking(T, Call, Start, __builtin_frame_address(0), 0);
    }
  }
  if (R == 0) {
    orderAfterJoin(T, Th);
    renewStackLocks(T);
  }
  return R;
}
} // namespace

LG_INTERFACE int pthread_join(pthread_t Th, void **Ret) {
  return joinThread(Th, "pthread_join", JoinWait::Forever,
                    [&] { return LG_REAL(pthread_join)(Th, Ret); });
}

LG_INTERFACE int pthread_tryjoin_np(pthread_t Th, void **Ret) {
  return joinThread(Th, "pthread_tryjoin_np", JoinWait::Never,
                    [&] { return LG_REAL(pthread_tryjoin_np)(Th, Ret); });
}

LG_INTERFACE int pthread_timedjoin_np(pthread_t Th, void **Ret,
                                      const struct timespec *Abs) {
  return joinThread(Th, "pthread_timedjoin_np", JoinWait::Timed, [&] {
    return LG_REAL(pthread_timedjoin_np)(Th, Ret, Abs);
  });
}

LG_INTERFACE int pthread_clockjoin_np(pthread_t Th, void **Ret, clockid_t C,
                                      const struct timespec *Abs) {
  return joinThread(Th, "pthread_clockjoin_np", JoinWait::Timed, [&] {
    return LG_REAL(pthread_clockjoin_np)(Th, Ret, C, Abs);
  });
}

namespace {
/// glibc's thrd_err_map: a pthread error as a C11 thread result.
int c11Result(int R) {
  switch (R) {
  case 0:
    return thrd_success;
  case ENOMEM:
    return thrd_nomem;
  case ETIMEDOUT:
    return thrd_timedout;
  case EBUSY:
    return thrd_busy;
  default:
    return thrd_error;
  }
}
} // namespace

// C11 threads: glibc's thrd_create and thrd_join call its pthread functions
// internally, past the interposers above, so without these a C11 thread had
// no class (no join-holding-lock cycle) and no start or join order. They do
// what glibc's do, through the pthread hooks: the thread is made with
// glibc's marker of a C11 thread ((void *)-1 as the attributes), which the
// real pthread_create takes to run the routine as int (*)(void *).
LG_INTERFACE int thrd_create(thrd_t *Th, thrd_start_t Fn, void *Arg) {
  static_assert(sizeof(thrd_t) == sizeof(pthread_t), "glibc's thrd_t is a pthread_t");
  return c11Result(createThread(
      reinterpret_cast<pthread_t *>(Th),
      reinterpret_cast<const pthread_attr_t *>(~uintptr_t(0)),
      routineCast<void *(*)(void *)>(Fn), Arg, true));
}

LG_INTERFACE int thrd_join(thrd_t Th, int *Res) {
  void *Ret = nullptr;
  const int R = joinThread(pthread_t(Th), "thrd_join", JoinWait::Forever, [&] {
    return LG_REAL(pthread_join)(pthread_t(Th), &Ret);
  });
  if (R == 0 && Res)
    *Res = int(uintptr_t(Ret));
  return c11Result(R);
}

// execl, execle, execlp: variadic, so the argument list is collected into an
// argv on the stack (as glibc does) and handed to the execve/execvp hooks
// above, which report before the real call.
namespace {
/// Counts the arguments after \p Arg0 up to the terminating null pointer.
size_t countArgs(const char *Arg0, va_list Ap) {
  size_t N = 1;
  if (!Arg0)
    return 0;
  va_list Cp;
  va_copy(Cp, Ap);
  while (va_arg(Cp, const char *))
    ++N;
  va_end(Cp);
  return N;
}

/// Builds execl's argument list (\p Arg0, then the rest of \p Ap up to its
/// terminating null, which is consumed) as an argv on this frame's stack
/// and returns \p Exec(Argv): no allocation, since exec must work in a
/// vfork child.
template <typename ExecFn>
int withArgv(const char *Arg0, va_list *Ap, ExecFn Exec) {
  size_t N = countArgs(Arg0, *Ap);
  char **Argv = static_cast<char **>(__builtin_alloca((N + 1) * sizeof(char *)));
  if (N)
    Argv[0] = const_cast<char *>(Arg0);
  for (size_t I = 1; I < N; ++I)
    Argv[I] = va_arg(*Ap, char *);
  Argv[N] = nullptr;
  if (N)
    (void)va_arg(*Ap, char *);
  return Exec(Argv);
}
} // namespace

extern char **environ;

LG_INTERFACE int execl(const char *Path, const char *Arg0, ...) {
  va_list Ap;
  va_start(Ap, Arg0);
  int R = withArgv(Arg0, &Ap, [&](char **Argv) { return execve(Path, Argv, environ); });
  va_end(Ap);
  return R;
}

LG_INTERFACE int execle(const char *Path, const char *Arg0, ...) {
  va_list Ap;
  va_start(Ap, Arg0);
  int R = withArgv(Arg0, &Ap, [&](char **Argv) {
    char **Envp = va_arg(Ap, char **);
    return execve(Path, Argv, Envp);
  });
  va_end(Ap);
  return R;
}

LG_INTERFACE int execlp(const char *File, const char *Arg0, ...) {
  va_list Ap;
  va_start(Ap, Arg0);
  int R = withArgv(Arg0, &Ap, [&](char **Argv) { return execvp(File, Argv); });
  va_end(Ap);
  return R;
}

/// A module about to be unloaded is remembered, so that what was captured
/// in it still symbolizes at exit; once unloaded, its locks are retired.
LG_INTERFACE int dlclose(void *Handle) {
  ClosingModule Closing;
  const bool Known = rememberClosingModule(Handle, Closing);
  const int R = LG_REAL(dlclose)(Handle);
  if (R == 0 && Known)
    retireLocksOfUnloaded(Closing);
  return R;
}
