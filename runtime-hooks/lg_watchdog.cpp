//===- lg_watchdog.cpp - Real deadlocks: the wait-for graph of threads ------===//
//
// A thread blocked in an untimed lock call publishes what it waits for
// (ThreadState::Waiting with Held[Depth]). Every watchdog_interval_ms the
// watchdog builds the wait-for graph "T waits for a lock held by U" and
// follows it; a cycle seen twice in a row with no thread having moved
// (same Waiting number) is a real deadlock, reported once.
//
//===----------------------------------------------------------------------===//
#include "lg_internal.h"

#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

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
};

uint64_t LastCandidate = 0;

void scanOnce() {
  Waiter W[MaxWaiters];
  unsigned NW = 0;
  ThreadState *Cycle[MaxWaiters];
  unsigned NC = 0;
  uint64_t Signature = 0;
  lockRegistry();
  for (ThreadState *T = allThreads(); T && NW < MaxWaiters; T = T->NextAll) {
    if (!T->Alive.load(std::memory_order_acquire) ||
        !T->Waiting.load(std::memory_order_acquire))
      continue;
    uint32_t D = T->Depth;
    if (D >= T->Cap)
      continue;
    uint64_t Seq = T->Waiting.load(std::memory_order_acquire);
    if (!Seq)
      continue;
    W[NW++] = {T, T->Held[D].Addr, T->Held[D].Mode, Seq, -1};
  }
  // Owners among the waiters only: a cycle consists of waiting threads.
  for (unsigned I = 0; I < NW; ++I) {
    for (unsigned J = 0; J < NW && W[I].Owner < 0; ++J) {
      if (I == J)
        continue;
      ThreadState *U = W[J].T;
      uint32_t D = U->Depth;
      if (D > U->Cap)
        continue;
      for (uint32_t K = 0; K < D; ++K) {
        const HeldLock &H = U->Held[K];
        if (H.Addr == W[I].Addr &&
            (W[I].Mode == ModeExclusive || H.Mode == ModeExclusive) &&
            !releasedElsewhere(U, H.Addr)) {
          W[I].Owner = int(J);
          break;
        }
      }
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
      Cycle[NC++] = W[Cur].T;
      Signature += mix64(reinterpret_cast<uintptr_t>(W[Cur].T) ^
                         (W[Cur].Seq << 20) ^ W[Cur].Addr);
      Cur = W[Cur].Owner;
    } while (unsigned(Cur) != S && NC < MaxWaiters);
  }
  unlockRegistry();
  if (NC == 0) {
    LastCandidate = 0;
    return;
  }
  if (Signature != LastCandidate) {
    LastCandidate = Signature;
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
}

} // namespace lockgraph::rt
