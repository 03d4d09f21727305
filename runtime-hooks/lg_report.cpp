//===- lg_report.cpp - Reports, recorded findings, the graph file -----------===//
//
// The only file that prints. Every report is one sanitizer-shaped block,
// written with raw write(2) under ReportLock:
//
//   ==================
//   WARNING: lockgraph: <what> (pid=N)
//     ...stacks...
//   SUMMARY: lockgraph: <what> <file:line> in <function>
//   ==================
//
// Its wording is a test contract (lit-tests/runtime).
//
//===----------------------------------------------------------------------===//
#include "lg_acquire.h"
#include "lg_internal.h"
#include "lg_symbolize.h"

#include "lockgraph/core/Deadlocks.h"
#include "lockgraph/core/GraphFile.h"
#include "lockgraph/core/LockGraph.h"
#include "lockgraph/core/Reporters.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno> // program_invocation_short_name
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace lockgraph::rt {

std::atomic<bool> GAnyFinding{false};

namespace {

//===----------------------------------------------------------------------===//
// Output
//===----------------------------------------------------------------------===//

std::atomic<bool> OutputLock{false};
int LogFd = -1;
pid_t LogPid = 0;

struct OutputGuard {
  OutputGuard() {
    while (OutputLock.exchange(true, std::memory_order_acquire))
      sched_yield();
  }
  ~OutputGuard() { OutputLock.store(false, std::memory_order_release); }
};

int outputFd() {
  if (!GFlags.log_path || !*GFlags.log_path)
    return 2;
  pid_t Pid = getpid();
  if (LogFd < 0 || LogPid != Pid) {
    char Path[MaxFlagString + 32];
    snprintf(Path, sizeof(Path), "%s.%d", GFlags.log_path, int(Pid));
    LogFd = int(syscall(SYS_open, Path,
                        O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
                        0644));
    LogPid = Pid;
  }
  return LogFd >= 0 ? LogFd : 2;
}

void writeAll(int Fd, const char *S, size_t N) {
  while (N) {
    long R = syscall(SYS_write, Fd, S, N);
    if (R < 0 && errno == EINTR)
      continue;
    if (R <= 0)
      return;
    S += R;
    N -= size_t(R);
  }
}

//===----------------------------------------------------------------------===//
// Recorded findings and suppressions
//===----------------------------------------------------------------------===//

std::atomic<bool> StateLock{false};
struct StateGuard {
  StateGuard() {
    while (StateLock.exchange(true, std::memory_order_acquire))
      sched_yield();
  }
  ~StateGuard() { StateLock.store(false, std::memory_order_release); }
};

// Heap-allocated and never freed: they must outlive static destructors.
std::vector<Finding> *Recorded;
std::vector<std::pair<std::string, std::string>> *Suppressions;

std::vector<Finding> &recorded() {
  if (!Recorded)
    Recorded = new std::vector<Finding>();
  return *Recorded;
}

/// What the captured findings printed so far said, but for their threads,
/// addresses and times (emitPending).
std::unordered_set<std::string> *Emitted;

/// Whether a captured finding that says \p Key was not emitted before; it
/// is from now on. The hooks keep a few captures per site, whose held locks
/// may be other locks taken at the same places (a lock made per request);
/// those that differ only in instances are one finding, printed once.
bool firstEmission(std::string Key) {
  StateGuard G;
  if (!Emitted)
    Emitted = new std::unordered_set<std::string>();
  return Emitted->insert(std::move(Key)).second;
}

void loadSuppressions() {
  if (Suppressions)
    return;
  Suppressions = new std::vector<std::pair<std::string, std::string>>();
  if (!GFlags.suppressions || !*GFlags.suppressions)
    return;
  FILE *F = fopen(GFlags.suppressions, "re");
  if (!F) {
    rawPrintf("lockgraph: cannot open suppressions file '%s'\n",
              GFlags.suppressions);
    return;
  }
  char Line[1024];
  while (fgets(Line, sizeof(Line), F)) {
    std::string L = Line;
    while (!L.empty() && (L.back() == '\n' || L.back() == '\r' ||
                          L.back() == ' '))
      L.pop_back();
    size_t B = L.find_first_not_of(" \t");
    if (B == std::string::npos || L[B] == '#')
      continue;
    L = L.substr(B);
    size_t Colon = L.find(':');
    if (Colon == std::string::npos) {
      Suppressions->push_back({"*", L});
      continue;
    }
    std::string Check = L.substr(0, Colon);
    if (Check.rfind("lockgraph-", 0) == 0)
      Check = Check.substr(10);
    Suppressions->push_back({Check, L.substr(Colon + 1)});
  }
  fclose(F);
}

/// Whether a finding of \p Check whose lock names and stack functions are
/// \p Texts is suppressed by the suppressions file.
bool userSuppressed(const char *Check, const std::vector<std::string> &Texts) {
  loadSuppressions();
  for (auto &[C, Pattern] : *Suppressions) {
    if (C != "*" && C != Check)
      continue;
    for (const std::string &T : Texts)
      if (T.find(Pattern) != std::string::npos)
        return true;
  }
  return false;
}

//===----------------------------------------------------------------------===//
// Naming locks and rendering stacks
//===----------------------------------------------------------------------===//

const char *kindNoun(uint8_t Kind) {
  switch (Kind) {
  case KindRwLock:
    return "rwlock";
  case KindSpinLock:
    return "spinlock";
  case KindC11Mutex:
    return "mtx";
  case KindCondVar:
    return "condvar";
  case KindThread:
    return "thread";
  case KindOnce:
    return "once";
  default:
    return "mutex";
  }
}

LockKind coreKind(uint8_t Kind) {
  switch (Kind) {
  case KindMutex:
    return LockKind::Mutex;
  case KindRecursiveMutex:
    return LockKind::RecursiveMutex;
  case KindRwLock:
    return LockKind::RwLock;
  case KindSpinLock:
    return LockKind::SpinLock;
  case KindC11Mutex:
    return LockKind::C11Mutex;
  case KindCondVar:
    return LockKind::CondVar;
  case KindThread:
    return LockKind::Thread;
  case KindOnce:
    return LockKind::Once;
  default:
    return LockKind::Unknown;
  }
}

bool isRuntimeFrame(const Frame &F) {
  static const char *Prefixes[] = {"std::",     "__gthread", "__gthrw",
                                   "__glibcxx", "pthread_",  "mtx_",
                                   "cnd_",      "__pthread", "___pthread"};
  for (const char *P : Prefixes)
    if (F.Function.rfind(P, 0) == 0)
      return true;
  // Standard-library code inlined into the program (libstdc++ headers).
  static const char *SystemDirs[] = {"/usr/include/", "/usr/lib/gcc/",
                                     "/usr/local/include/"};
  for (const char *D : SystemDirs)
    if (F.File.rfind(D, 0) == 0)
      return true;
  // "void std::this_thread::sleep_for<...>(...)": a return type first.
  size_t Std = F.Function.find(" std::");
  if (Std != std::string::npos && Std < F.Function.find('(') &&
      F.Function.find('<') > Std)
    return true;
  std::string M = baseName(F.Module);
  return M.rfind("libc.so", 0) == 0 || M.rfind("libstdc++", 0) == 0 ||
         M.rfind("libpthread", 0) == 0 || M.rfind("liblockgraph", 0) == 0;
}

std::string hex(uint64_t V);

/// Thread-class keys (lg_interceptors_thread.cpp): bit 63 marks a thread
/// class, bit 62 a creation-site class; without it the rest is the start
/// routine's address.
constexpr uintptr_t ThreadKeyBit = uintptr_t(1) << 63;
constexpr uintptr_t SiteKeyBit = uintptr_t(1) << 62;
uintptr_t threadRoutine(uintptr_t Key) {
  return (Key & SiteKeyBit) ? 0 : Key & ~ThreadKeyBit;
}

/// "ns::worker(void*)" -> "ns::worker": the name the static half gives a
/// thread's function, without the parameter list.
std::string functionNameOnly(const std::string &F) {
  std::string R;
  int Angle = 0;
  for (size_t I = 0; I < F.size(); ++I) {
    char C = F[I];
    if (C == '(' && Angle == 0) {
      if (F.compare(I, 21, "(anonymous namespace)") == 0) {
        R += F.substr(I, 21);
        I += 20;
        continue;
      }
      break;
    }
    if (C == '<')
      ++Angle;
    else if (C == '>' && Angle > 0)
      --Angle;
    else if (C == ' ' && Angle == 0) {
      R.clear(); // a return type before a template's name
      continue;
    }
    R += C;
  }
  return R.empty() ? F : R;
}

/// Symbolizes stacks and names lock instances for one report.
class Namer {
public:
  /// A quick namer does not symbolize: names are "#<instance>", stacks empty.
  explicit Namer(bool Quick = false) : Quick(Quick) {}
  void addInstance(InstanceId I) {
    if (!I || Insts.count(I))
      return;
    Insts.insert(I);
    const InstanceInfo &Info = GLocks.info(I);
    if (Info.Kind != KindThread) {
      if (!bornAfterClosedModule(Info.Addr, I))
        Sym.addData(Info.Addr);
    }
    else if (uintptr_t R = threadRoutine(Info.Addr))
      Sym.addCode(R + 1); // an entry point, not a return address
    addStack(Info.FirstStack);
  }
  void addStack(StackId S) {
    // Stacks are interned: thousands of edges share a few dozen ids.
    if (!S || !AddedStacks.insert(S).second)
      return;
    unsigned N;
    const uintptr_t *PCs = GStacks.get(S, N);
    for (unsigned I = 0; I < N; ++I)
      Sym.addCode(PCs[I]);
  }
  void addPCs(const uintptr_t *PCs, unsigned N) {
    for (unsigned I = 0; I < N; ++I)
      Sym.addCode(PCs[I]);
  }

  /// Symbolizes everything added, then names the instances: a global's
  /// symbol, else the type's member the first acquisition outside the
  /// standard library took (Symbolizer::lockMembers), else
  /// "<kind>@<file>:<line>" of that acquisition; duplicates get "#2", "#3"
  /// by creation order.
  void run() {
    if (Quick) {
      for (InstanceId I : Insts)
        Names[I] = "#" + std::to_string(I);
      return;
    }
    Sym.run();
    // A lock of no global is named by the member the code that first
    // acquired it wrote (`impl->mutex_`: leveldb::DBImpl::mutex_) where the
    // symbolizer can tell, else by that place.
    std::vector<const Frame *> Sites;
    std::vector<Stack> FirstStacks;
    for (InstanceId I : Insts) {
      const InstanceInfo &Info = GLocks.info(I);
      FirstStacks.push_back(stack(Info.FirstStack));
      // A global's symbol names it, unless the lock is inside the global
      // at an offset its type does not explain (built in a byte buffer).
      const DataSymbol *D = Sym.data(Info.Addr);
      const bool Global = Info.Kind == KindThread || (D && !D->Name.empty() && !D->Offset);
      Sites.push_back(Global ? nullptr : userFrame(FirstStacks.back()));
    }
    const std::vector<std::string> Members = Sym.lockMembers(Sites);
    const std::map<InstanceId, std::string> ThreadPlaces = threadCreationPlaces();
    std::map<std::string, unsigned> Seen;
    size_t Index = 0;
    for (auto It = Insts.begin(); It != Insts.end(); ++It, ++Index) {
      const InstanceId I = *It;
      const InstanceInfo &Info = GLocks.info(I);
      std::string Name;
      Frame Decl;
      if (Info.Kind == KindThread) {
        Name = threadNodeName(Info);
        if (auto Place = ThreadPlaces.find(I); Place != ThreadPlaces.end())
          Name += " (" + Place->second + ")";
        // Declared where its routine is defined: two programs' file-static
        // `worker`s are two classes of threads (Matching.h).
        if (uintptr_t R = threadRoutine(Info.Addr)) {
          const std::vector<Frame> &Fs = Sym.code(R + 1);
          if (!Fs.empty() && Fs.back().hasSource()) {
            Decl.File = Fs.back().File;
            Decl.Line = Fs.back().Line;
          }
        }
      } else if (const DataSymbol *D = Sym.data(Info.Addr)) {
        Name = D->Name;
        if (D->Offset) {
          char Buf[32];
          snprintf(Buf, sizeof(Buf), "+%lu", (unsigned long)D->Offset);
          Name += Buf;
        }
        Decl = D->Decl;
      }
      const Frame *Site = userFrame(FirstStacks[Index]);
      bool Instance = Name.empty() && Info.Kind != KindThread;
      if (!Members[Index].empty() && Info.Kind != KindThread) {
        Name = Members[Index];
        Decl = Frame();
        Instance = true;
      } else if (Name.empty()) {
        Name = kindNoun(Info.Kind);
        Name += "@";
        if (Site && Site->hasSource()) {
          Name += baseName(Site->File) + ":" + std::to_string(Site->Line);
        } else if (Site && !Site->Function.empty()) {
          Name += Site->Function;
        } else if (Site) {
          char Buf[64];
          snprintf(Buf, sizeof(Buf), "+0x%lx", (unsigned long)Site->Offset);
          Name += baseName(Site->Module) + Buf;
        } else {
          char Buf[32];
          snprintf(Buf, sizeof(Buf), "%p", reinterpret_cast<void *>(Info.Addr));
          Name += Buf;
        }
      }
      // A class is still told by where its first instance was first taken,
      // as it was before locks had members' names: merged by type alone, a
      // lock of an object that no other thread could reach yet (libzmq's
      // socket destroyed while its creation fails, under the context's
      // lock) joined the orders of shared ones in other tests into cycles
      // no program can make.
      if (Instance)
        Classes[I] = !Members[Index].empty() && Site && Site->hasSource()
                         ? Name + " (" + baseName(Site->File) + ":" + std::to_string(Site->Line) + ")"
                         : Name;
      unsigned K = ++Seen[Name];
      if (K > 1)
        Name += "#" + std::to_string(K);
      if (!Decl.hasSource() && Site)
        Decl = *Site;
      Names[I] = Name;
      Decls[I] = Decl;
    }
  }

  /// For the classes of threads that share a start routine (a library's
  /// trampoline) but were created along different call chains, the place
  /// that tells each from the others: the deepest frame, outside the
  /// runtime, at which its creation chain first differs from another's.
  std::map<InstanceId, std::string> threadCreationPlaces() {
    std::map<std::string, std::vector<InstanceId>> ByRoutine;
    for (InstanceId I : Insts)
      if (const InstanceInfo &Info = GLocks.info(I);
          Info.Kind == KindThread && threadRoutine(Info.Addr))
        ByRoutine[threadNodeName(Info)].push_back(I);
    std::map<InstanceId, std::string> Places;
    for (const auto &[Routine, Classes] : ByRoutine) {
      if (Classes.size() < 2)
        continue;
      std::vector<Stack> Chains;
      for (InstanceId I : Classes) {
        Stack Chain;
        for (const Frame &F : stack(GLocks.info(I).FirstStack))
          if (!isRuntimeFrame(F))
            Chain.push_back(F);
        Chains.push_back(std::move(Chain));
      }
      auto SameFrame = [](const Frame &A, const Frame &B) {
        return A.File == B.File && A.Line == B.Line && A.Column == B.Column &&
               A.Function == B.Function && A.Module == B.Module && A.Offset == B.Offset;
      };
      for (size_t X = 0; X < Chains.size(); ++X) {
        size_t Deepest = 0;
        for (size_t Y = 0; Y < Chains.size(); ++Y) {
          if (Y == X)
            continue;
          size_t D = 0;
          while (D < Chains[X].size() && D < Chains[Y].size() &&
                 SameFrame(Chains[X][D], Chains[Y][D]))
            ++D;
          Deepest = std::max(Deepest, D);
        }
        if (Deepest >= Chains[X].size())
          continue;
        const Frame &F = Chains[X][Deepest];
        if (F.hasSource())
          Places[Classes[X]] = baseName(F.File) + ":" + std::to_string(F.Line);
        else if (!F.Function.empty())
          Places[Classes[X]] = functionNameOnly(F.Function);
        else
          Places[Classes[X]] = baseName(F.Module) + "+" + hex(F.Offset);
      }
    }
    return Places;
  }

  /// thread:<routine> for a class keyed by its start routine, else
  /// thread:<file>:<line> of the first user frame of the creation stack.
  std::string threadNodeName(const InstanceInfo &Info) {
    std::string X;
    if (uintptr_t R = threadRoutine(Info.Addr)) {
      const std::vector<Frame> &Fs = Sym.code(R + 1);
      if (!Fs.empty() && !Fs.back().Function.empty())
        X = functionNameOnly(Fs.back().Function);
      else if (!Fs.empty() && !Fs.back().Module.empty())
        X = baseName(Fs.back().Module) + "+" + hex(Fs.back().Offset);
    } else {
      Stack First = stack(Info.FirstStack);
      if (const Frame *Site = userFrame(First)) {
        if (Site->hasSource())
          X = baseName(Site->File) + ":" + std::to_string(Site->Line);
        else if (!Site->Function.empty())
          X = functionNameOnly(Site->Function);
        else
          X = baseName(Site->Module) + "+" + hex(Site->Offset);
      }
    }
    if (X.empty())
      X = hex(Info.Addr & ~(ThreadKeyBit | SiteKeyBit));
    return "thread:" + X;
  }

  const std::string &name(InstanceId I) { return Names[I]; }
  /// Lock::Class: for a lock named by its first acquisition, that name
  /// without the instance number; empty for a global's symbol.
  const std::string &lockClass(InstanceId I) { return Classes[I]; }
  const Frame &decl(InstanceId I) { return Decls[I]; }

  /// A stand-in for the stack \p S in a graph: one frame that holds only
  /// the id (a symbolized frame always has a module). Cheap to copy and to
  /// compare, and, the depot being interned, equal exactly when the stacks
  /// are. resolve() gives the stack back.
  Stack standIn(StackId S) const {
    if (!S || Quick)
      return {};
    Frame F;
    F.Offset = S;
    return {F};
  }
  const Stack &resolve(const Stack &S) {
    if (S.size() == 1 && S[0].Module.empty() && S[0].Function.empty() &&
        S[0].File.empty() && S[0].Offset)
      return stack(StackId(S[0].Offset));
    return S;
  }

  /// The symbolized stack \p S, built once per id.
  const Stack &stack(StackId S) {
    auto [It, New] = Stacks.try_emplace(S);
    if (New) {
      unsigned N;
      const uintptr_t *PCs = GStacks.get(S, N);
      It->second = stack(PCs, N);
    }
    return It->second;
  }
  Stack stack(const uintptr_t *PCs, unsigned N) {
    Stack R;
    if (Quick)
      return R;
    for (unsigned I = 0; I < N; ++I) {
      // The runtime's own frames below a program's (the once trampoline
      // that calls an initializer) are not the program's.
      if (PCs[I] >= GSelfLo && PCs[I] < GSelfHi)
        continue;
      for (const Frame &F : Sym.code(PCs[I]))
        R.push_back(F);
    }
    return R;
  }
  /// Where a report points and a lock's first acquisition names its
  /// class: the first frame outside the runtime past the program's own
  /// lock and wait wrappers (`Mutex::Lock`, a `MutexLock` guard's
  /// constructor, `CondVar::Wait`), whose place is the same for every lock
  /// they take and so tells nothing apart (core's firstUserFrame, for the
  /// reports of `lockgraph run`). The first frame outside the runtime when
  /// every later one is a wrapper.
  static const Frame *userFrame(const Stack &S) {
    const Frame *First = nullptr;
    for (const Frame &F : S) {
      if (isRuntimeFrame(F))
        continue;
      if (!First)
        First = &F;
      if (!isSyncWrapperFrame(F))
        return &F;
    }
    return First ? First : S.empty() ? nullptr : &S[0];
  }
  const std::set<InstanceId> &instances() const { return Insts; }

private:
  bool Quick;
  Symbolizer Sym;
  std::set<InstanceId> Insts;
  std::map<InstanceId, std::string> Names;
  std::map<InstanceId, Frame> Decls;
  std::map<InstanceId, std::string> Classes;
  std::unordered_set<StackId> AddedStacks;
  std::unordered_map<StackId, Stack> Stacks;
};

std::string hex(uint64_t V) {
  char Buf[32];
  snprintf(Buf, sizeof(Buf), "0x%lx", (unsigned long)V);
  return Buf;
}

std::string frameText(const Frame &F) {
  std::string S = F.Function.empty() ? "<unknown>" : F.Function;
  if (F.hasSource()) {
    S += " " + F.File + ":" + std::to_string(F.Line);
    if (F.Column)
      S += ":" + std::to_string(F.Column);
  }
  if (!F.Module.empty())
    S += " (" + baseName(F.Module) + "+" + hex(F.Offset) + ")";
  return S;
}

std::string renderStack(const Stack &S) {
  if (S.empty())
    return "    <empty stack>\n";
  std::string R;
  for (size_t I = 0; I < S.size(); ++I)
    R += "    #" + std::to_string(I) + " " + frameText(S[I]) + "\n";
  return R;
}

std::string whereText(const Frame *F) {
  if (!F)
    return "<unknown>";
  std::string S;
  if (F->hasSource())
    S = F->File + ":" + std::to_string(F->Line) +
        (F->Column ? ":" + std::to_string(F->Column) : "") + " ";
  S += "in " + (F->Function.empty() ? std::string("<unknown>") : F->Function);
  return S;
}

std::string threadName(uint32_t Index) { return "T" + std::to_string(Index); }

std::string blockHeader(const char *What) {
  char Buf[256];
  snprintf(Buf, sizeof(Buf),
           "==================\nWARNING: lockgraph: %s (pid=%d)\n", What,
           int(getpid()));
  return Buf;
}

std::string blockFooter(const char *What, const Frame *Where) {
  return "SUMMARY: lockgraph: " + std::string(What) + " " + whereText(Where) +
         "\n==================\n";
}

void emit(const std::string &Text) {
  OutputGuard G;
  writeAll(outputFd(), Text.data(), Text.size());
}

std::string origin() {
  char Buf[64];
  snprintf(Buf, sizeof(Buf), "runtime:pid=%d", int(getpid()));
  return Buf;
}

void record(Finding F) {
  F.Origin = "runtime";
  // `lockgraph run -- ctest` merges a whole suite: which program saw it.
  F.Notes.push_back({Frame(), "seen in process '" +
                                  std::string(program_invocation_short_name) +
                                  "' (pid " + std::to_string(getpid()) + ")"});
  StateGuard G;
  recorded().push_back(std::move(F));
}

Frame noteFrame(const Frame *F) { return F ? *F : Frame(); }

/// Notes for the callers of a finding's location \p Where (a frame of \p S):
/// the call chain that reached it ('fn' called here). The chain starts at
/// core's first user frame, which may lie before or after Where.
void appendCallerNotes(std::vector<FindingNote> &Notes, const Stack &S,
                       const Frame *Where) {
  std::vector<FindingNote> Chain;
  appendStackNotes(Chain, S, "");
  if (Chain.empty())
    return;
  // Past Where; without it, past the chain's first note (its headline).
  auto After = std::next(Chain.begin());
  for (auto It = Chain.begin(); Where && It != Chain.end(); ++It)
    if (It->Where == *Where) {
      After = std::next(It);
      break;
    }
  Notes.insert(Notes.end(), After, Chain.end());
}

} // namespace

void resetPendingAfterFork();

void resetReportsAfterFork() {
  resetPendingAfterFork();
  StateLock.store(false);
  OutputLock.store(false);
  LogFd = -1;
  if (Recorded)
    Recorded->clear();
  GAnyFinding.store(false);
}

void rawPrint(const char *S, size_t N) { writeAll(outputFd(), S, N); }

void rawPrintf(const char *Fmt, ...) {
  char Buf[4096];
  va_list Ap;
  va_start(Ap, Fmt);
  int N = vsnprintf(Buf, sizeof(Buf), Fmt, Ap);
  va_end(Ap);
  if (N > 0)
    rawPrint(Buf, size_t(N) < sizeof(Buf) ? size_t(N) : sizeof(Buf) - 1);
}

//===----------------------------------------------------------------------===//
// Misuse and blocking calls: captured in the hook, reported later
//===----------------------------------------------------------------------===//
//
// A hook may run in a signal handler, or while the thread is inside malloc
// or holds a lock other threads wait for; symbolizing there (allocation, a
// child process) could hang the host. So the hook only captures what it saw
// into a fixed ring (atomics only), and the ring is drained from a safe
// place: the watchdog thread, every watchdog_interval_ms, and the exit
// path. Only a self-deadlock is reported at once, because the thread is
// about to hang.

namespace {

enum PendingKind : uint8_t {
  PendingBlocking,
  PendingUnlockUnheld,
  PendingDestroyHeld,
  PendingDoubleLock,
};

constexpr unsigned MaxPendingHeld = 8;
constexpr unsigned PendingSlots = 256;

struct PendingHeld {
  InstanceId Inst;
  uintptr_t Addr;
  uint64_t HeldNs; ///< how long it had been held; UINT64_MAX: unknown
  uint32_t NumPCs;
  uintptr_t PCs[MaxHeldPCs];
};

struct Pending {
  std::atomic<uint32_t> State; ///< 0 free, 1 being written, 2 ready
  uint64_t Seq;
  PendingKind What;
  const char *Call; ///< blocking: the call's name (a string literal)
  uint32_t Thread;
  uintptr_t Addr; ///< misuse: the lock
  InstanceId Inst;
  uint64_t TookNs;
  uint32_t NumPCs;
  uintptr_t PCs[MaxStackDepth];
  uint32_t NumHeld; ///< may exceed MaxPendingHeld
  PendingHeld Held[MaxPendingHeld];
};

Pending *Ring; // PendingSlots entries, mapped by initReports()

/// Reports being symbolized and printed right now (by the watchdog, or by a
/// thread about to self-deadlock). The exit path waits for them, so that a
/// process exiting meanwhile does not lose them.
std::atomic<int> InFlight{0};
struct InFlightScope {
  InFlightScope() { InFlight.fetch_add(1, std::memory_order_acq_rel); }
  ~InFlightScope() { InFlight.fetch_sub(1, std::memory_order_acq_rel); }
};

/// Waits (at most ~10 s) until no report is in flight.
void waitForReportsInFlight() {
  for (int I = 0; I < 10000 && InFlight.load(std::memory_order_acquire); ++I) {
    struct timespec Ts = {0, 1000000};
    syscall(SYS_nanosleep, &Ts, nullptr);
  }
}
std::atomic<uint64_t> RingNext{0};
std::atomic<uint64_t> RingDropped{0};
/// Every report dropped so far, for the graph file.
std::atomic<uint64_t> RingDroppedTotal{0};
std::atomic<bool> DrainLock{false};

/// Fills \p P from the calling thread's state (except What/Call/Addr).
void captureCommon(ThreadState *T, Pending &P, uintptr_t ExcludeAddr) {
  P.Thread = T->Index;
  P.NumPCs = captureStack(P.PCs, unsigned(GFlags.stack_depth));
  P.NumHeld = 0;
  const uint64_t Now = heldTicks();
  for (uint32_t I = 0; I < T->Depth; ++I) {
    if (T->Held[I].Addr == ExcludeAddr ||
        (T->Held[I].HoldMarks & HeldLock::OnceInit))
      continue;
    if (P.NumHeld < MaxPendingHeld) {
      PendingHeld &H = P.Held[P.NumHeld];
      H.Inst = T->Held[I].Inst;
      H.Addr = T->Held[I].Addr;
      const bool Timed = T->Held[I].Ticks &&
                         !(T->Held[I].HoldMarks & HeldLock::Inherited);
      H.HeldNs = Timed ? ticksToNs(Now - T->Held[I].Ticks)
                       : UINT64_MAX; // hold_time=0
      H.NumPCs = T->Held[I].NumPCs;
      for (unsigned K = 0; K < H.NumPCs; ++K)
        H.PCs[K] = T->Held[I].PCs[K];
    }
    ++P.NumHeld;
  }
}

Pending *claimSlot() {
  if (!Ring)
    return nullptr;
  uint64_t Seq = RingNext.fetch_add(1, std::memory_order_relaxed);
  Pending &P = Ring[Seq % PendingSlots];
  uint32_t Expected = 0;
  if (!P.State.compare_exchange_strong(Expected, 1,
                                       std::memory_order_acquire)) {
    RingDropped.fetch_add(1, std::memory_order_relaxed);
    RingDroppedTotal.fetch_add(1, std::memory_order_relaxed);
    return nullptr;
  }
  P.Seq = Seq;
  return &P;
}

void publish(Pending &P) { P.State.store(2, std::memory_order_release); }

/// Whether \p PC, a return address on a stack, is the kernel's way back
/// from a signal handler into the code it interrupted: glibc's unnamed
/// __restore_rt, `mov $15, %rax; syscall` (rt_sigreturn), which is where a
/// handler returns to (as gdb and libunwind recognise it). Only code of a
/// loaded module is read.
bool isSignalReturn(uintptr_t PC) {
#if defined(__x86_64__)
  static const unsigned char RtSigreturn[] = {0x48, 0xc7, 0xc0, 0x0f, 0x00,
                                              0x00, 0x00, 0x0f, 0x05};
  Dl_info Info;
  if (!PC || !dladdr(reinterpret_cast<void *>(PC), &Info))
    return false;
  return memcmp(reinterpret_cast<const void *>(PC), RtSigreturn, sizeof(RtSigreturn)) == 0;
#else
  (void)PC;
  return false;
#endif
}

/// Symbolizes and prints one captured finding, and records it.
void emitPending(const Pending &P) {
  const PendingHeld *Held = P.Held;
  unsigned NumHeld = P.NumHeld < MaxPendingHeld ? P.NumHeld : MaxPendingHeld;
  Namer Nm;
  Nm.addPCs(P.PCs, P.NumPCs);
  if (P.Inst)
    Nm.addInstance(P.Inst);
  for (unsigned I = 0; I < NumHeld; ++I) {
    Nm.addInstance(Held[I].Inst);
    Nm.addPCs(Held[I].PCs, Held[I].NumPCs);
  }
  Nm.run();
  Stack S = Nm.stack(P.PCs, P.NumPCs);
  const Frame *Where = Namer::userFrame(S);
  std::vector<std::string> Texts;
  for (const Frame &F : S)
    Texts.push_back(F.Function);
  Finding F;
  std::string Out;
  const char *Check;
  // What the report says but for thread, addresses and times.
  std::string Key = std::to_string(int(P.What)) + "\n" + renderStack(S);

  if (P.What == PendingBlocking) {
    Check = "blocking-under-lock";
    std::string LockList, HeldFor;
    for (unsigned I = 0; I < NumHeld; ++I) {
      const std::string &Nme = Nm.name(Held[I].Inst);
      Texts.push_back(Nme);
      LockList += (LockList.empty() ? "'" : ", '") + Nme + "'";
      if (Held[I].HeldNs != UINT64_MAX) {
        char Ms[64];
        snprintf(Ms, sizeof(Ms), "%.3f ms", double(Held[I].HeldNs) / 1e6);
        HeldFor += "; '" + Nme + "' held for " + Ms;
      }
    }
    // Only the first MaxPendingHeld were kept with their stacks.
    if (P.NumHeld > NumHeld)
      LockList += " and " + std::to_string(P.NumHeld - NumHeld) + " more";
    if (userSuppressed(Check, Texts))
      return;
    Key += P.Call;
    for (unsigned I = 0; I < NumHeld; ++I)
      Key += "\n" + Nm.name(Held[I].Inst) + "\n" +
             renderStack(Nm.stack(Held[I].PCs, Held[I].NumPCs));
    if (!firstEmission(std::move(Key)))
      return;
    char Dur[64];
    snprintf(Dur, sizeof(Dur), "%.3f ms", double(P.TookNs) / 1e6);
    std::string What =
        std::string("blocking call '") + P.Call + "' while holding a lock";
    Out = blockHeader(What.c_str());
    Out += "  Thread " + threadName(P.Thread) + " called " + P.Call +
           " (took " + Dur + ") while holding " + LockList + ", at:\n" +
           renderStack(S);
    appendCallerNotes(F.Notes, S, Where);
    for (unsigned I = 0; I < NumHeld; ++I) {
      Stack HS = Nm.stack(Held[I].PCs, Held[I].NumPCs);
      const std::string &Nme = Nm.name(Held[I].Inst);
      Out += "\n  '" + Nme + "' (" + hex(Held[I].Addr) +
             ") was acquired at:\n" + renderStack(HS);
      if (Held[I].HeldNs != UINT64_MAX) {
        char Ms[64];
        snprintf(Ms, sizeof(Ms), "%.3f ms", double(Held[I].HeldNs) / 1e6);
        Out += "  '" + Nme + "' had been held for " + Ms + " when " + P.Call +
               " returned\n";
      }
      appendStackNotes(F.Notes, HS, "'" + Nme + "' was acquired here");
      F.Locks.push_back(Nme);
    }
    // Made in a signal handler, which interrupted the code holding the
    // locks (libuv's SIGCHLD handler writing to its pipe while uv_spawn
    // holds cloexec_lock).
    if (std::any_of(P.PCs, P.PCs + P.NumPCs, isSignalReturn)) {
      Out += "  " + std::string(P.Call) +
             " was called in a signal handler, which interrupted the thread while "
             "it held the locks\n";
      F.Notes.insert(F.Notes.begin(),
                     {Where ? *Where : Frame(),
                      std::string("'") + P.Call +
                          "' is called in a signal handler, which interrupted the "
                          "thread while it held the locks"});
    }
    F.Message = std::string("blocking call '") + P.Call + "' while holding " +
                LockList + " (took " + Dur + HeldFor + ")";
    F.FingerprintKey = std::string("lockgraph-blocking-under-lock:") + P.Call +
                       ":" + LockList + ":" + (Where ? Where->Function : "");
  } else {
    const char *What, *Verb;
    switch (P.What) {
    case PendingUnlockUnheld:
      Check = "unlock-unheld";
      What = "unlock of an unheld lock";
      Verb = "unlocks";
      break;
    case PendingDoubleLock:
      Check = "double-lock";
      What = "recursive lock of a non-recursive lock (self-deadlock)";
      Verb = "locks again";
      break;
    default:
      Check = "destroy-held";
      What = "destroy of a held lock";
      Verb = "destroys";
      break;
    }
    std::string Name = P.Inst ? Nm.name(P.Inst) : "lock@" + hex(P.Addr);
    Texts.push_back(Name);
    if (userSuppressed(Check, Texts))
      return;
    Key += Name;
    for (unsigned I = 0; I < NumHeld; ++I)
      if (Held[I].Addr == P.Addr)
        Key += "\n" + renderStack(Nm.stack(Held[I].PCs, Held[I].NumPCs));
    // A self-deadlock is about to hang its thread: always said.
    if (P.What != PendingDoubleLock && !firstEmission(std::move(Key)))
      return;
    Out = blockHeader(What);
    Out += "  Thread " + threadName(P.Thread) + " " + Verb + " '" + Name +
           "' (" + hex(P.Addr) + ")" +
           (P.What == PendingUnlockUnheld ? ", which it does not hold," : "") +
           " at:\n" + renderStack(S);
    appendCallerNotes(F.Notes, S, Where);
    for (unsigned I = 0; I < NumHeld; ++I) {
      if (Held[I].Addr != P.Addr)
        continue;
      Stack HS = Nm.stack(Held[I].PCs, Held[I].NumPCs);
      Out += "\n  '" + Name + "' was acquired by the same thread at:\n" +
             renderStack(HS);
      appendStackNotes(F.Notes, HS, "'" + Name + "' was acquired here");
      break;
    }
    F.Message = std::string(What) + " '" + Name + "'";
    F.Locks = {Name};
    F.FingerprintKey = std::string("lockgraph-") + Check + ":" + Name + ":" +
                       (Where ? Where->Function : "");
  }
  Out += "\n" + blockFooter(Check, Where);
  // A self-deadlock is about to hang the process: always say why.
  if (GFlags.print_findings || P.What == PendingDoubleLock)
    emit(Out);
  GAnyFinding.store(true);
  F.Check = std::string("lockgraph-") + Check;
  F.Location = noteFrame(Where);
  record(std::move(F));
}

} // namespace

void initReports() {
  Ring = static_cast<Pending *>(mapZeroed(sizeof(Pending) * PendingSlots));
}

/// The slots ever claimed: the ring's pages are touched (faulted in) only as
/// far as reports have been made, which in most processes is not at all.
static unsigned usedSlots() {
  uint64_t N = RingNext.load(std::memory_order_acquire);
  return N < PendingSlots ? unsigned(N) : PendingSlots;
}

/// The graph file a hang's report wrote ("" when none), removed by the exit
/// report's.
static char HangSnapshot[MaxFlagString + 64];

void resetPendingAfterFork() {
  // The parent reports what it captured; a slot another thread was writing
  // would stay busy forever in the child.
  for (unsigned I = 0, N = usedSlots(); Ring && I < N; ++I)
    Ring[I].State.store(0, std::memory_order_relaxed);
  RingDropped.store(0);
  RingDroppedTotal.store(0);
  DrainLock.store(false);
  // Reports another thread was printing are not in flight in the child,
  // whose exit must not wait for them.
  InFlight.store(0);
  // The parent's hang snapshot is the parent's to replace.
  HangSnapshot[0] = 0;
}

void drainPendingReports() {
  InFlightScope Busy;
  if (DrainLock.exchange(true, std::memory_order_acquire))
    return; // someone else is draining
  std::vector<Pending *> Ready;
  for (unsigned I = 0, N = usedSlots(); Ring && I < N; ++I)
    if (Ring[I].State.load(std::memory_order_acquire) == 2)
      Ready.push_back(&Ring[I]);
  std::sort(Ready.begin(), Ready.end(),
            [](const Pending *A, const Pending *B) { return A->Seq < B->Seq; });
  for (Pending *P : Ready) {
    emitPending(*P);
    P->State.store(0, std::memory_order_release);
  }
  // Under `lockgraph run` (print_findings=0) the program's stderr is the
  // program's: the count goes into the graph file, and the merged report
  // says it.
  if (uint64_t D = RingDropped.exchange(0); D && GFlags.print_findings)
    rawPrintf("lockgraph: warning: %llu reports were dropped (too many at "
              "once)\n", (unsigned long long)D);
  DrainLock.store(false, std::memory_order_release);
}

/// Reports captured per site (a call path, with the places the held locks
/// were taken): a few, whatever instances of the locks are involved. A lock
/// made per request and misused or held across its I/O (SQLite's, 57,000 of
/// them in one test) would otherwise capture every request, which fill the
/// report ring, and each of which costs a symbolization when printed (20,000
/// unlocks of unheld heap mutexes at one line took 28 s), to print one
/// finding (emitPending folds them).
constexpr uint64_t ReportsPerSite = 8;

/// Whether the report whose call path and instances hash to \p Key is not
/// one of the thread's last few; it is now. Only those are remembered
/// exactly: a set of them all would grow by one key per lock made per
/// request, and once full would cost a scan of all its slots per report (a
/// lock made per request and held across a read, 400,000 times: 16.7 s,
/// against 0.1 s native).
static bool notRecentlyReported(ThreadState *T, uint64_t Key) {
  Key |= 1;
  uint64_t &Slot = T->RecentReports[(Key >> 1) % std::size(T->RecentReports)];
  if (Slot == Key)
    return false;
  Slot = Key;
  return true;
}

/// Whether site \p Site has not had its ReportsPerSite captures yet; if so,
/// it now has one more.
static bool siteHasRoom(uint64_t Site) {
  for (uint64_t Variant = 0; Variant < ReportsPerSite; ++Variant)
    if (GReported.insert(mix64(Site + Variant * 0x9E3779B97F4A7C15ULL) | 1))
      return true;
  return false;
}

void reportMisuse(ThreadState *T, Misuse M, uintptr_t Addr, uint8_t Kind,
                  const uintptr_t *PCs, unsigned N) {
  RuntimeScope Scope(T);
  uint64_t Site = uint64_t(M) * 0x1234567;
  for (unsigned I = 0; I < N; ++I)
    Site = mix64(Site + PCs[I] * (2 * I + 3));
  if (!notRecentlyReported(T, mix64(Site + Addr * 5)))
    return;
  // A self-deadlock is about to hang its thread: always said.
  if (M != Misuse::DoubleLock && !siteHasRoom(Site))
    return;
  // Never acquired (an unlock of a lock never locked): give it an instance
  // so that it gets a name.
  InstanceId Inst = GLocks.lookup(Addr);
  if (!Inst)
    Inst = newInstance(T, Addr, Kind);
  if (M == Misuse::DoubleLock) {
    // Reported at once: this thread is about to hang.
    InFlightScope Busy;
    static Pending Now; // one at a time: guarded by the output of emit()
    static std::atomic<bool> NowLock{false};
    while (NowLock.exchange(true, std::memory_order_acquire))
      sched_yield();
    Now.What = PendingDoubleLock;
    Now.Addr = Addr;
    Now.Inst = Inst;
    Now.Call = nullptr;
    captureCommon(T, Now, 0);
    emitPending(Now);
    NowLock.store(false, std::memory_order_release);
    return;
  }
  Pending *P = claimSlot();
  if (!P)
    return;
  P->What = M == Misuse::UnlockUnheld ? PendingUnlockUnheld : PendingDestroyHeld;
  P->Addr = Addr;
  P->Inst = Inst;
  P->Call = nullptr;
  captureCommon(T, *P, 0);
  publish(*P);
}


void reportBlocking(ThreadState *T, const char *Call, uint64_t StartNs,
                    void *FP, uintptr_t ExcludeAddr) {
  RuntimeScope Scope(T);
  uint64_t Took = nowNs() - StartNs;
  if (Took < uint64_t(GFlags.blocking_min_us) * 1000)
    return;
  dropReleasedElsewhere(T);
  bool OwnLock = false;
  for (uint32_t I = 0; I < T->Depth && !OwnLock; ++I)
    OwnLock = !(T->Held[I].HoldMarks & (HeldLock::Inherited | HeldLock::OnceInit));
  if (!OwnLock)
    return;
  // Once per call, call path and held set: the same logging function
  // reached first from an open under a lock no one else can see yet, then
  // from a background thread under the same lock (leveldb's Log() from
  // DB::Open, then from compactions) is two findings, not one.
  uintptr_t Fast[MaxHeldPCs];
  const unsigned NFast = fastUnwind(T, FP, Fast, MaxHeldPCs);
  uint64_t Path = reinterpret_cast<uintptr_t>(Call) * 7;
  for (unsigned I = 0; I < NFast; ++I)
    Path = mix64(Path + Fast[I] * (2 * I + 3));
  if (!notRecentlyReported(T, mix64(Path + T->HeldXor * 11)))
    return;
  uint64_t Site = Path;
  for (uint32_t I = T->Depth > PathHeldLocks ? T->Depth - PathHeldLocks : 0; I < T->Depth; ++I)
    for (unsigned K = 0; K < T->Held[I].NumPCs; ++K)
      Site = mix64(Site + T->Held[I].PCs[K] * (2 * K + 5));
  if (!siteHasRoom(Site))
    return;
  Pending *P = claimSlot();
  if (!P)
    return;
  P->What = PendingBlocking;
  P->Call = Call;
  P->Addr = 0;
  P->Inst = 0;
  P->TookNs = Took;
  captureCommon(T, *P, ExcludeAddr);
  publish(*P);
}

//===----------------------------------------------------------------------===//
// Real deadlocks (from the watchdog)
//===----------------------------------------------------------------------===//

namespace {
std::string commandLine();
} // namespace

/// Writes \p G (its stacks resolved by \p Nm) as a new graph file
/// \p Stem.json (or Stem.N.json). The path written, "" when it was not.
static std::string writeGraph(const LockGraph &G, Namer &Nm, const char *Stem,
                              const std::string &Origin) {
  GraphProducer P;
  P.Tool = "lockgraph-runtime";
  P.Origin = Origin;
  P.Command = commandLine();
  P.Pid = getpid();
  Result<std::string> Written = writeNewGraphFile(
      G, Stem, P, [&](const Stack &S) -> const Stack & { return Nm.resolve(S); });
  if (!Written.ok()) {
    rawPrintf("lockgraph: cannot write graph file: %s\n",
              Written.error().Message.c_str());
    return {};
  }
  LG_VREPORT(1, "lockgraph: wrote %s\n", Written->c_str());
  return *Written;
}

LockGraph buildGraph(std::vector<const EdgeRecord *> &Records, Namer &Nm,
                     const std::set<std::pair<LockId, LockId>> &RealStacks = {});


/// The graph so far, with the hang just recorded, written at once: a hung
/// process is usually killed (`timeout`, ctest's TIMEOUT, a CI job's limit)
/// and never reaches its exit report, and what it found must not be lost.
/// The exit report's file replaces it. The first hang's only: a process
/// that stays hung repeats the same report.
static void writeHangSnapshot() {
  if (!GFlags.output_dir || !*GFlags.output_dir || HangSnapshot[0])
    return;
  std::vector<const EdgeRecord *> Records;
  GEdges.forEach([&](const EdgeRecord &R) { Records.push_back(&R); });
  Namer Nm;
  LockGraph G = buildGraph(Records, Nm);
  char Stem[MaxFlagString + 64];
  snprintf(Stem, sizeof(Stem), "%s/lockgraph.%d.hang", GFlags.output_dir,
           int(getpid()));
  std::string Path = writeGraph(G, Nm, Stem, origin());
  snprintf(HangSnapshot, sizeof(HangSnapshot), "%s", Path.c_str());
}

/// A hang the watchdog found (a deadlock, a stall): printed, recorded, and
/// written to a graph file.
static void publishHang(const std::string &Text, Finding F) {
  emit(Text);
  GAnyFinding.store(true);
  record(std::move(F));
  writeHangSnapshot();
}

/// After a hang's report, outside its scope: abort_on_deadlock ends the
/// process instead of leaving it hung.
static void abortOnHangIfAsked() {
  if (!GFlags.abort_on_deadlock)
    return;
  finalReport(false);
  rawPrintf("lockgraph: aborting (abort_on_deadlock=1)\n");
  abort();
}

void reportRealDeadlock(ThreadState **Threads, unsigned N) {
  int SavedErrno = errno;
  bool Reported = false;
  {
  InFlightScope Busy;
  Namer Nm;
  for (unsigned I = 0; I < N; ++I) {
    ThreadState *T = Threads[I];
    uint32_t D = T->Depth;
    for (uint32_t K = 0; K <= D && K < T->Cap; ++K) {
      Nm.addInstance(T->Held[K].Inst);
      Nm.addPCs(T->Held[K].PCs, T->Held[K].NumPCs);
    }
  }
  Nm.run();
  std::string Cycle, Body;
  Finding F;
  F.Check = "lockgraph-deadlock";
  std::vector<std::string> Texts;
  for (unsigned I = 0; I < N; ++I) {
    ThreadState *T = Threads[I];
    ThreadState *Next = Threads[(I + 1) % N];
    const HeldLock &W = T->Held[waitedIndex(T)];
    const std::string &WName = Nm.name(W.Inst);
    Texts.push_back(WName);
    Cycle += threadName(T->Index) + " => ";
    Stack WS = Nm.stack(W.PCs, W.NumPCs);
    Body += "\n  Thread " + threadName(T->Index) + " (tid=" +
            std::to_string(T->Tid) + ") is blocked acquiring '" + WName +
            "' (" + hex(W.Addr) + ") held by thread " +
            threadName(Next->Index) + ", at:\n" + renderStack(WS);
    if (I == 0) {
      F.Location = noteFrame(Namer::userFrame(WS));
      F.Message = "deadlock: thread " + threadName(T->Index) + " waits for '" +
                  WName + "' held by thread " + threadName(Next->Index);
      appendCallerNotes(F.Notes, WS, Namer::userFrame(WS));
    } else {
      appendStackNotes(F.Notes, WS,
                       "thread " + threadName(T->Index) + " waits for '" +
                           WName + "' held by thread " +
                           threadName(Next->Index));
    }
    for (uint32_t K = 0, Held = acquiredDepth(T); K < Held; ++K) {
      const HeldLock &H = T->Held[K];
      Stack HS = Nm.stack(H.PCs, H.NumPCs);
      Body += "  Thread " + threadName(T->Index) + " holds '" +
              Nm.name(H.Inst) + "' (" + hex(H.Addr) + "), acquired at:\n" +
              renderStack(HS);
      appendStackNotes(F.Notes, HS,
                       "'" + Nm.name(H.Inst) + "' acquired here by thread " +
                           threadName(T->Index));
    }
    F.Locks.push_back(WName);
  }
  Cycle += threadName(Threads[0]->Index);
  F.FingerprintKey = "deadlock";
  for (const std::string &L : F.Locks)
    F.FingerprintKey += ":" + L;
  if (!userSuppressed("deadlock", Texts)) {
    drainPendingReports();
    std::string Out = blockHeader("deadlock");
    Out += "  Threads waiting for each other: " + Cycle + "\n" + Body + "\n" +
           blockFooter("deadlock", &F.Location);
    publishHang(Out, std::move(F));
    Reported = true;
  }
  }
  if (Reported)
    abortOnHangIfAsked();
  errno = SavedErrno;
}

void reportStall(ThreadState *Holder, const StallWaiter *Waiters, unsigned N) {
  int SavedErrno = errno;
  bool Reported = false;
  {
  InFlightScope Busy;
  Namer Nm;
  const char *Call = Holder->BlockedCall ? Holder->BlockedCall : "a blocking call";
  const uint64_t Since = Holder->BlockedSince.load(std::memory_order_acquire);
  const uint64_t BlockedNs = Since ? nowNs() - Since : 0;
  uintptr_t BlockedPCs[MaxHeldPCs];
  const unsigned NBlocked = Holder->BlockedNumPCs < MaxHeldPCs ? Holder->BlockedNumPCs
                                                               : MaxHeldPCs;
  memcpy(BlockedPCs, Holder->BlockedPCs, NBlocked * sizeof(uintptr_t));
  // Copies: the threads go on. A waiter's lock is the holder's (its
  // instance): a waiter's own pending entry's instance is not looked up
  // before an outermost acquisition completes.
  HeldLock Waited[MaxStallWaiters];
  // The holder's locks that someone waits for, each once, in the order of
  // their first waiter.
  uint32_t HeldIndices[MaxStallWaiters];
  HeldLock Held[MaxStallWaiters];
  unsigned NHeld = 0;
  for (unsigned I = 0; I < N; ++I) {
    Waited[I] = Waiters[I].T->Held[waitedIndex(Waiters[I].T)];
    Nm.addPCs(Waited[I].PCs, Waited[I].NumPCs);
    unsigned K = 0;
    while (K < NHeld && HeldIndices[K] != Waiters[I].HeldIndex)
      ++K;
    if (K == NHeld) {
      HeldIndices[NHeld] = Waiters[I].HeldIndex;
      Held[NHeld] = Holder->Held[Waiters[I].HeldIndex];
      Nm.addInstance(Held[NHeld].Inst);
      Nm.addPCs(Held[NHeld].PCs, Held[NHeld].NumPCs);
      ++NHeld;
    }
  }
  Nm.addPCs(BlockedPCs, NBlocked);
  Nm.run();
  const auto HeldOf = [&](const StallWaiter &W) -> const HeldLock & {
    unsigned K = 0;
    while (HeldIndices[K] != W.HeldIndex)
      ++K;
    return Held[K];
  };
  const auto Seconds = [](uint64_t Ns) {
    char Buf[32];
    snprintf(Buf, sizeof(Buf), "%.1f s", double(Ns) / 1e9);
    return std::string(Buf);
  };
  Stack BlockedStack = Nm.stack(BlockedPCs, NBlocked);
  const std::string HolderName = threadName(Holder->Index);
  const std::string FirstLock = Nm.name(HeldOf(Waiters[0]).Inst);
  Finding F;
  F.Check = "lockgraph-stall";
  // Where the holder waits while others wait for it: what to change.
  const Frame *Where = Namer::userFrame(BlockedStack);
  F.Location = noteFrame(Where);
  F.Message = "stall: thread " + HolderName + " has been in " + Call + " for " +
              Seconds(BlockedNs) + " holding '" + FirstLock +
              "', for which thread " + threadName(Waiters[0].T->Index) +
              " has waited " + Seconds(Waiters[0].WaitedNs);
  if (N > 1) {
    F.Message += "; also waiting for its locks:";
    for (unsigned I = 1; I < N; ++I)
      F.Message += std::string(I > 1 ? "," : "") + " thread " +
                   threadName(Waiters[I].T->Index) + " ('" +
                   Nm.name(HeldOf(Waiters[I]).Inst) + "')";
  }
  appendCallerNotes(F.Notes, BlockedStack, Where);
  std::vector<std::string> Texts = {Call};
  for (const Frame &Fr : BlockedStack)
    Texts.push_back(Fr.Function);
  std::string Out = blockHeader("stall (a thread blocked behind a lock held "
                                "across a blocking call)");
  std::string HoldingText;
  for (unsigned K = 0; K < NHeld; ++K) {
    const std::string Name = Nm.name(Held[K].Inst);
    Stack HeldStack = Nm.stack(Held[K].PCs, Held[K].NumPCs);
    appendStackNotes(F.Notes, HeldStack,
                     "'" + Name + "' acquired here by thread " + HolderName);
    HoldingText += "  holding '" + Name + "' (" + hex(Held[K].Addr) +
                   "), acquired at:\n" + renderStack(HeldStack);
    F.Locks.push_back(Name);
    Texts.push_back(Name);
    for (const Frame &Fr : HeldStack)
      Texts.push_back(Fr.Function);
  }
  for (unsigned I = 0; I < N; ++I) {
    const std::string Name = Nm.name(HeldOf(Waiters[I]).Inst);
    const std::string WaiterName = threadName(Waiters[I].T->Index);
    Stack WaitStack = Nm.stack(Waited[I].PCs, Waited[I].NumPCs);
    appendStackNotes(F.Notes, WaitStack,
                     "thread " + WaiterName + " waits for '" + Name + "' here");
    Out += "  Thread " + WaiterName + " (tid=" + std::to_string(Waiters[I].T->Tid) +
           ") has been blocked for " + Seconds(Waiters[I].WaitedNs) +
           " acquiring '" + Name + "' (" + hex(Waited[I].Addr) +
           ") held by thread " + HolderName + ", at:\n" + renderStack(WaitStack);
    for (const Frame &Fr : WaitStack)
      Texts.push_back(Fr.Function);
  }
  F.FingerprintKey = std::string("stall:") + Call + ":" + FirstLock;
  if (!userSuppressed("stall", Texts)) {
    drainPendingReports();
    Out += "  Thread " + HolderName + " (tid=" + std::to_string(Holder->Tid) +
           ") has been in " + Call + " for " + Seconds(BlockedNs) + ", at:\n" +
           renderStack(BlockedStack) + HoldingText + "\n" +
           blockFooter("stall", &F.Location);
    publishHang(Out, std::move(F));
    Reported = true;
  }
  }
  if (Reported)
    abortOnHangIfAsked();
  errno = SavedErrno;
}

//===----------------------------------------------------------------------===//
// The exit report
//===----------------------------------------------------------------------===//

namespace {

std::string commandLine() {
  std::string R;
  // The calling thread's view (see selfExe).
  FILE *F = fopen("/proc/thread-self/cmdline", "re");
  if (!F)
    F = fopen("/proc/self/cmdline", "re");
  if (!F)
    return R;
  char Buf[4096];
  size_t N = fread(Buf, 1, sizeof(Buf), F);
  fclose(F);
  for (size_t I = 0; I < N; ++I)
    R += Buf[I] ? Buf[I] : ' ';
  while (!R.empty() && R.back() == ' ')
    R.pop_back();
  return R;
}

} // namespace

/// The graph of the edges in \p Records, locks named (and stacks
/// symbolized) by \p Nm. The evidence of the edges in \p RealStacks gets
/// the symbolized stacks; all other evidence gets stand-ins (Namer::standIn),
/// because copying a symbolized stack into each of tens of thousands of
/// records took seconds and hundreds of MB at exit.
LockGraph buildGraph(std::vector<const EdgeRecord *> &Records, Namer &Nm,
                     const std::set<std::pair<LockId, LockId>> &RealStacks) {
  for (const EdgeRecord *R : Records) {
    Nm.addInstance(R->From);
    Nm.addInstance(R->To);
    for (unsigned I = 0; I < R->NumOther && I < EdgeRecord::MaxOther; ++I)
      Nm.addInstance(R->Other[I]);
    Nm.addStack(R->HeldStack);
    Nm.addStack(R->AcquiredStack);
  }
  Nm.run();

  LockGraph G;
  std::map<InstanceId, LockId> Ids;
  std::map<uint32_t, ThreadIndex> Threads;
  for (InstanceId I : Nm.instances()) {
    Lock L;
    L.Name = Nm.name(I);
    L.Class = Nm.lockClass(I);
    L.Kind = coreKind(GLocks.info(I).Kind);
    L.DeclaredAt = Nm.decl(I);
    Ids[I] = G.addLock(L);
  }
  std::string Origin = origin();
  // Deterministic order: by thread, then by lock names.
  std::sort(Records.begin(), Records.end(),
            [](const EdgeRecord *A, const EdgeRecord *B) {
              if (A->Thread != B->Thread)
                return A->Thread < B->Thread;
              if (A->From != B->From)
                return A->From < B->From;
              return A->To < B->To;
            });
  for (const EdgeRecord *R : Records) {
    if (!Threads.count(R->Thread))
      Threads[R->Thread] = G.addThread(threadName(R->Thread));
  }
  // Orders between threads that recorded edges, and through threads that
  // did not (a thread that only started another).
  const auto ThreadOf = [&](uint32_t Index) {
    auto [It, New] = Threads.try_emplace(Index, 0);
    if (New)
      It->second = G.addThread(threadName(Index));
    return It->second;
  };
  for (const ThreadOrderRecord &O : threadOrders())
    G.addThreadOrder({ThreadOf(O.FromThread), O.FromSegment,
                      ThreadOf(O.ToThread), O.ToSegment,
                      O.Join ? ThreadOrder::Join : ThreadOrder::Start});
  for (const EdgeRecord *R : Records) {
    EdgeEvidence E;
    E.Thread = Threads[R->Thread];
    E.Segment = R->Segment;
    E.FromMode = R->FromMode == ModeShared ? AcquireMode::Shared
                                           : AcquireMode::Exclusive;
    E.ToMode =
        R->ToMode == ModeShared ? AcquireMode::Shared : AcquireMode::Exclusive;
    E.TryAcquire = (R->Flags & EdgeRecord::TryAcquired) != 0;
    E.HeldSinceWait = (R->Flags & EdgeRecord::HeldSinceWait) != 0;
    E.JoinedThreadDone = (R->Flags & EdgeRecord::JoinedThreadDone) != 0;
    for (unsigned I = 0; I < R->NumOther && I < EdgeRecord::MaxOther; ++I)
      E.OtherHeld.push_back(Ids[R->Other[I]]);
    std::sort(E.OtherHeld.begin(), E.OtherHeld.end());
    E.OtherHeld.erase(std::unique(E.OtherHeld.begin(), E.OtherHeld.end()),
                      E.OtherHeld.end());
    if (RealStacks.count({Ids[R->From], Ids[R->To]})) {
      E.HeldAt = Nm.stack(R->HeldStack);
      E.AcquiredAt = Nm.stack(R->AcquiredStack);
    } else {
      E.HeldAt = Nm.standIn(R->HeldStack);
      E.AcquiredAt = Nm.standIn(R->AcquiredStack);
    }
    E.Count = GEdges.count(*R);
    E.Origin = Origin;
    G.addEdge(Ids[R->From], Ids[R->To], std::move(E));
  }
  {
    StateGuard Gd;
    for (const Finding &F : recorded())
      G.recordedFindings().push_back(F);
  }
  return G;

}

/// Whether \p G has a cycle that the core filters keep.
bool hasReportableCycle(const LockGraph &G) {
  for (const Cycle &C : findCycles(G))
    if (suppressionReason(G, C).empty())
      return true;
  return false;
}

namespace {
bool BeforeExec = false;
} // namespace

void reportBeforeExec() {
  BeforeExec = true;
  finalReport(false);
}

void finalReport(bool Exiting) {
  static std::atomic<bool> Done{false};
  if (GState.load() != 2 || Done.exchange(true))
    return;
  ThreadState *Self = TLSState;
  RuntimeScope Scope(Self);
  GState.store(3); // threads without a state stop being tracked
  // Let reports in flight on other threads finish (a self-deadlocked
  // thread's report, the watchdog's), then print what hooks captured.
  waitForReportsInFlight();
  drainPendingReports();
  uint64_t TryUnrecorded = GTryUnrecorded.load(std::memory_order_relaxed);
  uint64_t PathUnrecorded = GPathUnrecorded.load(std::memory_order_relaxed);
  lockRegistry();
  for (ThreadState *T = allThreads(); T; T = T->NextAll)
    if (T->Alive.load(std::memory_order_acquire)) {
      TryUnrecorded += T->TryUnrecorded;
      PathUnrecorded += T->PathUnrecorded;
    }
  unlockRegistry();
  if (GFlags.verbosity >= 2) {
    rawPrintf("lockgraph: stats: %u lock instances, %zu edge records, %llu "
              "stacks unwound, %llu reused, %llu trylocks not recorded, %llu "
              "acquisitions on full call paths not recorded\n",
              GLocks.numInstances(), GEdges.size(),
              (unsigned long long)GStacksUnwound.load(std::memory_order_relaxed),
              (unsigned long long)GStacksReused.load(std::memory_order_relaxed),
              (unsigned long long)TryUnrecorded,
              (unsigned long long)PathUnrecorded);
  }

  std::vector<const EdgeRecord *> Records;
  GEdges.forEach([&](const EdgeRecord &R) { Records.push_back(&R); });
  const bool WantFile = GFlags.output_dir && *GFlags.output_dir;
  // Symbolizing costs a process start and reading debug info: skip it when
  // there is no graph file to write and nothing to report.
  // Before exec the same pid lives on: write only a graph worth keeping.
  bool Worth = WantFile && !(BeforeExec && Records.empty());
  if (!Worth && GFlags.report_at_exit && !Records.empty()) {
    Namer Quick(/*Quick=*/true);
    LockGraph Q = buildGraph(Records, Quick);
    Worth = hasReportableCycle(Q);
  }
  // Said also when nothing is reported: a clean report is what they qualify.
  auto NoteSampling = [&] {
    if (!GFlags.report_at_exit)
      return;
    if (GEdges.overflowed() || GLocks.overflowed())
      rawPrintf("lockgraph: warning: a runtime table is full; some locks or "
                "edges were not recorded\n");
    if (PathUnrecorded)
      rawPrintf("lockgraph: note: %s\n",
                samplingNote(PathUnrecorded, "max_edges_per_path=0").c_str());
  };
  if (!Worth) {
    NoteSampling();
    if (Exiting && GAnyFinding.load() && GFlags.exitcode != 0) {
      fflush(nullptr);
      _exit(GFlags.exitcode);
    }
    return;
  }
  Namer Nm;
  LockGraph G = buildGraph(Records, Nm);
  if (GFlags.report_at_exit) {
    // The report prints the stacks of cycle edges: rebuild with those
    // symbolized (the same locks, ids and edges, so the same cycles).
    std::set<std::pair<LockId, LockId>> CycleEdges;
    for (const Cycle &C : findCycles(G))
      for (size_t E : C.Edges)
        CycleEdges.insert({G.edges()[E].From, G.edges()[E].To});
    if (!CycleEdges.empty())
      G = buildGraph(Records, Nm, CycleEdges);
  }
  G.addSampledOut(PathUnrecorded);
  G.addReportsDropped(RingDroppedTotal.load());
  std::string Origin = origin();

  // 3. Potential deadlocks, printed sanitizer-style.
  std::map<std::string, uintptr_t> AddrOf;
  for (InstanceId I : Nm.instances())
    AddrOf[Nm.name(I)] = GLocks.info(I).Addr;
  unsigned Reported = 0;
  if (GFlags.report_at_exit) {
    std::vector<Cycle> Cycles = findCycles(G);
    for (const Cycle &C : Cycles) {
      if (!suppressionReason(G, C).empty())
        continue;
      std::vector<std::string> Texts;
      for (LockId L : C.Locks)
        Texts.push_back(G.lock(L).Name);
      for (size_t E : C.Edges)
        for (const EdgeEvidence &Ev : G.edges()[E].Evidence) {
          for (const Frame &F : Ev.AcquiredAt)
            Texts.push_back(F.Function);
          for (const Frame &F : Ev.HeldAt)
            Texts.push_back(F.Function);
        }
      // A cycle through a wait node (condition variable, thread) is a wait
      // made while holding a lock its waker needs.
      bool IsWait = false;
      for (LockId L : C.Locks)
        IsWait |= isWaitKind(G.lock(L).Kind);
      const char *Check = IsWait ? "wait-holding-lock" : "lock-order";
      const char *What = IsWait ? "wait while holding a lock (potential deadlock)"
                                : "lock-order-inversion (potential deadlock)";
      if (userSuppressed(Check, Texts))
        continue;
      std::string Out = blockHeader(What);
      Out += IsWait ? "  Cycle in lock and wait graph: "
                    : "  Cycle in lock order graph: ";
      for (LockId L : C.Locks) {
        Out += G.lock(L).Name;
        if (!isWaitKind(G.lock(L).Kind))
          Out += " (" + hex(AddrOf[G.lock(L).Name]) + ")";
        Out += " => ";
      }
      Out += G.lock(C.Locks[0]).Name + "\n";
      const Frame *Where = nullptr, *WaitWhere = nullptr;
      bool CutHeldStack = false;
      for (size_t K = 0; K < C.Edges.size(); ++K) {
        const Edge &E = G.edges()[C.Edges[K]];
        const std::string &From = G.lock(E.From).Name;
        const std::string &To = G.lock(E.To).Name;
        const LockKind FromKind = G.lock(E.From).Kind;
        const LockKind ToKind = G.lock(E.To).Kind;
        // Prefer a blocking observation: that is the one that can deadlock.
        const EdgeEvidence *Ev = &E.Evidence[0];
        for (const EdgeEvidence &X : E.Evidence)
          if (!X.TryAcquire) {
            Ev = &X;
            break;
          }
        std::string Th = Ev->Thread < G.threads().size()
                             ? G.threads()[Ev->Thread]
                             : std::string("?");
        std::string Acquired, Held;
        if (ToKind == LockKind::CondVar) {
          Acquired = "Thread " + Th + " waits on condition variable " + To +
                     " here while holding " + From;
          Held = "Lock " + From + " previously acquired by the same thread here";
        } else if (ToKind == LockKind::Thread) {
          Acquired = "Thread " + Th + " joins " + To + " here while holding " +
                     From;
          Held = "Lock " + From + " previously acquired by the same thread here";
        } else if (FromKind == LockKind::CondVar) {
          Acquired = "Lock " + To + " acquired here by a notifier of " + From +
                     " (thread " + Th + ")";
          Held = "Condition variable " + From +
                 " notified by the same thread here";
        } else if (FromKind == LockKind::Thread) {
          Acquired = "Lock " + To + " acquired here by " + From + " (thread " +
                     Th + ")";
          Held = From + " started here";
        } else {
          Acquired = "Lock " + To + " acquired here while holding " + From +
                     " (thread " + Th + ")";
          Held = "Lock " + From + " previously acquired by the same thread here";
        }
        Out += "\n  " + Acquired + ":\n" + renderStack(Ev->AcquiredAt);
        Out += "\n  " + Held + ":\n" + renderStack(Ev->HeldAt);
        CutHeldStack |= Ev->HeldAt.size() == 1 && Ev->AcquiredAt.size() > 1;
        if (!Where)
          Where = Namer::userFrame(Ev->AcquiredAt);
        if (!WaitWhere && isWaitKind(ToKind))
          WaitWhere = Namer::userFrame(Ev->AcquiredAt);
      }
      if (CutHeldStack && GFlags.fast_unwind && !GFlags.held_stack_unwind)
        Out += "\n  HINT: a held lock's stack stops at the function that took "
               "it (code without frame pointers); "
               "LOCKGRAPH_OPTIONS=held_stack_unwind=1 or "
               "-fno-omit-frame-pointer shows its callers\n";
      // A wait cycle is reported at the wait.
      if (WaitWhere)
        Where = WaitWhere;
      Out += "\n" + blockFooter(IsWait ? "wait-holding-lock"
                                       : "lock-order-inversion (potential deadlock)",
                                Where);
      emit(Out);
      ++Reported;
    }
  }
  if (Reported)
    GAnyFinding.store(true);
  NoteSampling();

  // 4. The graph file, which replaces a hang's snapshot.
  if (GFlags.output_dir && *GFlags.output_dir) {
    // A new file: a later process of the same run may get this pid again.
    char Stem[MaxFlagString + 64];
    if (BeforeExec)
      snprintf(Stem, sizeof(Stem), "%s/lockgraph.%d.exec-%llx",
               GFlags.output_dir, int(getpid()), (unsigned long long)nowNs());
    else
      snprintf(Stem, sizeof(Stem), "%s/lockgraph.%d", GFlags.output_dir,
               int(getpid()));
    if (!writeGraph(G, Nm, Stem, Origin).empty() && HangSnapshot[0])
      unlink(HangSnapshot);
  }

  if (Exiting && GAnyFinding.load() && GFlags.exitcode != 0) {
    fflush(nullptr);
    _exit(GFlags.exitcode);
  }
}

} // namespace lockgraph::rt
