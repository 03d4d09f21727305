//===- lg_runtime.cpp - Initialization, threads, lock bookkeeping -----------===//
#include "lg_acquire.h"
#include "lg_real.h"

#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include <unwind.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace lockgraph::rt {

Flags GFlags;
LockTable GLocks;
EdgeSet GEdges;
StackDepot GStacks;
KeySet GReported;
std::atomic<int> GState{0};
uintptr_t GSelfLo = 0, GSelfHi = 0;
std::atomic<pid_t> GPid{0};
__thread ThreadState *TLSState __attribute__((tls_model("initial-exec")));

namespace {

// The registry of thread states: a tiny spinlock, taken only when a thread
// starts or ends and by the watchdog and exit report.
std::atomic<bool> RegistryLock{false};
ThreadState *AllThreads = nullptr;
ThreadState *FreeThreads = nullptr;
uint32_t NextThreadIndex = 0;
pthread_key_t ThreadKey;
bool HaveThreadKey = false;

void flagWarning(const char *Msg, void *) {
  rawPrint(Msg, strlen(Msg));
  rawPrint("\n", 1);
}

void printFlagLine(const char *Line, void *) { rawPrint(Line, strlen(Line)); }

int findSelf(struct dl_phdr_info *Info, size_t, void *Data) {
  uintptr_t Probe = reinterpret_cast<uintptr_t>(Data);
  for (int I = 0; I < Info->dlpi_phnum; ++I) {
    const ElfW(Phdr) &P = Info->dlpi_phdr[I];
    if (P.p_type != PT_LOAD || !(P.p_flags & PF_X))
      continue;
    uintptr_t Lo = Info->dlpi_addr + P.p_vaddr, Hi = Lo + P.p_memsz;
    if (Probe >= Lo && Probe < Hi) {
      GSelfLo = Lo;
      GSelfHi = Hi;
      return 1;
    }
  }
  return 0;
}

void threadExit(void *P) {
  ThreadState *T = static_cast<ThreadState *>(P);
  if (!T)
    return;
  rememberThreadEnd(T);
  GTryUnrecorded.fetch_add(T->TryUnrecorded, std::memory_order_relaxed);
  GPathUnrecorded.fetch_add(T->PathUnrecorded, std::memory_order_relaxed);
  lockRegistry();
  T->Alive.store(false, std::memory_order_release);
  T->Waiting.store(0, std::memory_order_relaxed);
  T->NextFree = FreeThreads;
  FreeThreads = T;
  unlockRegistry();
  if (TLSState == T)
    TLSState = nullptr;
}

void setStackBounds(ThreadState *T) {
  pthread_attr_t Attr;
  T->StackLo = T->StackHi = 0;
  if (pthread_getattr_np(pthread_self(), &Attr) == 0) {
    void *Addr = nullptr;
    size_t Size = 0;
    if (pthread_attr_getstack(&Attr, &Addr, &Size) == 0) {
      T->StackLo = reinterpret_cast<uintptr_t>(Addr);
      T->StackHi = T->StackLo + Size;
    }
    pthread_attr_destroy(&Attr);
  }
  // Unknown bounds: no frame-pointer walk at all (Span 0 admits nothing
  // but the lowest address).
  T->StackSpan = T->StackHi > T->StackLo + 16 ? T->StackHi - T->StackLo - 16 : 0;
  if (!T->StackSpan)
    T->StackLo = ~uintptr_t(0);
}

ThreadState *newThreadState() {
  lockRegistry();
  ThreadState *T = FreeThreads;
  bool Fresh = false;
  if (T) {
    FreeThreads = T->NextFree;
  } else {
    T = static_cast<ThreadState *>(mapZeroed(sizeof(ThreadState)));
    Fresh = true;
  }
  if (!T) {
    unlockRegistry();
    return nullptr;
  }
  T->Index = NextThreadIndex++;
  unlockRegistry();
  T->Tid = pid_t(syscall(SYS_gettid));
  T->Salt = mix64(0x6c6f636b67726170ULL + T->Index) | 1;
  T->InRuntime = 1; // until set up
  T->Ignore = false;
  T->Depth = 0;
  T->Reuse = 0;
  T->NotifiedUnder = 0;
  T->NotifyPending = false;
  T->OwnJoinSlot = nullptr;
  T->PendingOnce = nullptr;
  T->Cap = InlineHeld;
  T->Held = T->Inline;
  // A recycled state's stacks were captured on another thread's stack:
  // their slots may lie outside this one's. (A fresh one is zeroed; its
  // pages are left untouched.)
  if (!Fresh) {
    for (HeldLock &H : T->Inline)
      H.StackFrame = 0;
    for (StackMemo::Entry &E : T->Memo.E)
      E.Frame = 0;
    for (HeldStackCache::Entry &E : T->HeldStacks.E)
      E.Frame = 0;
    for (ShortStackMemo::Entry &E : T->ShortStacks.E)
      E.Frame = 0;
  }
  T->HeldXor = 0;
  T->Waiting.store(0);
  T->WaitCounter = 0;
  T->BlockedSince.store(0);
  T->ThreadNode = 0;
  T->ThreadNodeHash = 0;
  T->LastOuter = 0;
  T->RecentN = 0;
  T->TryChainsLeft = TryChainsPerThread;
  T->TryUnrecorded = 0;
  T->PathUnrecorded = 0;
  T->Segment = 0;
  memset(T->RecentReports, 0, sizeof(T->RecentReports));
  for (auto &Slot : T->ReleasedElsewhere)
    Slot.store(0, std::memory_order_relaxed);
  TLSState = T;
  setStackBounds(T);
  if (HaveThreadKey)
    pthread_setspecific(ThreadKey, T);
  lockRegistry();
  T->Alive.store(true, std::memory_order_release);
  if (Fresh) {
    T->NextAll = AllThreads;
    AllThreads = T;
  }
  unlockRegistry();
  T->InRuntime = 0;
  return T;
}

/// on_exit rather than atexit: the deadline needs the exit status.
void atExitHandler(int Status, void *) {
  if (GState.load(std::memory_order_acquire) == 2 &&
      pid_t(syscall(SYS_getpid)) == GPid.load(std::memory_order_relaxed))
    armExitDeadline(Status);
  finalReport(true);
  disarmExitDeadline();
}

// heldTicks() -> ns: the ratio of ticks to CLOCK_MONOTONIC since start-up,
// computed when a hold time is reported (no calibration loop at start).
uint64_t TicksBase = 0, NsBase = 0;
void calibrateTicks() {
  TicksBase = heldTicks();
  NsBase = nowNs();
}

/// Whether this program's name is in \p List (comma-separated).
bool ignoredProgram(const char *List) {
  const char *Name = program_invocation_short_name;
  const size_t Len = strlen(Name);
  for (const char *P = List; P && *P;) {
    const char *End = strchr(P, ',');
    const size_t N = End ? size_t(End - P) : strlen(P);
    if (N == Len && N && strncmp(P, Name, N) == 0)
      return true;
    P = End ? End + 1 : nullptr;
  }
  return false;
}

namespace {
/// Whether held stacks are captured by the frame-pointer walk alone and
/// may have QuickPCs PCs: only then do walks fill the ShortStackMemo, so
/// that a recapture, which looks there first, need not ask.
LG_ALWAYS_INLINE bool shortHeldStacks() {
  return GFlags.fast_unwind && !GFlags.held_stack_unwind &&
         GFlags.held_stack_depth >= int(QuickPCs);
}
} // namespace

/// Initializes the runtime on the calling thread. Returns true when ready.
bool initRuntime() {
  int Expected = 0;
  if (!GState.compare_exchange_strong(Expected, 1)) {
    return Expected == 2;
  }
  int SavedErrno = errno;
  GPid.store(getpid());
  GFlags.setDefaults();
  const char *Env = getenv("LOCKGRAPH_OPTIONS");
  parseFlags(GFlags, Env, flagWarning, nullptr);
  if (GFlags.stack_depth < 1)
    GFlags.stack_depth = 1;
  if (GFlags.stack_depth > int(MaxStackDepth))
    GFlags.stack_depth = MaxStackDepth;
  if (GFlags.held_stack_depth < 0)
    GFlags.held_stack_depth = 0;
  if (GFlags.held_stack_depth > int(MaxHeldPCs))
    GFlags.held_stack_depth = MaxHeldPCs;
  if (GFlags.help) {
    rawPrintf("lockgraph: LOCKGRAPH_OPTIONS flags (current values):\n");
    printFlags(GFlags, printFlagLine, nullptr);
  }
  if (ignoredProgram(GFlags.ignore_programs)) {
    LG_VREPORT(1, "lockgraph: %s is in ignore_programs; recording is off\n",
               program_invocation_short_name);
    GState.store(4);
    errno = SavedErrno;
    return false;
  }
  bool Ok = GLocks.init(22, 22) && GEdges.init(19) && GStacks.init(24, 20) &&
            GReported.init(16);
  if (!Ok) {
    rawPrintf("lockgraph: cannot map the runtime's tables; recording is off\n");
    GState.store(4);
    errno = SavedErrno;
    return false;
  }
  initReports();
  dl_iterate_phdr(findSelf, reinterpret_cast<void *>(&captureStack));
  // Prime the unwinder (it may allocate on first use).
  uintptr_t Tmp[4];
  captureStack(Tmp, 4);
  HaveThreadKey = pthread_key_create(&ThreadKey, threadExit) == 0;
  pthread_atfork(forkPrepare, forkParent, forkChild);
  on_exit(atExitHandler, nullptr);
  calibrateTicks();
  if (GFlags.handle_fatal_signals)
    installFatalHandlers();
  GState.store(2, std::memory_order_release);
  LG_VREPORT(1, "lockgraph: runtime ready (pid=%d)\n", int(getpid()));
  errno = SavedErrno;
  return true;
}

__attribute__((constructor(101))) void lockgraphInit() {
  initRuntime();
  if (GState.load() == 2 && !TLSState)
    newThreadState();
}

} // namespace

void lockRegistry() {
  while (RegistryLock.exchange(true, std::memory_order_acquire))
    sched_yield();
}
void unlockRegistry() { RegistryLock.store(false, std::memory_order_release); }
ThreadState *allThreads() { return AllThreads; }

ThreadState *slowThreadState() {
  int S = GState.load(std::memory_order_acquire);
  if (S != 2) {
    if (S != 0 || !initRuntime())
      return nullptr;
  }
  ThreadState *T = TLSState;
  if (!T) {
    int SavedErrno = errno;
    T = newThreadState();
    errno = SavedErrno;
  }
  if (!T || T->InRuntime)
    return nullptr;
  return T;
}

pid_t peekMutexOwner(uintptr_t Addr) {
  pid_t Owner = -1;
  struct iovec Local = {&Owner, sizeof(Owner)};
  struct iovec Remote = {
      &reinterpret_cast<pthread_mutex_t *>(Addr)->__data.__owner,
      sizeof(Owner)};
  // Raw: the watchdog may not re-enter anything the program interposes.
  if (syscall(SYS_process_vm_readv, syscall(SYS_getpid), &Local, 1UL, &Remote,
              1UL, 0UL) != long(sizeof(Owner)))
    return -1;
  return Owner;
}

bool waitsForPushedMutex(const ThreadState *T) {
  const uint32_t D = T->Depth;
  if (D == 0 || D > T->Cap)
    return false;
  const HeldLock &Top = T->Held[D - 1];
  return Top.FastMutex && peekMutexOwner(Top.Addr) != T->Tid;
}

bool settlePushedMutex(ThreadState *T) {
  // Unlocked by another thread, which said so: the slow path drops it
  // (dropReleasedElsewhere). Otherwise the hook passes through, also when
  // a handler left the lock call with longjmp and the mutex is never the
  // thread's: dropping it would leave the locks taken meanwhile, which
  // passed through, to be unlocked as unheld. A later lock of it, passed
  // through, makes the entry true again.
  return releasedElsewhere(T, T->Held[T->Depth - 1].Addr);
}

uint64_t slowTicks() {
  struct timespec Ts;
  clock_gettime(CLOCK_MONOTONIC_COARSE, &Ts);
  return uint64_t(Ts.tv_sec) * 1000000000ULL + uint64_t(Ts.tv_nsec);
}

uint64_t ticksToNs(uint64_t Ticks) {
#if defined(__x86_64__) || defined(__i386__) || defined(__aarch64__)
  uint64_t T = heldTicks(), N = nowNs();
  if (T <= TicksBase || N <= NsBase)
    return 0;
  return uint64_t(double(Ticks) * (double(N - NsBase) / double(T - TicksBase)));
#else
  return Ticks;
#endif
}

uint64_t nowNs() {
  struct timespec Ts;
  clock_gettime(CLOCK_MONOTONIC, &Ts);
  return uint64_t(Ts.tv_sec) * 1000000000ULL + uint64_t(Ts.tv_nsec);
}

//===----------------------------------------------------------------------===//
// Stacks
//===----------------------------------------------------------------------===//

namespace {
struct UnwindCtx {
  uintptr_t *PCs;
  unsigned Max, N;
  bool LeftSelf;
  uintptr_t *CFAs; ///< optional: each kept frame's CFA
};
_Unwind_Reason_Code unwindCb(struct _Unwind_Context *Ctx, void *Arg) {
  UnwindCtx *U = static_cast<UnwindCtx *>(Arg);
  uintptr_t PC = _Unwind_GetIP(Ctx);
  if (PC == 0)
    return _URC_END_OF_STACK;
  if (!U->LeftSelf) {
    if (PC >= GSelfLo && PC < GSelfHi)
      return _URC_NO_REASON;
    U->LeftSelf = true;
  }
  if (U->CFAs)
    U->CFAs[U->N] = _Unwind_GetCFA(Ctx);
  U->PCs[U->N++] = PC;
  return U->N >= U->Max ? _URC_END_OF_STACK : _URC_NO_REASON;
}
} // namespace

unsigned captureStack(uintptr_t *PCs, unsigned Max) {
  if (Max == 0)
    return 0;
  UnwindCtx U{PCs, Max, 0, false, nullptr};
  _Unwind_Backtrace(unwindCb, &U);
  return U.N;
}

StackId captureStackId() {
  uintptr_t PCs[MaxStackDepth];
  unsigned N = captureStack(PCs, unsigned(GFlags.stack_depth));
  return GStacks.store(PCs, N);
}

std::atomic<uint64_t> GStacksUnwound{0}, GStacksReused{0}, GTryUnrecorded{0},
    GPathUnrecorded{0};

StackId captureStackAt(ThreadState *T, void *FP) {
  StackId Id = 0;
  memoizedStackAt(T, FP, Id);
  return Id;
}

const StackMemo::Entry *memoizedStackAt(ThreadState *T, void *FP, StackId &Id) {
#if defined(__x86_64__)
  const uintptr_t Frame = reinterpret_cast<uintptr_t>(FP);
  if (!FP || Frame - T->StackLo > T->StackSpan) {
    Id = captureStackId();
    return nullptr;
  }
  auto Word = [](uintptr_t A) { return *reinterpret_cast<uintptr_t *>(A); };
  // The interposer's return address (Frame + 8) is the first user PC.
  // A bucket of ways: one helper (item_lock()) reached from several
  // callers at the same depth has one Frame and first PC for all of them.
  StackMemo::Entry *Bucket =
      &T->Memo.E[mix64(Frame ^ Word(Frame + 8)) % StackMemo::Buckets *
                 StackMemo::Ways];
  for (unsigned W = 0; W < StackMemo::Ways; ++W) {
    const StackMemo::Entry &E = Bucket[W];
    if (E.Frame != Frame || !E.Id)
      continue;
    unsigned N = 0;
    const uintptr_t *PCs = GStacks.get(E.Id, N);
    bool Same = PCs && N == E.N;
    for (unsigned I = 0; Same && I < N; ++I)
      Same = Word(Frame + E.Slot[I]) == PCs[I];
    if (Same) {
      GStacksReused.fetch_add(1, std::memory_order_relaxed);
      Id = E.Id;
      return &E;
    }
  }
  StackMemo::Entry &E = Bucket[T->Memo.Next++ % StackMemo::Ways];
  GStacksUnwound.fetch_add(1, std::memory_order_relaxed);
  uintptr_t PCs[MaxStackDepth], CFAs[MaxStackDepth];
  UnwindCtx U{PCs, unsigned(GFlags.stack_depth), 0, false, CFAs};
  _Unwind_Backtrace(unwindCb, &U);
  Id = GStacks.store(PCs, U.N);
  // Kept only when every PC is where the ABI puts it, 8 bytes below the
  // CFA the unwinder gives with it (the callee's; not so in signal frames),
  // and the first one is the interposer's return address.
  bool Memoizable = Id && U.N && U.N <= StackMemo::MaxFrames &&
                    CFAs[0] - 8 == Frame + 8;
  E.Frame = 0;
  for (unsigned I = 0; Memoizable && I < U.N; ++I) {
    uintptr_t At = CFAs[I] - 8;
    Memoizable = At > Frame && At - T->StackLo <= T->StackSpan &&
                 Word(At) == PCs[I];
    E.Slot[I] = uint32_t(At - Frame);
  }
  if (!Memoizable)
    return nullptr;
  E.Id = Id;
  E.N = U.N;
  E.Frame = Frame;
  return &E;
#else
  (void)T;
  (void)FP;
  Id = captureStackId();
  return nullptr;
#endif
}

/// Held entry \p N's stack is its NumPCs PCs, read below frame \p Frame.
static LG_ALWAYS_INLINE void setHeldStack(HeldLock &N, uintptr_t Frame) {
  static_assert(QuickPCs == 2, "sameQuickHeldStack reads two words");
  if (N.NumPCs == 1) {
    N.Slot[1] = N.Slot[0];
    N.PCs[1] = N.PCs[0];
  }
  N.QuickSlot1 = N.NumPCs && N.Slot[0] == 8 && N.Slot[1] <= UINT16_MAX
                    ? uint16_t(N.Slot[1])
                    : 0;
  // No PCs, no frame: neither reuse check may read a slot.
  N.StackFrame = N.NumPCs ? Frame : 0;
}

void revalidateFastMutexes(ThreadState *T) {
  // The epoch first: a retirement it counts has emptied its slot too.
  const uint32_t Epoch = GLocks.retireEpochAcquire();
  const uint32_t End = std::min(std::max(T->Reuse, T->Depth), T->Cap);
  for (uint32_t I = 0; I < End; ++I) {
    HeldLock &H = T->Held[I];
    if (H.FastMutex && !GLocks.isCurrent(H.Addr, H.Inst))
      H.FastMutex = 0;
  }
  T->RetireSeen = Epoch;
}

bool sameDeepHeldStack(const HeldLock &N, uintptr_t Frame) {
  for (unsigned I = QuickPCs; I < N.NumPCs; ++I)
    if (*reinterpret_cast<const uintptr_t *>(Frame + N.Slot[I]) != N.PCs[I])
      return false;
  return true;
}

/// held_stack_unwind's capture for a stack whose frame pointers end at the
/// caller (\p N holds that one PC): the memoized full unwind, cached by
/// frame and first PC. Leaves N.NumPCs, PCs and Slot set.
static LG_NOINLINE void captureHeldPCsUnwound(ThreadState *T, HeldLock &N,
                                              void *FP, unsigned Max) {
  const uintptr_t Frame = reinterpret_cast<uintptr_t>(FP);
  unsigned Got = 1;
  HeldStackCache &Cache = T->HeldStacks;
  const unsigned Set = unsigned(mix64(Frame ^ N.PCs[0]) % HeldStackCache::Sets);
  HeldStackCache::Entry *Ways = &Cache.E[Set * HeldStackCache::Ways];
  for (unsigned W = 0; W < HeldStackCache::Ways; ++W) {
    const HeldStackCache::Entry &C = Ways[W];
    bool Same = C.Frame == Frame && C.N <= Max && C.PCs[0] == N.PCs[0];
    for (unsigned I = 1; Same && I < C.N; ++I)
      Same = *reinterpret_cast<const uintptr_t *>(Frame + C.Slot[I]) == C.PCs[I];
    if (Same) {
      N.NumPCs = uint8_t(C.N);
      for (unsigned I = 0; I < C.N; ++I) {
        N.PCs[I] = C.PCs[I];
        N.Slot[I] = C.Slot[I];
      }
      return;
    }
  }
  RuntimeScope Scope(T);
  StackId Id = 0;
  unsigned Depth = 0;
  const StackMemo::Entry *E = memoizedStackAt(T, FP, Id);
  if (const uintptr_t *PCs = E ? GStacks.get(Id, Depth) : nullptr;
      PCs && Depth > 1 && PCs[0] == N.PCs[0]) {
    HeldStackCache::Entry &C = Ways[Cache.Next[Set]++ % HeldStackCache::Ways];
    Got = Depth < Max ? Depth : Max;
    C.Frame = Frame;
    C.N = Got;
    for (unsigned I = 0; I < Got; ++I) {
      C.PCs[I] = N.PCs[I] = PCs[I];
      C.Slot[I] = N.Slot[I] = E->Slot[I];
    }
  }
  N.NumPCs = uint8_t(Got);
}

namespace {
/// recaptureHeldStack past its memo: the walk (or the full unwinder), and
/// the memo entry \p Known (nullptr: none) now holding a short stack.
LG_NOINLINE void walkHeldStack(ThreadState *T, HeldLock &N, void *FP,
                               ShortStackMemo::Entry *Known) {
  const unsigned Max = unsigned(GFlags.held_stack_depth);
  const uintptr_t Frame = reinterpret_cast<uintptr_t>(FP);
  if (LG_UNLIKELY(!GFlags.fast_unwind)) {
    N.NumPCs = uint8_t(slowHeldCapture(T, N.PCs));
  } else {
    const unsigned Got = fastUnwind(T, FP, N.PCs, Max, N.Slot);
    N.NumPCs = uint8_t(Got);
    if (Got == 1 && Max > 1 && GFlags.held_stack_unwind)
      captureHeldPCsUnwound(T, N, FP, Max);
    setHeldStack(N, Frame);
  }
  // With the interposer's frame: in code without frame pointers the stack
  // stops at the caller of the lock call, which for a lock wrapper is the
  // same PC for every lock of the program; the frame's depth on the stack
  // tells the wrapper's callers apart.
  uint64_t H = N.NumPCs + Frame;
  for (unsigned I = 0; I < N.NumPCs; ++I)
    H = (H ^ N.PCs[I]) * 0x9E3779B97F4A7C15ULL;
  N.PathHash = uint32_t(H >> 32);
  if (Known && N.StackFrame && N.NumPCs <= QuickPCs && shortHeldStacks())
    *Known = {Frame, N.PCs[0], N.PCs[1], N.Slot[1], N.PathHash};
}
} // namespace

// One function for the common case (frame pointers, or none past the
// caller): an acquisition from another place than the last one at its
// depth (a lock taken from several call sites, a hashed lock per request)
// comes here every time. Without frame pointers, its stack is mostly one
// it had before (ShortStackMemo).
void recaptureHeldStack(ThreadState *T, HeldLock &N, void *FP) {
  const uintptr_t Frame = reinterpret_cast<uintptr_t>(FP);
  N.StackFrame = 0; // no reuse check may compare a half-written stack
  const uintptr_t Word0 = *reinterpret_cast<const uintptr_t *>(Frame + 8);
  ShortStackMemo::Entry &Known = T->ShortStacks.of(Frame, Word0);
  if (Known.Frame != Frame || Known.Word0 != Word0 ||
      *reinterpret_cast<const uintptr_t *>(Frame + Known.Slot1) != Known.Word1)
    return walkHeldStack(T, N, FP, &Known);
  N.NumPCs = Known.Slot1 == 8 ? 1 : 2;
  N.PCs[0] = Word0;
  N.PCs[1] = Known.Word1;
  if (LG_LIKELY(Known.Slot1 <= UINT16_MAX)) {
    N.QuickSlot1 = uint16_t(Known.Slot1);
  } else {
    N.QuickSlot1 = 0;
    N.Slot[0] = 8;
    N.Slot[1] = Known.Slot1;
  }
  N.PathHash = Known.PathHash;
  N.StackFrame = Frame;
}

//===----------------------------------------------------------------------===//
// Bookkeeping
//===----------------------------------------------------------------------===//

void instanceCreated(ThreadState *T, InstanceId Inst, void *FP) {
  RuntimeScope Scope(T);
  InstanceInfo &I = GLocks.info(Inst);
  if (FP && GFlags.fast_unwind) {
    // Cheap enough for millions of locks; names need only the first frames.
    uintptr_t PCs[MaxStackDepth];
    unsigned N = fastUnwind(T, FP, PCs, unsigned(GFlags.stack_depth));
    I.FirstStack = GStacks.store(PCs, N);
  } else {
    I.FirstStack = captureStackId();
  }
  I.Ready.store(1, std::memory_order_release);
}

void notePageHasLock(uintptr_t Addr);

InstanceId newInstance(ThreadState *T, uintptr_t Addr, uint8_t Kind,
                       void *FP, bool *FirstAtAddress) {
  bool Created;
  InstanceId Inst = GLocks.lookupOrCreate(Addr, Kind, Created, FirstAtAddress);
  if (Created) {
    notePageHasLock(Addr);
    instanceCreated(T, Inst, FP);
  }
  return Inst;
}

bool growHeld(ThreadState *T) {
  RuntimeScope Scope(T);
  uint32_t NewCap = T->Cap * 4;
  auto *N = static_cast<HeldLock *>(mapZeroed(NewCap * sizeof(HeldLock)));
  if (!N)
    return false;
  memcpy(N, T->Held, T->Cap * sizeof(HeldLock));
  // The old array is not unmapped: the watchdog may be reading it.
  T->Held = N;
  T->Cap = NewCap;
  return true;
}

unsigned slowHeldCapture(ThreadState *T, uintptr_t *PCs) {
  RuntimeScope Scope(T);
  return captureStack(PCs, unsigned(GFlags.held_stack_depth));
}

namespace {

/// \p Acquired: the acquisition's stack, captured by the first new edge of
/// the acquisition and shared by the others (0 until then).
/// One record per (From, To, thread, try), whatever else is held: a record
/// keeps the locks held at *every* observation (what the gate-lock filter
/// needs), so a held set seen again with different other locks intersects
/// them instead of making another record. (Keyed by the whole held set,
/// memcached's LRU thread made a record per item lock pair it held.) Only
/// the recording thread writes its records.
void keepCommonOthers(ThreadState *T, uint32_t FromIdx, EdgeRecord &R) {
  unsigned N = R.NumOther < EdgeRecord::MaxOther ? R.NumOther
                                                  : EdgeRecord::MaxOther;
  unsigned Kept = 0;
  for (unsigned I = 0; I < N; ++I) {
    bool StillHeld = false;
    for (uint32_t J = 0; J < T->Depth && !StillHeld; ++J)
      StillHeld = J != FromIdx && T->Held[J].Inst == R.Other[I];
    if (StillHeld)
      R.Other[Kept++] = R.Other[I];
  }
  // Past MaxOther the list was already a part of the set; what is kept is
  // still a part of the intersection (gate filtering only gets rarer).
  if (Kept != R.NumOther)
    R.NumOther = uint8_t(Kept);
}

void recordEdge(ThreadState *T, uint32_t FromIdx, uint64_t Key,
                unsigned AcqFlags, StackId &Acquired, void *FP) {
  EdgeRecord *Found;
  EdgeRecord *R = GEdges.insert(Key, Found);
  if (!R) {
    if (Found && Found->NumOther &&
        Found->Ready.load(std::memory_order_acquire))
      keepCommonOthers(T, FromIdx, *Found);
    return;
  }
  const HeldLock &H = T->Held[FromIdx];
  const HeldLock &N = T->Held[T->Depth];
  R->From = H.Inst;
  R->To = N.Inst;
  R->Thread = T->Index;
  R->Segment = T->Segment;
  R->FromMode = H.Mode;
  R->ToMode = N.Mode;
  R->Flags = (AcqFlags & AcqTry) ? EdgeRecord::TryAcquired : 0;
  unsigned NO = 0;
  // NumOther saturates at 255: no need to count further.
  for (uint32_t J = 0; J < T->Depth && NO < 255; ++J) {
    if (J == FromIdx || T->Held[J].Inst == H.Inst || T->Held[J].Inst == N.Inst)
      continue;
    if (NO < EdgeRecord::MaxOther)
      R->Other[NO] = T->Held[J].Inst;
    ++NO;
  }
  R->NumOther = uint8_t(NO);
  R->HeldStack = GStacks.store(H.PCs, H.NumPCs);
  if (!Acquired)
    Acquired = captureStackAt(T, FP);
  R->AcquiredStack = Acquired;
  R->Ready.store(1, std::memory_order_release);
}

//===----------------------------------------------------------------------===//
// Wait nodes: condition variables and thread classes
//===----------------------------------------------------------------------===//

/// The hash a node contributes to edge keys (HeldLock::Hash of mode 0).
uint64_t nodeHash(InstanceId I) { return heldHash(I, 0); }

/// A new wait-node edge \p Key: nullptr when this thread already recorded it
/// (per-thread cache) or the edge set has it (which counts it).
EdgeRecord *claimNodeEdge(ThreadState *T, uint64_t Key) {
  uint64_t C = Key | 1;
  if (T->Cache.contains(C))
    return nullptr;
  T->Cache.insert(C);
  return GEdges.insert(C);
}

/// Fills and publishes \p R. The other locks are the held ones except the
/// edge's ends (none for \p NoOthers).
void fillNodeEdge(ThreadState *T, EdgeRecord *R, InstanceId From,
                  InstanceId To, uint8_t FromMode, uint8_t ToMode,
                  uint8_t Flags, StackId Held, StackId Acquired,
                  bool NoOthers) {
  R->From = From;
  R->To = To;
  R->Thread = T->Index;
  R->Segment = T->Segment;
  R->FromMode = FromMode;
  R->ToMode = ToMode;
  R->Flags = Flags;
  unsigned NO = 0;
  for (uint32_t J = 0; !NoOthers && J < T->Depth; ++J) {
    InstanceId O = T->Held[J].Inst;
    if (O == From || O == To)
      continue;
    if (NO < EdgeRecord::MaxOther)
      R->Other[NO] = O;
    ++NO;
  }
  R->NumOther = uint8_t(NO > 255 ? 255 : NO);
  R->HeldStack = Held;
  R->AcquiredStack = Acquired;
  R->Ready.store(1, std::memory_order_release);
}

/// The stack of the current call, captured once per hook on first use.
struct LazyStack {
  ThreadState *T;
  void *FP;
  StackId Id = 0;
  bool Done = false;
  StackId get() {
    if (!Done) {
      Id = captureStackAt(T, FP);
      Done = true;
    }
    return Id;
  }
};

/// thread:X -> Held[0], the thread's outermost acquisition. One record per
/// (class, lock), whichever thread of the class got there first: 10,000
/// threads of one class make one edge per lock.
void recordThreadEdge(ThreadState *T, unsigned AcqFlags, void *FP) {
  const HeldLock &N = T->Held[0];
  uint64_t Key = mix64(T->ThreadNodeHash * 31 + N.Hash * 37 +
                       (AcqFlags & AcqTry) + 0x7468726561640000ULL) |
                 1;
  EdgeRecord *R = GEdges.insert(Key);
  if (!R)
    return;
  fillNodeEdge(T, R, T->ThreadNode, N.Inst, ModeExclusive, N.Mode,
               (AcqFlags & AcqTry) ? EdgeRecord::TryAcquired : 0,
               GLocks.info(T->ThreadNode).FirstStack,
               captureStackAt(T, FP), true);
}

/// The instance of the condition variable at \p Cv (created on first use,
/// named like a lock: its global, else condvar@<first wait/signal site>).
InstanceId condVarInstance(ThreadState *T, uintptr_t Cv, void *FP) {
  InstanceId I = GLocks.lookupFast(Cv);
  if (!I)
    I = newInstance(T, Cv, KindCondVar, FP);
  return I;
}

bool isHangingRelock(const HeldLock &H, uint8_t Kind, uint8_t Mode,
                     unsigned AcqFlags) {
  if (AcqFlags & (AcqTry | AcqTimed | AcqErrorCheck))
    return false;
  switch (Kind) {
  case KindRecursiveMutex:
    return false;
  case KindRwLock:
    // wrlock after rdlock hangs; glibc answers EDEADLK for the rest,
    // and a second rdlock succeeds.
    return Mode == ModeExclusive && H.Mode == ModeShared;
  default:
    return true;
  }
}

} // namespace

void recordEdges(ThreadState *T, unsigned AcqFlags, void *FP) {
  RuntimeScope Scope(T);
  dropReleasedElsewhere(T);
  if (AcqFlags & AcqTry)
    --T->TryChainsLeft; // not 0: acquireCall checked
  if (T->Depth == 0) {
    recordThreadEdge(T, AcqFlags, FP);
    return;
  }
  const HeldLock &N = T->Held[T->Depth];
  const uint64_t NH = N.Hash * 7 + T->Salt + (AcqFlags & AcqTry);
  StackId Acquired = 0;
  const uint32_t Limit = uint32_t(GFlags.max_held_edges);
  for (uint32_t I = Limit && T->Depth > Limit ? T->Depth - Limit : 0;
       I < T->Depth; ++I) {
    const HeldLock &H = T->Held[I];
    if (H.Inst == N.Inst)
      continue;
    recordEdge(T, I, mix64(H.Hash * 3 + NH), AcqFlags, Acquired, FP);
  }
}

void noteOuterLock(ThreadState *T) {
  const HeldLock &H = T->Held[0];
  T->LastOuter = outerKey(H);
  ThreadState::RecentLocks &R = T->Recent;
  const unsigned I = T->RecentN++ % R.Size;
  R.Inst[I] = H.Inst;
  R.Try[I] = H.Try;
  const unsigned N = H.NumPCs < R.MaxPCs ? H.NumPCs : R.MaxPCs;
  R.NumPCs[I] = uint16_t(N);
  for (unsigned K = 0; K < N; ++K)
    R.PCs[K][I] = H.PCs[K];
}

namespace {
/// The edges a condition-variable wait or signal records along one call
/// path are sampled as lock pairs are (PathCounts), the condition variable
/// standing for the new lock: a path that keeps meeting new condition
/// variables (nng has one per task: each signal made new edges to the held
/// and recent locks, 36,000 of inproc_lat's 51,000 edges for 2,000 round
/// trips) stops recording past its budget. The path is where the program
/// made the call (the return address in the interposer's frame \p FP, with
/// the depth) under the innermost held locks' acquisition stacks; \p Kind
/// tells waits from signals.
class NodePath {
public:
  NodePath(ThreadState *T, void *FP, uint32_t Kind) : T(T) {
    Limit = uint32_t(GFlags.max_edges_per_path);
    if (!Limit)
      return;
    const uint32_t D = T->Depth;
    Path = (((uint32_t(T->Salt >> 32) + Kind) * 31u + D * 0x85EBCA6Bu +
             uint32_t(mix64(static_cast<const uintptr_t *>(FP)[1]))) ^
            heldPathHash(T, D)) |
           1;
  }
  /// Whether this call's edges, with condition variable \p CvI, are
  /// sampled out (counted as not recorded).
  bool sampledOut(InstanceId CvI) {
    PathCounts::Entry *Full = Path ? T->Paths.full(Path, Limit) : nullptr;
    if (!Full)
      return false;
    if (!rt::sampledOut(*Full, newestOnPath(T, T->Depth, CvI)))
      return false;
    ++T->PathUnrecorded;
    return true;
  }
  /// A new edge recorded along the path.
  void recorded() {
    if (Path)
      T->Paths.count(Path, Limit, GLocks.newestInstance());
  }

private:
  ThreadState *T;
  uint32_t Limit = 0;
  uint32_t Path = 0;
};
} // namespace

void recordCondWait(ThreadState *T, uintptr_t Cv, bool Timed, void *FP) {
  if (!GFlags.detect_waits)
    return;
  RuntimeScope Scope(T);
  InstanceId CvI = condVarInstance(T, Cv, FP);
  if (!CvI)
    return;
  NodePath Along(T, FP, 0x77616974);
  if (Along.sampledOut(CvI))
    return;
  const uint64_t CvHash = nodeHash(CvI);
  LazyStack Now{T, FP};
  for (uint32_t I = 0; I < T->Depth; ++I) {
    const HeldLock &H = T->Held[I];
    if (H.Inst == CvI)
      continue;
    EdgeRecord *R = claimNodeEdge(
        T, mix64(H.Hash * 5 + CvHash * 13 + T->Salt + (Timed ? 1 : 0) +
                 0x7761697400000000ULL));
    if (R) {
      fillNodeEdge(T, R, H.Inst, CvI, H.Mode, ModeExclusive,
                   Timed ? EdgeRecord::TryAcquired : 0,
                   GStacks.store(H.PCs, H.NumPCs), Now.get(), false);
      Along.recorded();
    }
  }
}

void recordCondSignal(ThreadState *T, uintptr_t Cv, void *FP) {
  if (!GFlags.detect_waits)
    return; // no join edges either (recordJoin)
  // Not the main thread's: no thread joins it.
  if (T->Depth && T->Index != 0)
    notifiedUnder(T, T->Held[T->Depth - 1].Addr);
  RuntimeScope Scope(T);
  InstanceId CvI = condVarInstance(T, Cv, FP);
  if (!CvI)
    return;
  NodePath Along(T, FP, 0x7369676e);
  if (Along.sampledOut(CvI)) {
    T->RecentN = 0;
    T->LastOuter = 0;
    return;
  }
  const uint64_t CvHash = nodeHash(CvI);
  LazyStack Now{T, FP};
  // A lock the notifier took with a trylock makes a try edge: a waiter
  // holding it makes the trylock fail, it does not block the notifier.
  for (uint32_t I = 0; I < T->Depth; ++I) {
    const HeldLock &H = T->Held[I];
    if (H.Inst == CvI)
      continue;
    EdgeRecord *R = claimNodeEdge(
        T, mix64(CvHash * 17 + nodeHash(H.Inst) * 19 + T->Salt + H.Try +
                 0x7369676e00000000ULL));
    if (R) {
      fillNodeEdge(T, R, CvI, H.Inst, ModeExclusive, H.Mode,
                   H.Try ? EdgeRecord::TryAcquired : 0, Now.get(),
                   GStacks.store(H.PCs, H.NumPCs), false);
      Along.recorded();
    }
  }
  // Locks taken (and released) since this thread's previous signal: the
  // work that led to this notification, which a waiter holding one of them
  // would block.
  const ThreadState::RecentLocks &Recent = T->Recent;
  const unsigned N = T->RecentN < Recent.Size ? T->RecentN : Recent.Size;
  for (unsigned K = 0; K < N; ++K) {
    const unsigned E = (T->RecentN - 1 - K) % Recent.Size;
    const InstanceId Inst = Recent.Inst[E];
    bool Held = Inst == CvI;
    for (uint32_t I = 0; I < T->Depth && !Held; ++I)
      Held = T->Held[I].Inst == Inst;
    if (Held)
      continue;
    EdgeRecord *R = claimNodeEdge(
        T, mix64(CvHash * 17 + nodeHash(Inst) * 19 + T->Salt +
                 Recent.Try[E] + 0x7369676e00000000ULL));
    if (R) {
      uintptr_t PCs[ThreadState::RecentLocks::MaxPCs];
      for (unsigned P = 0; P < Recent.NumPCs[E]; ++P)
        PCs[P] = Recent.PCs[P][E];
      fillNodeEdge(T, R, CvI, Inst, ModeExclusive, ModeExclusive,
                   Recent.Try[E] ? EdgeRecord::TryAcquired : 0, Now.get(),
                   GStacks.store(PCs, Recent.NumPCs[E]), true);
      Along.recorded();
    }
  }
  T->RecentN = 0;
  T->LastOuter = 0;
}

bool beginSegment(ThreadState *T) {
  if (T->Segment + 1 >= MaxSegments)
    return false;
  ++T->Segment;
  // New keys for everything the thread records: its pairs are recorded
  // again, as seen in this segment.
  T->Salt = mix64(T->Salt + T->Segment) | 1;
  forgetReuseFrom(T, T->Depth);
  return true;
}

namespace {
/// Thread orders, in the order they were made; room for 65,536 (a thread
/// made per request and joined makes two).
constexpr uint32_t ThreadOrderRoom = 1u << 16;
struct ThreadOrderSlot {
  ThreadOrderRecord O;
  std::atomic<uint32_t> Ready;
};
ThreadOrderSlot ThreadOrderSlots[ThreadOrderRoom];
std::atomic<uint32_t> ThreadOrderCount{0};
} // namespace

void recordThreadOrder(const ThreadOrderRecord &O) {
  const uint32_t I = ThreadOrderCount.fetch_add(1, std::memory_order_relaxed);
  if (I >= ThreadOrderRoom)
    return;
  ThreadOrderSlots[I].O = O;
  ThreadOrderSlots[I].Ready.store(1, std::memory_order_release);
}

std::vector<ThreadOrderRecord> threadOrders() {
  std::vector<ThreadOrderRecord> Out;
  const uint32_t N = std::min(ThreadOrderCount.load(std::memory_order_acquire),
                              ThreadOrderRoom);
  for (uint32_t I = 0; I < N; ++I)
    if (ThreadOrderSlots[I].Ready.load(std::memory_order_acquire))
      Out.push_back(ThreadOrderSlots[I].O);
  return Out;
}

void resetThreadOrdersAfterFork() {
  // The child has one thread: the parent's orders are between threads it
  // does not have, and its graph file has none of their edges.
  const uint32_t N = std::min(ThreadOrderCount.load(), ThreadOrderRoom);
  for (uint32_t I = 0; I < N; ++I)
    ThreadOrderSlots[I].Ready.store(0, std::memory_order_relaxed);
  ThreadOrderCount.store(0);
}

void recordJoin(ThreadState *T, InstanceId Node, uintptr_t DoneUnder,
                void *FP) {
  if (!GFlags.detect_waits || !Node)
    return;
  RuntimeScope Scope(T);
  const uint64_t NH = nodeHash(Node);
  LazyStack Now{T, FP};
  for (uint32_t I = 0; I < T->Depth; ++I) {
    const HeldLock &H = T->Held[I];
    const uint8_t Flags =
        ((H.HoldMarks & HeldLock::SinceWait) ? EdgeRecord::HeldSinceWait : 0) |
        (DoneUnder && H.Addr == DoneUnder ? EdgeRecord::JoinedThreadDone : 0);
    EdgeRecord *R = claimNodeEdge(
        T, mix64(H.Hash * 23 + NH * 29 + T->Salt + Flags +
                 0x6a6f696e00000000ULL));
    if (R)
      fillNodeEdge(T, R, H.Inst, Node, H.Mode, ModeExclusive, Flags,
                   GStacks.store(H.PCs, H.NumPCs), Now.get(), false);
  }
}

bool handleRelock(ThreadState *T, uint32_t Index, uint8_t Kind, uint8_t Mode,
                  unsigned AcqFlags, void *FP) {
  HeldLock &H = T->Held[Index];
  if (isHangingRelock(H, Kind, Mode, AcqFlags)) {
    if (GFlags.detect_misuse) {
      uintptr_t PCs[MaxHeldPCs];
      unsigned N = fastUnwind(T, FP, PCs, MaxHeldPCs);
      reportMisuse(T, Misuse::DoubleLock, H.Addr, Kind, PCs, N);
    }
    if (GFlags.abort_on_deadlock) {
      finalReport(false);
      rawPrintf("lockgraph: aborting (abort_on_deadlock=1)\n");
      abort();
    }
    return false;
  }
  return Kind == KindRecursiveMutex ||
         (Kind == KindRwLock && Mode == ModeShared && H.Mode == ModeShared);
}

namespace {
/// \p Self unlocks \p Addr, which it does not hold: tells the thread that
/// holds it, which then forgets it (a mutex used as a binary semaphore is
/// unlocked by another thread than the one that locked it). Before the
/// real unlock, so the holder sees the note before it can lock \p Addr
/// again.
void noteReleasedElsewhere(ThreadState *Self, uintptr_t Addr) {
  RuntimeScope Scope(Self);
  lockRegistry();
  for (ThreadState *O = allThreads(); O; O = O->NextAll) {
    if (O == Self || !O->Alive.load(std::memory_order_acquire))
      continue;
    uint32_t D = O->Depth;
    if (D > O->Cap)
      continue;
    bool Holds = false;
    for (uint32_t I = 0; I < D && !Holds; ++I)
      Holds = O->Held[I].Addr == Addr;
    if (!Holds)
      continue;
    for (auto &Slot : O->ReleasedElsewhere) {
      uintptr_t Free = 0;
      if (Slot.compare_exchange_strong(Free, Addr, std::memory_order_release))
        break;
    }
    break;
  }
  unlockRegistry();
}
} // namespace

bool dropReleasedElsewhere(ThreadState *T) {
  bool Dropped = false;
  for (auto &Slot : T->ReleasedElsewhere) {
    if (!Slot.load(std::memory_order_relaxed))
      continue;
    HeldLock Unused;
    if (uintptr_t Addr = Slot.exchange(0, std::memory_order_acquire))
      Dropped |= dropHeld(T, Addr, &Unused);
  }
  return Dropped;
}

bool releasedElsewhere(const ThreadState *T, uintptr_t Addr) {
  for (const auto &Slot : T->ReleasedElsewhere)
    if (Slot.load(std::memory_order_acquire) == Addr)
      return true;
  return false;
}

namespace {
/// Held[J] becomes Held[J - 1], the held lock below it having been released
/// out of order. Its SampledOut said how the last acquisition at depth J
/// went, which is no hint for the next one at J - 1 (memcached's LRU
/// maintainer releases its LRU lock under the item lock it tried, then
/// takes the next LRU lock where that item lock now is: a memo hit).
void moveHeldDown(ThreadState *T, uint32_t J) {
  HeldLock &To = T->Held[J - 1];
  const HeldLock &From = T->Held[J];
  // The first line holds all of a short stack; the rest only matters for a
  // deeper one, slots QuickSlot1 does not stand for, or a hold time.
  constexpr size_t FirstLine = offsetof(HeldLock, PCs) + QuickPCs * sizeof(uintptr_t);
  static_assert(FirstLine == 64, "a short stack ends the entry's first line");
  memcpy(&To, &From, FirstLine);
  if (From.NumPCs > QuickPCs || !From.QuickSlot1 || GFlags.hold_time)
    memcpy(reinterpret_cast<char *>(&To) + FirstLine,
           reinterpret_cast<const char *>(&From) + FirstLine,
           sizeof(HeldLock) - FirstLine);
  To.SampledOut = 0;
}
} // namespace

void releaseSlow(ThreadState *T, uintptr_t Addr, void *FP,
                 bool ForeignUnlockReleases) {
  for (uint32_t I = T->Depth; I-- > 0;) {
    HeldLock &H = T->Held[I];
    if (H.Addr != Addr)
      continue;
    if (H.Recursion) {
      --H.Recursion;
      return;
    }
    T->HeldXor ^= H.Hash;
    for (uint32_t J = I + 1; J < T->Depth; ++J)
      moveHeldDown(T, J);
    --T->Depth;
    forgetReuseFrom(T, I);
    return;
  }
  if (ForeignUnlockReleases)
    noteReleasedElsewhere(T, Addr);
  // With a full lock table some acquisitions went untracked: their
  // unlocks are not misuse.
  if (GFlags.detect_misuse && !GLocks.overflowed()) {
    uintptr_t PCs[MaxHeldPCs];
    unsigned N = fastUnwind(T, FP, PCs, MaxHeldPCs);
    InstanceId Inst = GLocks.lookup(Addr);
    reportMisuse(T, Misuse::UnlockUnheld, Addr,
                 Inst ? GLocks.info(Inst).Kind : uint8_t(KindUnknown), PCs, N);
  }
}

bool dropHeld(ThreadState *T, uintptr_t Addr, HeldLock *Saved) {
  for (uint32_t I = T->Depth; I-- > 0;) {
    HeldLock &H = T->Held[I];
    if (H.Addr != Addr)
      continue;
    *Saved = H;
    T->HeldXor ^= H.Hash;
    // Held[Depth], an acquisition in progress, moves down too.
    for (uint32_t J = I + 1; J <= T->Depth && J < T->Cap; ++J)
      moveHeldDown(T, J);
    --T->Depth;
    forgetReuseFrom(T, I);
    return true;
  }
  return false;
}

void reacquireAfterWait(ThreadState *T, const HeldLock &Saved, void *FP) {
  uint32_t D = T->Depth;
  acquireCall(
      T, Saved.Addr,
      [&](unsigned &) { return GLocks.info(Saved.Inst).Kind; }, Saved.Mode,
      AcqNoWait, FP, [] { return 0; });
  if (T->Depth == D + 1) {
    T->Held[D].Recursion = Saved.Recursion;
    // This hold began with the wait. The next acquisition of this entry
    // goes through acquireCall (not the mutex fast path), which clears it.
    T->Held[D].FastMutex = 0;
    T->Held[D].HoldMarks = HeldLock::SinceWait;
  }
}

void notifiedUnder(ThreadState *T, uintptr_t Addr) {
  if (T->NotifiedUnder == Addr &&
      (T->Held[T->Depth - 1].HoldMarks & HeldLock::NotifiedUnder))
    return; // this hold is marked already
  T->NotifiedUnder = Addr;
  T->NotifyPending = true;
  // Every entry that may hold this lock now or take it again without a
  // lookup (the reuse path, the mutex fast path) is marked, so that its
  // next acquisition is seen.
  const uint32_t End = std::min(std::max(T->Reuse, T->Depth), T->Cap);
  for (uint32_t I = 0; I < End; ++I)
    if (T->Held[I].Addr == Addr) {
      T->Held[I].HoldMarks |= HeldLock::NotifiedUnder;
      T->Held[I].FastMutex = 0;
    }
  publishDoneUnder(T, Addr);
}

void reheldAfterNotify(ThreadState *T) {
  T->NotifiedUnder = 0;
  T->NotifyPending = false;
  publishDoneUnder(T, 0);
}

void lockRetired(ThreadState *T, uintptr_t Addr, bool Destroy, void *FP) {
  if (Destroy && GFlags.detect_misuse) {
    for (uint32_t I = 0; I < T->Depth; ++I)
      if (T->Held[I].Addr == Addr) {
        uintptr_t PCs[MaxHeldPCs];
        unsigned N = fastUnwind(T, FP, PCs, MaxHeldPCs);
        reportMisuse(T, Misuse::DestroyHeld, Addr,
                    GLocks.info(T->Held[I].Inst).Kind, PCs, N);
        break;
      }
  }
  GLocks.retire(Addr);
}

//===----------------------------------------------------------------------===//
// fork
//===----------------------------------------------------------------------===//

void forkPrepare() { lockRegistry(); }
void forkParent() { unlockRegistry(); }
void resetReportsAfterFork();
void resetWatchdogAfterFork();
void forkChild() {
  // Only the forking thread exists in the child. It keeps the locks it
  // holds; everything recorded by the parent is forgotten.
  GPid.store(getpid());
  ThreadState *Self = TLSState;
  for (ThreadState *T = AllThreads; T; T = T->NextAll)
    if (T != Self)
      T->Alive.store(false, std::memory_order_relaxed);
  FreeThreads = nullptr; // the other states may be mid-update: leak them
  if (Self) {
    Self->Tid = pid_t(syscall(SYS_gettid));
    // Its held mutexes' owner fields name the parent's thread: they are
    // held all the same (pushedMutexPending must not take them as waited).
    for (uint32_t I = 0; I < Self->Depth; ++I) {
      Self->Held[I].HoldMarks |= HeldLock::Inherited;
      Self->Held[I].FastMutex = 0;
    }
    memset(&Self->Cache, 0, sizeof(Self->Cache));
    memset(&Self->AddrChains, 0, sizeof(Self->AddrChains));
    // Paths the parent filled up have recorded nothing in the child's graph.
    memset(&Self->Paths, 0, sizeof(Self->Paths));
    Self->PathUnrecorded = 0;
    Self->TryUnrecorded = 0;
    // The child's report set is empty: it reports what it sees itself.
    memset(Self->RecentReports, 0, sizeof(Self->RecentReports));
    // The child's edge set is empty: even the held locks' edges are not in it.
    Self->Reuse = 0;
    Self->Waiting.store(0);
  }
  GEdges.reset();
  GPathUnrecorded.store(0);
  GTryUnrecorded.store(0);
  GLocks.saltMarks(uint64_t(getpid()));
  GReported.reset();
  resetThreadOrdersAfterFork();
  resetReportsAfterFork();
  resetWatchdogAfterFork();
  unlockRegistry();
}

void *resolveReal(const char *Name, const char *Version) {
  void *P = nullptr;
  if (Version)
    P = dlvsym(RTLD_NEXT, Name, Version);
  if (!P)
    P = dlsym(RTLD_NEXT, Name);
  if (!P) {
    rawPrintf("lockgraph: fatal: cannot find the real '%s'\n", Name);
    _exit(127);
  }
  return P;
}

} // namespace lockgraph::rt
