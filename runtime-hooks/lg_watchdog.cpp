//===- lg_watchdog.cpp - Real deadlocks: the wait-for graph of threads ------===//
//
// A thread blocked in an untimed lock call publishes what it waits for
// (ThreadState::Waiting with Held[Depth]), except on the mutex fast path,
// where the mutex it waits for is its innermost held entry and the mutex's
// own owner field is not the thread yet (waitsForPushedMutex). Every
// watchdog_interval_ms the watchdog builds the wait-for graph "T waits for
// a lock held by U" and follows it; a cycle seen twice in a row with no
// thread having moved (same Waiting number, or for the fast path the same
// lock at the same depth, with the thread asleep) is a real deadlock,
// reported once.
//
//===----------------------------------------------------------------------===//
#include "lg_internal.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace lockgraph::rt {

int createInternalThread(pthread_t *Th, void *(*Fn)(void *), void *Arg);
void checkFatalDeadline();

namespace {

std::atomic<bool> Started{false};
ThreadState IgnoredThread; // TLS state of the watchdog: all hooks pass through

constexpr unsigned MaxWaiters = 256;

struct Waiter {
  ThreadState *T;
  uintptr_t Addr;
  uint8_t Mode;
  uint64_t Seq;
  int Owner; // index into Waiters, or -1
  uint32_t Acquired; // acquiredDepth(T)
};

/// Waiter::Seq of a thread waiting on the mutex fast path, which counts no
/// waits: its lock and depth (tagged apart from Waiting numbers).
uint64_t pushedWaitSeq(const ThreadState *T, uint32_t Index) {
  return mix64(T->Held[Index].Addr + Index) | uint64_t(1) << 63;
}

uint64_t LastCandidate = 0;

/// Since when (the watchdog's clock: waiters read none) each waiter of the
/// last scan has waited with the same Waiting number.
struct SeenWait {
  ThreadState *T;
  uint64_t Seq;
  uint64_t Since;
};
SeenWait Seen[MaxWaiters];
unsigned NSeen = 0;

/// A waiter blocked for stall_seconds behind a thread that has been as long
/// in a blocking call holding the lock it waits for, and every other thread
/// that waits for a lock that thread holds (StallWaiters[0] is the first).
struct Stall {
  StallWaiter Waiters[MaxStallWaiters];
  unsigned NWaiters = 0;
  ThreadState *Holder = nullptr;
  uint64_t Key = 0;
};

/// Where \p U, which has acquired Held[0..D), holds the lock \p W waits for,
/// in a mode that blocks it (not read-read, not unlocked by another thread
/// meanwhile): its Held index, or -1. For the deadlock cycles and the
/// stalls alike.
int heldAgainst(const ThreadState *U, uint32_t D, const Waiter &W) {
  for (uint32_t K = 0; K < D && K < U->Cap; ++K) {
    const HeldLock &H = U->Held[K];
    if (H.Addr == W.Addr && (W.Mode == ModeExclusive || H.Mode == ModeExclusive) &&
        !releasedElsewhere(U, H.Addr))
      return int(K);
  }
  return -1;
}

/// The kernel's state of thread \p Tid of this process ('R' running, 'S'
/// asleep, 'Z' exited, ... in /proc/self/task/<tid>/stat), 0 when it is
/// gone. Raw system calls: the watchdog allocates nothing here.
char taskState(pid_t Tid) {
  char Path[64];
  snprintf(Path, sizeof(Path), "/proc/self/task/%d/stat", int(Tid));
  int Fd = int(syscall(SYS_openat, AT_FDCWD, Path, O_RDONLY | O_CLOEXEC));
  if (Fd < 0)
    return 0;
  char Buf[512];
  long N = syscall(SYS_read, Fd, Buf, sizeof(Buf) - 1);
  syscall(SYS_close, Fd);
  if (N <= 0)
    return 0;
  Buf[N] = 0;
  // "tid (comm) S ...": the state follows the last ')' (comm may hold one).
  const char *Close = strrchr(Buf, ')');
  return Close && Close[1] == ' ' ? Close[2] : 0;
}

/// Whether thread \p Tid is running: a thread whose published blocking
/// call is over but was never closed (a handler that longjmp'd out of it)
/// is not blocked in it.
bool runningNow(pid_t Tid) { return taskState(Tid) == 'R'; }

/// Whether the program's main thread ended with pthread_exit (it stays a
/// zombie until the process ends).
bool mainThreadExited() { return taskState(pid_t(syscall(SYS_getpid))) == 'Z'; }

/// Whether no thread of this process is left but the watchdog and exited
/// ones: main ended with pthread_exit and the last of the program's threads
/// is gone since. glibc's last thread ends the process with exit(0); the
/// watchdog, which the program does not know of, is that thread now.
bool onlyWatchdogLeft() {
  // The kernel's thread count first (one read, whatever the number of
  // threads): the exited main thread, a zombie, still counts, and so does
  // the watchdog; more than those two is someone else alive.
  {
    char Buf[1024];
    const int Fd = int(syscall(SYS_openat, AT_FDCWD, "/proc/self/stat", O_RDONLY | O_CLOEXEC));
    const long N = Fd < 0 ? -1 : syscall(SYS_read, Fd, Buf, sizeof(Buf) - 1);
    if (Fd >= 0)
      syscall(SYS_close, Fd);
    if (N > 0) {
      Buf[N] = 0;
      // "pid (comm) S ppid ...": num_threads is the 17th field after the
      // state.
      const char *At = strrchr(Buf, ')');
      for (int Field = 0; At && Field < 18; ++Field)
        At = strchr(At + 1, ' ');
      if (At && strtol(At + 1, nullptr, 10) > 2)
        return false;
    }
  }
  const pid_t Self = pid_t(syscall(SYS_gettid));
  const int Fd = int(syscall(SYS_openat, AT_FDCWD, "/proc/self/task",
                             O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (Fd < 0)
    return false;
  bool Alone = true;
  alignas(8) char Buf[4096];
  for (long N; Alone && (N = syscall(SYS_getdents64, Fd, Buf, sizeof(Buf))) > 0;)
    for (long At = 0; At < N && Alone;) {
      const auto *Entry = reinterpret_cast<const struct dirent64 *>(Buf + At);
      At += Entry->d_reclen;
      char *End;
      const long Tid = strtol(Entry->d_name, &End, 10);
      if (End == Entry->d_name || *End || Tid == Self)
        continue;
      const char State = taskState(pid_t(Tid));
      Alone = State == 0 || State == 'Z' || State == 'X';
    }
  syscall(SYS_close, Fd);
  return Alone;
}

/// Under the registry lock: the first stall among the waiters \p W.
Stall findStall(const Waiter *W, unsigned NW, const uint64_t *Since,
                uint64_t Now) {
  const uint64_t Limit = uint64_t(GFlags.stall_seconds) * 1000000000ULL;
  for (unsigned I = 0; I < NW; ++I) {
    if (Now - Since[I] < Limit)
      continue;
    for (ThreadState *U = allThreads(); U; U = U->NextAll) {
      if (U == W[I].T || !U->Alive.load(std::memory_order_acquire))
        continue;
      const uint64_t Blocked = U->BlockedSince.load(std::memory_order_acquire);
      if (!Blocked || Now < Blocked || Now - Blocked < Limit)
        continue;
      const uint32_t Acquired = acquiredDepth(U);
      const int K = heldAgainst(U, Acquired, W[I]);
      if (K < 0 || runningNow(U->Tid))
        continue;
      Stall S;
      S.Holder = U;
      S.Key = mix64(reinterpret_cast<uintptr_t>(W[I].T) ^ (W[I].Seq << 20) ^
                    Blocked * 31 ^ 0x7374616c6cULL);
      S.Waiters[S.NWaiters++] = {W[I].T, Now - Since[I], uint32_t(K)};
      // The others it holds up, however long they have waited: which
      // threads a hang stops is what tells how bad it is (memcached's
      // workers behind a pause that waits for them).
      for (unsigned J = 0; J < NW && S.NWaiters < MaxStallWaiters; ++J)
        if (J != I && W[J].T != U)
          if (const int KJ = heldAgainst(U, Acquired, W[J]); KJ >= 0)
            S.Waiters[S.NWaiters++] = {W[J].T, Now - Since[J], uint32_t(KJ)};
      return S;
    }
  }
  return {};
}

void scanOnce() {
  Waiter W[MaxWaiters];
  unsigned NW = 0;
  ThreadState *Cycle[MaxWaiters];
  bool PushedWait[MaxWaiters];
  unsigned NC = 0;
  uint64_t Signature = 0;
  lockRegistry();
  for (ThreadState *T = allThreads(); T && NW < MaxWaiters; T = T->NextAll) {
    if (!T->Alive.load(std::memory_order_acquire))
      continue;
    const uint32_t D = T->Depth;
    if (D >= T->Cap)
      continue;
    if (uint64_t Seq = T->Waiting.load(std::memory_order_acquire))
      W[NW++] = {T, T->Held[D].Addr, T->Held[D].Mode, Seq, -1, D};
    else if (D && waitsForPushedMutex(T))
      W[NW++] = {T, T->Held[D - 1].Addr, T->Held[D - 1].Mode,
                 pushedWaitSeq(T, D - 1), -1, D - 1};
  }
  // How long each has waited: as long as in the last scan if it still waits
  // for the same acquisition.
  const uint64_t Now = nowNs();
  uint64_t Since[MaxWaiters];
  for (unsigned I = 0; I < NW; ++I) {
    Since[I] = Now;
    for (unsigned J = 0; J < NSeen; ++J)
      if (Seen[J].T == W[I].T && Seen[J].Seq == W[I].Seq)
        Since[I] = Seen[J].Since;
  }
  for (unsigned I = 0; I < NW; ++I)
    Seen[I] = {W[I].T, W[I].Seq, Since[I]};
  NSeen = NW;
  const Stall Stalled =
      GFlags.stall_seconds > 0 ? findStall(W, NW, Since, Now) : Stall{};
  // Owners among the waiters only: a cycle consists of waiting threads.
  for (unsigned I = 0; I < NW; ++I) {
    for (unsigned J = 0; J < NW && W[I].Owner < 0; ++J) {
      if (I == J)
        continue;
      if (heldAgainst(W[J].T, W[J].Acquired, W[I]) >= 0)
        W[I].Owner = int(J);
    }
  }
  // Follow owner links from each waiter; a return to the start is a cycle.
  for (unsigned S = 0; S < NW && NC == 0; ++S) {
    int Cur = W[S].Owner;
    unsigned Steps = 0;
    while (Cur >= 0 && unsigned(Cur) != S && Steps++ < NW)
      Cur = W[Cur].Owner;
    if (Cur < 0 || unsigned(Cur) != S)
      continue;
    Cur = int(S);
    do {
      PushedWait[NC] = (W[Cur].Seq >> 63) != 0;
      Cycle[NC++] = W[Cur].T;
      Signature += mix64(reinterpret_cast<uintptr_t>(W[Cur].T) ^
                         (W[Cur].Seq << 20) ^ W[Cur].Addr);
      Cur = W[Cur].Owner;
    } while (unsigned(Cur) != S && NC < MaxWaiters);
  }
  unlockRegistry();
  if (Stalled.NWaiters && GReported.insert(Stalled.Key))
    reportStall(Stalled.Holder, Stalled.Waiters, Stalled.NWaiters);
  if (NC == 0) {
    LastCandidate = 0;
    return;
  }
  if (Signature != LastCandidate) {
    LastCandidate = Signature;
    return;
  }
  // A fast-path waiter counts no waits: the same lock at the same depth in
  // both scans may be two waits. A thread that is running is not stuck.
  for (unsigned I = 0; I < NC; ++I)
    if (PushedWait[I] && runningNow(Cycle[I]->Tid)) {
      LastCandidate = 0;
      return;
    }
  if (!GReported.insert(Signature ^ 0xdeadULL))
    return;
  reportRealDeadlock(Cycle, NC);
}

void *watchdogMain(void *) {
  TLSState = &IgnoredThread;
  int Ms = GFlags.watchdog_interval_ms > 0 ? GFlags.watchdog_interval_ms : 500;
  for (;;) {
    struct timespec Ts = {Ms / 1000, long(Ms % 1000) * 1000000L};
    syscall(SYS_nanosleep, &Ts, nullptr);
    checkFatalDeadline();
    // A program whose main ended with pthread_exit ends when its last
    // thread does, as it would without the watchdog (unbound's unittest
    // hung): looked at every 10 ms from then on.
    if (Ms > 10 && mainThreadExited())
      Ms = 10;
    if (Ms <= 10 && mainThreadExited() && onlyWatchdogLeft())
      exit(0);
    if (GState.load(std::memory_order_acquire) != 2)
      continue;
    drainPendingReports();
    scanOnce();
  }
  return nullptr;
}

} // namespace

void startWatchdogOnce() {
  if (Started.load(std::memory_order_relaxed) || Started.exchange(true))
    return;
  IgnoredThread.Ignore = true;
  IgnoredThread.InRuntime = 1;
  pthread_t Th;
  if (createInternalThread(&Th, watchdogMain, nullptr) == 0)
    pthread_detach(Th);
}

void resetWatchdogAfterFork() {
  Started.store(false);
  LastCandidate = 0;
  NSeen = 0;
}

} // namespace lockgraph::rt
