//===- Races.cpp - lockgraph-race: guard inference and reports ------------===//
//
// 1. Carry every function's accesses up the call graph (a fixpoint like the
//    link step's acquisitions): at each call site the callee's variable and
//    held locks are substituted into the caller's space, and the locks the
//    caller holds around the call are added, minus those the callee released.
// 2. Start points: thread entries (what std::thread, pthread_create, ...
//    run), public methods of classes with a lock member (any thread may call
//    them), and functions nobody calls (main, API entry points), which all
//    run on one "main" thread. An access in a function that starts threads,
//    outside the span of those threads, runs on no other thread's time.
// 3. Per variable (class-level name, as locks are named): a variable touched
//    by at most one thread is silent; so is one never written. Otherwise its
//    guard is declared (GUARDED_BY) or inferred, and each write without it,
//    and each read without it when some write holds it, is reported.
//
//===----------------------------------------------------------------------===//
#include "lockgraph/analyzer/Races.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <deque>
#include <fmt/format.h>

#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

namespace lockgraph::analyzer {

GuardVerdict inferGuard(const std::vector<std::vector<std::string>> &HeldAt,
                        const std::string &Declared) {
  GuardVerdict V;
  V.Total = unsigned(HeldAt.size());
  std::map<std::string, unsigned> Count;
  for (const std::vector<std::string> &Held : HeldAt) {
    std::set<std::string> Unique(Held.begin(), Held.end());
    for (const std::string &L : Unique)
      ++Count[L];
  }
  if (!Declared.empty()) {
    V.Lock = Declared;
    V.Declared = true;
    V.Guarded = Count.count(Declared) ? Count[Declared] : 0;
    return V;
  }
  for (const auto &[L, N] : Count)
    if (N > V.Guarded) {
      V.Lock = L;
      V.Guarded = N;
    }
  if (V.Guarded < 2 || 2 * V.Guarded <= V.Total) {
    V.Lock.clear();
    V.Guarded = 0;
  }
  return V;
}

namespace {

std::string quote(const std::string &S) { return "'" + S + "'"; }

/// The call chain of an access seen from some function: the access, then
/// the call sites out to that function. A caller's chain is its callee's
/// with one more call site, and shares the callee's links; the links point
/// at the summaries' frames, which outlive the search. (A chain of copied
/// frames, three strings each, copied again at every call site, took
/// 1 GB of the 1.8 GB civetweb.c needed.)
class AccessChain {
public:
  AccessChain() = default;
  AccessChain(const Frame &Access)
      : Outer(std::make_shared<const Link>(Link{&Access, nullptr, 1})), Access(&Access) {}

  /// This chain as the caller at \p CallSite sees it.
  AccessChain calledAt(const Frame &CallSite) const {
    AccessChain C;
    C.Outer = std::make_shared<const Link>(Link{&CallSite, Outer, size() + 1});
    C.Access = Access;
    return C;
  }
  size_t size() const { return Outer ? Outer->Size : 0; }
  /// The access.
  const Frame &front() const { return *Access; }
  /// The outermost call site (the access itself for a chain of one).
  const Frame &back() const { return *Outer->At; }
  /// The access first, then the call sites outwards.
  std::vector<const Frame *> frames() const {
    std::vector<const Frame *> Out(size());
    size_t K = Out.size();
    for (const Link *L = Outer.get(); L; L = L->Inner.get())
      Out[--K] = L->At;
    return Out;
  }

private:
  struct Link {
    const Frame *At;
    std::shared_ptr<const Link> Inner;
    size_t Size;
  };
  std::shared_ptr<const Link> Outer;
  const Frame *Access = nullptr;
};

struct ItemLock {
  LockRef Lock;
  AcquireMode Mode = AcquireMode::Exclusive;
};

std::vector<ItemLock> itemLocks(const std::vector<HeldLock> &Held) {
  std::vector<ItemLock> Out;
  Out.reserve(Held.size());
  for (const HeldLock &H : Held)
    Out.push_back({H.Lock, H.Mode});
  return Out;
}

/// One access as seen from some function: the variable and the locks in
/// that function's space, and the call chain down to the access.
struct Item {
  LockRef Var;
  AccessKind Kind = AccessKind::Read;
  AccessChain Chain;
  /// The locks held, without where they were taken (not shown).
  std::vector<ItemLock> Held;
  std::vector<LockRef> Released;
  std::string DeclaredGuard;
  bool Sequential = false;
  /// The threads (USRs of what they run) that may run beside it, as the
  /// functions of the chain that start threads know them; empty when none
  /// does (then any thread may).
  std::vector<std::string> Running;
  /// Access::MaybeHeld, and the call sites' on the way.
  std::vector<LockRef> MaybeHeld;
  /// Access::Guards, on the parameters of the function it is an item of
  /// (those the call sites on the way pass on unchanged).
  std::vector<ParamFact> Guards;
  /// The program of a function on the chain that belongs to one (findRaces'
  /// ProgramOf), -1 when all are the library's: a callback that one
  /// program's main file stores, reached through a library function's
  /// call through a field, runs in that program only.
  int Program = -1;
};

/// \p Into (sorted) gains the strings of \p From it lacks.
void mergeSorted(std::vector<std::string> &Into, std::vector<std::string> From) {
  llvm::sort(From);
  std::vector<std::string> Both;
  std::set_union(Into.begin(), Into.end(), From.begin(), From.end(), std::back_inserter(Both));
  Into = std::move(Both);
}

/// Whether \p L is one of \p Refs (same object, or same class when either
/// is imprecise), as the link step decides it.
bool among(const LockRef &L, const std::vector<LockRef> &Refs) {
  for (const LockRef &R : Refs)
    if (R == L || ((!R.precise() || !L.precise()) && R.className() == L.className()))
      return true;
  return false;
}

/// Whether a held \p Lock can be the guard of this access to \p Var: when
/// the lock and the variable are members of the same class and both objects
/// are known, they must be members of the same object (holding `this->mu_`
/// does not guard `other.balance_`).
bool onSameObject(const LockRef &Lock, const LockRef &Var) {
  // An object of a function's own (a local, not a pointer) is no other
  // object: the lock of a callback wrapper the function made (Poco's
  // FunctionDelegate, locked around the handler it calls) is not on the
  // object the handler writes to.
  auto ownObject = [](const LockRef &R) {
    return R.Base == BaseKind::Local && !R.Path.empty() && !R.Path.front().ThroughPointer;
  };
  if ((ownObject(Lock) || ownObject(Var)) && (Lock.Base != Var.Base || Lock.Name != Var.Name))
    return false;
  if (Lock.Path.empty() || Var.Path.empty() || Lock.Path.back().Class != Var.Path.back().Class ||
      !Lock.precise() || !Var.precise())
    return true;
  LockRef A = Lock, B = Var;
  A.Path.pop_back();
  B.Path.pop_back();
  return A.key() == B.key();
}

/// The variable an access path names, rooted at the class of its first
/// member (or the global): "Account::balance_", "DBImpl::mem_->refs_",
/// "g_acct.n". Members of members are told apart by the path that reaches
/// them, so a Status inside DBImpl is not every Status.
std::string varName(const LockRef &V) {
  if (V.Path.empty())
    return V.Name;
  std::string N = V.Base == BaseKind::Global ? V.Name + "." + V.Path[0].Field
                                             : V.Path[0].Class + "::" + V.Path[0].Field;
  for (size_t I = 1; I < V.Path.size(); ++I)
    N += (V.Path[I].ThroughPointer ? "->" : ".") + V.Path[I].Field;
  return N;
}

std::string frameKey(const Frame &F) {
  return F.File + ":" + std::to_string(F.Line) + ":" + std::to_string(F.Column);
}

class RaceFinder {
public:
  RaceFinder(const std::vector<const FunctionSummary *> &Fns,
             const std::vector<std::vector<std::vector<size_t>>> &Targets,
             const RaceOptions &Opts, const std::vector<size_t> &CopyOf,
             const std::vector<int> &ProgramOf)
      : Fns(Fns), Targets(Targets), Opts(Opts), ProgramOf(ProgramOf), Callers(Fns.size()) {
    Original.resize(Fns.size());
    for (size_t F = 0; F < Fns.size(); ++F)
      Original[F] = F < CopyOf.size() && CopyOf[F] != SIZE_MAX ? CopyOf[F] : F;
    for (size_t F = 0; F < Fns.size(); ++F)
      Index.emplace(Fns[F]->USR, F);
    for (size_t F = 0; F < Fns.size(); ++F)
      for (size_t C = 0; C < Targets[F].size() && C < Fns[F]->Calls.size(); ++C)
        for (size_t G : Targets[F][C])
          Callers[G].push_back({F, &Fns[F]->Calls[C]});
    // Lambdas run where they are created (unless a thread runs them), or
    // where a call reaches them (one passed for a callback parameter).
    std::vector<bool> Called(Fns.size(), false);
    for (size_t G = 0; G < Fns.size(); ++G)
      Called[G] = !Callers[G].empty();
    for (size_t F = 0; F < Fns.size(); ++F)
      for (const CallSite &L : Fns[F]->LambdaCalls)
        if (auto It = Index.find(L.Callee); It != Index.end() && !Called[It->second])
          Callers[It->second].push_back({F, &L});
    Callees.resize(Fns.size());
    for (size_t G = 0; G < Fns.size(); ++G)
      for (const auto &[F, Site] : Callers[G])
        Callees[F].push_back(G);
  }

  std::vector<Finding> run() {
    bool Any = false;
    for (const FunctionSummary *F : Fns)
      Any |= !F->Accesses.empty();
    if (!Any)
      return {};
    for (const FunctionSummary *F : Fns)
      for (const Access &A : F->Accesses)
        if (!A.DeclaredGuard.empty())
          DeclaredLocks.insert(A.DeclaredGuard);
    propagate();
    collectInstances();
    for (int P : ProgramOf)
      if (P >= 0)
        AllPrograms.insert(P);
    std::vector<Finding> Out;
    for (auto &[Name, Group] : ByVar) {
      std::set<int> Programs;
      for (const Instance &X : Group)
        if (X.Program >= 0)
          Programs.insert(X.Program);
      if (Programs.empty()) {
        report(Name, concurrentOnly(Group), Out);
        continue;
      }
      // A library's thread may run in programs with no access of their own
      // to the variable: those programs are looked at too.
      for (const Instance &X : Group)
        if (X.Program < 0 && X.Thread >= 0 && Started[X.Thread] != 0)
          for (int P : AllPrograms)
            if (!Programs.count(P) && runsIn(P, size_t(X.Thread)))
              Programs.insert(P);
      // Each program's accesses with the library's, each access's finding
      // once (from the first program that reports it).
      std::set<std::tuple<std::string, unsigned, unsigned>> Reported;
      for (int P : Programs) {
        std::vector<Instance> Own;
        for (const Instance &X : Group)
          if (X.Program == P || (X.Program < 0 && (X.Thread < 0 || Started[X.Thread] == 0 ||
                                                   runsIn(P, size_t(X.Thread)))))
            Own.push_back(X);
        std::vector<Finding> Found;
        report(Name, concurrentOnly(Own), Found);
        for (Finding &F : Found)
          if (Reported.insert({F.Location.File, F.Location.Line, F.Location.Column}).second)
            Out.push_back(std::move(F));
      }
    }
    return dropRepeatsAtCallers(std::move(Out));
  }

private:
  const std::vector<const FunctionSummary *> &Fns;
  const std::vector<std::vector<std::vector<size_t>>> &Targets;
  const RaceOptions &Opts;
  const std::vector<int> &ProgramOf;
  std::unordered_map<std::string, size_t> Index; // USR -> function
  /// The entry each one is a specialized copy of (itself when none).
  std::vector<size_t> Original;
  std::vector<std::vector<std::pair<size_t, const CallSite *>>> Callers;
  std::vector<std::vector<size_t>> Callees;
  /// Functions that start threads, themselves or through what they call
  /// (computed on first use).
  std::vector<bool> Spawning;
  std::map<size_t, std::vector<std::string>> SpawnedBy;
  /// Threads started per entry function (2: any number).
  std::vector<unsigned> Started;
  /// Item::Running (joined by '|') -> the functions those threads may run,
  /// with what they call and the threads they start in turn.
  std::map<std::string, std::vector<bool>> Reachable;
  /// Per program: the functions that run in it (runsIn).
  std::map<int, std::vector<bool>> ProgramReach;
  std::set<int> AllPrograms;
  std::vector<std::vector<Item>> Items;
  /// The items of each function, by a hash of itemKey (their text took
  /// 170 MB on civetweb.c).
  std::vector<llvm::DenseSet<uint64_t>> Keys;

  /// An access reached from a start point, on the thread(s) of that start.
  struct Instance {
    const Item *I = nullptr;
    long Thread = -1;      ///< the start function, or -1 for the main thread
    unsigned Threads = 1;  ///< how many threads may run it at once (1 or 2)
    int Program = -1;      ///< of the start function (findRaces' ProgramOf)
    std::vector<std::string> HeldHere; ///< lock classes guarding it here
    /// Lock classes that may guard it here (Item::MaybeHeld): no evidence
    /// that they guard it (it counts as an access without them), and not
    /// reported as a race on them.
    std::vector<std::string> MaybeHere;
    /// For the main thread: the threads that may run beside it (as
    /// Item::Running, or what main's earlier calls started); empty: any.
    std::vector<std::string> Running;
  };
  std::map<std::string, std::vector<Instance>> ByVar;
  /// Locks some GUARDED_BY / PT_GUARDED_BY names: they guard what is
  /// declared so and nothing else (a member of the class left without the
  /// annotation is not guarded by them, by the authors' word).
  std::set<std::string> DeclaredLocks;

  int programOf(size_t F) const { return F < ProgramOf.size() ? ProgramOf[F] : -1; }

  /// Whether function \p F runs in program \p P: its `main` calls it, or
  /// starts a thread that does, through any number of calls (a library's
  /// loop thread runs only in the programs that start it: libmosquitto's,
  /// not in the broker, which links no code that does).
  bool runsIn(int P, size_t F) {
    auto [It, New] = ProgramReach.try_emplace(P);
    std::vector<bool> &Reach = It->second;
    if (New) {
      Reach.assign(Fns.size(), false);
      std::vector<size_t> Work;
      for (size_t M = 0; M < Fns.size(); ++M)
        if (programOf(M) == P && Fns[M]->Name == "main") {
          Reach[M] = true;
          Work.push_back(M);
        }
      while (!Work.empty()) {
        size_t G = Work.back();
        Work.pop_back();
        auto Visit = [&](size_t H) {
          if (!Reach[H]) {
            Reach[H] = true;
            Work.push_back(H);
          }
        };
        for (size_t H : Callees[G])
          Visit(H);
        for (const ThreadSpawn &T : Fns[G]->Spawns)
          if (auto E = Index.find(T.Entry); E != Index.end())
            Visit(E->second);
      }
    }
    return Reach[F];
  }

  static std::string itemKey(const Item &I) {
    std::vector<std::string> Held;
    for (const ItemLock &H : I.Held)
      Held.push_back(H.Lock.key() + (H.Mode == AcquireMode::Shared ? "(s)" : ""));
    std::sort(Held.begin(), Held.end());
    std::string K = frameKey(I.Chain.front()) + "|" + I.Var.key() + "|" +
                    (I.Kind == AccessKind::Write ? "w" : "r") + (I.Sequential ? "s" : "") + "|";
    for (const std::string &R : I.Running)
      K += R + ";";
    K += "|";
    for (const std::string &H : Held)
      K += H + ",";
    K += "|" + std::to_string(I.Program) + "|";
    for (const LockRef &M : I.MaybeHeld)
      K += M.key() + ",";
    for (const ParamFact &C : I.Guards)
      K += "|" + std::to_string(C.Param) + C.Path + (C.Equal ? "==" : "!=") +
           std::to_string(C.Value);
    return K;
  }

  bool add(size_t F, Item I) {
    if (Items[F].size() >= Opts.MaxAccessesPerFunction || !Keys[F].insert(llvm::xxh3_64bits(itemKey(I))).second)
      return false;
    Items[F].push_back(std::move(I));
    return true;
  }

  void propagate() {
    Items.assign(Fns.size(), {});
    Keys.assign(Fns.size(), {});
    std::deque<size_t> Work;
    std::vector<bool> Queued(Fns.size(), false);
    for (size_t F = 0; F < Fns.size(); ++F) {
      for (const Access &A : Fns[F]->Accesses) {
        // `&x` handed to a function the program defines: its accesses
        // through the pointer are the accesses.
        if (!A.AddressTo.empty() && Index.count(A.AddressTo))
          continue;
        Item I{A.Var, A.Kind, {A.At}, itemLocks(A.Held), A.Released, A.DeclaredGuard, A.Sequential, {},
               A.MaybeHeld, A.Guards, programOf(F)};
        mergeSorted(I.Running, A.Running);
        add(F, std::move(I));
      }
      if (!Items[F].empty()) {
        Work.push_back(F);
        Queued[F] = true;
      }
    }
    while (!Work.empty()) {
      size_t G = Work.front();
      Work.pop_front();
      Queued[G] = false;
      for (const auto &[F, Site] : Callers[G]) {
        const CallSite &CS = *Site;
        if (CS.SingleThreaded)
          continue;
        bool Changed = false;
        // Index loop: add() may grow Items[G] when G calls itself.
        for (size_t K = 0; K < Items[G].size(); ++K) {
          const Item &In = Items[G][K];
          if (In.Chain.size() >= Opts.MaxChain)
            continue;
          // One program's function never calls another's: a call through
          // a field reaching the other program's callback is no path.
          if (In.Program >= 0 && programOf(F) >= 0 && In.Program != programOf(F))
            continue;
          // Made only under a condition this call's arguments rule out.
          if (llvm::any_of(In.Guards,
                           [&](const ParamFact &C) { return contradicts(C, CS.ArgFacts); }))
            continue;
          Item N;
          N.Var = substitute(In.Var, CS.Args, CS.This);
          N.Var.PointerValue = false;
          // A callee's access to an object the caller cannot name, or to
          // one of the caller's locals, is left out as such accesses are
          // when direct; a constructor's (destructor's) own object is not
          // shared yet (any more).
          if (N.Var.Base == BaseKind::Unknown || N.Var.Base == BaseKind::Local ||
              (Fns[F]->Role == FunctionRole::CtorDtor && N.Var.Base == BaseKind::This) ||
              Fns[F]->Role == FunctionRole::InitFini)
            continue;
          N.Kind = In.Kind;
          N.Chain = In.Chain.calledAt(CS.At);
          for (const LockRef &R : In.Released)
            N.Released.push_back(substitute(R, CS.Args, CS.This));
          for (const ItemLock &H : In.Held)
            N.Held.push_back({substitute(H.Lock, CS.Args, CS.This), H.Mode});
          for (const HeldLock &H : CS.Held)
            if (!among(H.Lock, N.Released))
              N.Held.push_back({H.Lock, H.Mode});
          for (const LockRef &M : In.MaybeHeld)
            N.MaybeHeld.push_back(substitute(M, CS.Args, CS.This));
          for (const LockRef &M : CS.MaybeHeld)
            if (!among(M, N.Released))
              N.MaybeHeld.push_back(M);
          N.Released.insert(N.Released.end(), CS.Released.begin(), CS.Released.end());
          N.DeclaredGuard = In.DeclaredGuard;
          N.Sequential = In.Sequential || CS.Sequential;
          N.Running = In.Running;
          mergeSorted(N.Running, CS.Running);
          N.Program = In.Program >= 0 ? In.Program : programOf(F);
          for (const ParamFact &C : In.Guards)
            if (C.Param < CS.ParamArgs.size() && CS.ParamArgs[C.Param] >= 0) {
              N.Guards.push_back(C);
              N.Guards.back().Param = unsigned(CS.ParamArgs[C.Param]);
            }
          Changed |= add(F, std::move(N));
        }
        if (Changed && !Queued[F]) {
          Queued[F] = true;
          Work.push_back(F);
        }
      }
    }
  }

  void collectInstances() {
    Started.assign(Fns.size(), 0);
    // Entries whose every start gives each thread an object of its own.
    std::vector<int> PrivateArg(Fns.size(), -1); // -1: no start yet

    std::vector<bool> Called(Fns.size(), false);
    // An override of a method some call names is reached through that
    // virtual call, even where the link step kept fewer of the overrides
    // than there are (spdlog's ~40 flag formatters): not a thread's start.
    std::set<std::string> Named;
    for (const FunctionSummary *F : Fns)
      for (const CallSite &CS : F->Calls)
        Named.insert(CS.Callee);
    for (size_t F = 0; F < Fns.size(); ++F) {
      if (!Callers[F].empty() || llvm::any_of(Fns[F]->Overrides, [&](const std::string &O) {
            return Named.count(O) != 0;
          }))
        Called[Original[F]] = true;
      if (Original[F] != F)
        continue; // its threads are its original's
      for (const ThreadSpawn &T : Fns[F]->Spawns)
        if (auto It = Index.find(T.Entry); It != Index.end()) {
          Started[It->second] = std::min(2u, Started[It->second] + (T.Repeated ? 2 : 1));
          int &Private = PrivateArg[It->second];
          Private = (Private != 0) && T.PrivateArg;
        }
    }
    for (size_t S = 0; S < Fns.size(); ++S) {
      if (Original[S] != S)
        continue; // a copy is reached from its callers

      long Thread = long(S);
      unsigned Threads = Started[S];
      // A public method of a shared class is an entry for any thread,
      // unless all its known callers are constructors (an init-time setter).
      if (Fns[S]->Role == FunctionRole::SharedMethod &&
          !(!Callers[S].empty() &&
            std::all_of(Callers[S].begin(), Callers[S].end(), [&](const auto &C) {
              return Fns[C.first]->Role == FunctionRole::CtorDtor;
            })))
        Threads = 2;
      if (Threads == 0) {
        // A copy or move assignment no call reaches gives a value its new
        // contents, as a constructor does: of an object its caller owns or
        // guards (spdlog's log_msg_buffer::operator=), which only a caller
        // can tell.
        if (Called[S] || Fns[S]->Role == FunctionRole::CtorDtor ||
            Fns[S]->Role == FunctionRole::InitFini ||
            llvm::StringRef(Fns[S]->Name).ends_with("::operator="))
          continue; // not a start point
        Thread = -1; // the main thread
        Threads = 1;
      }
      const std::vector<size_t> Spawners = Thread == -1 ? spawningCalls(S) : std::vector<size_t>();
      for (const Item &I : Items[S]) {
        if (Thread == -1 && I.Sequential)
          continue; // before the threads start, or after they are joined
        Instance X;
        X.Running = I.Running;
        if (!Spawners.empty()) {
          X.Running = startedBefore(S, Spawners, I.Chain.back());
          if (X.Running.empty())
            continue; // before main's calls start any thread
        }
        X.I = &I;
        X.Thread = Thread;
        X.Threads = Threads;
        X.Program = I.Program >= 0 ? I.Program : programOf(S);
        // A field of the thread's own argument object (not one reached
        // through a pointer in it): one thread's.
        if (PrivateArg[S] == 1 && I.Var.Base == BaseKind::Param && I.Var.Index == 0 &&
            !I.Var.Path.empty() &&
            llvm::none_of(I.Var.Path, [](const PathElem &E) { return E.ThroughPointer; }))
          X.Threads = 1;
        std::set<std::string> Held;
        for (const ItemLock &H : I.Held)
          if (onSameObject(H.Lock, I.Var))
            Held.insert(H.Lock.className());
        X.HeldHere.assign(Held.begin(), Held.end());
        std::set<std::string> Maybe;
        for (const LockRef &M : I.MaybeHeld)
          if (onSameObject(M, I.Var))
            Maybe.insert(M.className());
        X.MaybeHere.assign(Maybe.begin(), Maybe.end());
        ByVar[varName(I.Var)].push_back(std::move(X));
      }
    }
  }

  /// The calls (indices in Calls) of \p S, a `main` that starts no thread
  /// itself, to functions that start threads, themselves or through what
  /// they call.
  std::vector<size_t> spawningCalls(size_t S) {
    std::vector<size_t> Out;
    if (Fns[S]->Name != "main" || !Fns[S]->Spawns.empty())
      return Out;
    if (Spawning.empty()) {
      Spawning.assign(Fns.size(), false);
      std::vector<size_t> Work;
      for (size_t F = 0; F < Fns.size(); ++F)
        if (!Fns[F]->Spawns.empty()) {
          Spawning[F] = true;
          Work.push_back(F);
        }
      while (!Work.empty()) {
        size_t G = Work.back();
        Work.pop_back();
        for (const auto &[F, Site] : Callers[G])
          if (!Spawning[F]) {
            Spawning[F] = true;
            Work.push_back(F);
          }
      }
    }
    for (size_t C = 0; C < Targets[S].size() && C < Fns[S]->Calls.size(); ++C)
      if (llvm::any_of(Targets[S][C], [&](size_t G) { return Spawning[G]; }))
        Out.push_back(C);
    return Out;
  }

  /// The threads (USRs of what they run) that \p S's calls \p Spawners
  /// may have started when \p S runs \p At: those before it in source
  /// order, and those in a loop around it. Joins through calls are not
  /// known, so a thread once started runs on.
  std::vector<std::string> startedBefore(size_t S, const std::vector<size_t> &Spawners,
                                         const Frame &At) {
    std::set<std::string> Started;
    for (size_t C : Spawners) {
      const CallSite &Call = Fns[S]->Calls[C];
      bool Before = At.File != Call.At.File || Call.At.Line <= At.Line ||
                    (Call.LoopFirstLine && Call.LoopFirstLine <= At.Line &&
                     At.Line <= Call.LoopLastLine);
      if (Before)
        for (size_t G : Targets[S][C])
          for (const std::string &E : spawnedBy(G))
            Started.insert(E);
    }
    return {Started.begin(), Started.end()};
  }

  /// What the threads \p F starts run, itself or through what it calls.
  const std::vector<std::string> &spawnedBy(size_t F) {
    auto [It, New] = SpawnedBy.try_emplace(F);
    if (!New)
      return It->second;
    std::vector<bool> Seen(Fns.size(), false);
    std::vector<size_t> Work{F};
    Seen[F] = true;
    std::set<std::string> Entries;
    while (!Work.empty()) {
      size_t G = Work.back();
      Work.pop_back();
      for (const ThreadSpawn &T : Fns[G]->Spawns)
        Entries.insert(T.Entry);
      for (size_t H : Callees[G])
        if (!Seen[H]) {
          Seen[H] = true;
          Work.push_back(H);
        }
    }
    It->second.assign(Entries.begin(), Entries.end());
    return It->second;
  }

  /// The functions the threads in \p Running may run: their entries,
  /// what those call, and the threads those start.
  const std::vector<bool> &reachableFrom(const std::vector<std::string> &Running) {
    std::string Key;
    for (const std::string &R : Running)
      Key += R + "|";
    auto [It, New] = Reachable.try_emplace(Key);
    if (!New)
      return It->second;
    std::vector<bool> &Seen = It->second;
    Seen.assign(Fns.size(), false);
    std::vector<size_t> Work;
    auto Visit = [&](const std::string &USR) {
      if (auto F = Index.find(USR); F != Index.end() && !Seen[F->second]) {
        Seen[F->second] = true;
        Work.push_back(F->second);
      }
    };
    for (const std::string &R : Running)
      Visit(R);
    while (!Work.empty()) {
      size_t F = Work.back();
      Work.pop_back();
      for (size_t G : Callees[F])
        if (!Seen[G]) {
          Seen[G] = true;
          Work.push_back(G);
        }
      for (const ThreadSpawn &T : Fns[F]->Spawns)
        Visit(T.Entry);
    }
    return Seen;
  }

  /// \p Group without the main thread's accesses made while only threads
  /// that never touch the variable run (pbzip2's main resets a flag
  /// between joining one file's workers and starting the next while a
  /// long-lived thread that never reads it runs).
  std::vector<Instance> concurrentOnly(const std::vector<Instance> &Group) {
    std::vector<Instance> Out;
    for (const Instance &X : Group) {
      const std::vector<std::string> &Running = X.Running;
      bool Alone = X.Thread == -1 && !Running.empty() &&
                   llvm::find(Running, std::string()) == Running.end();
      if (Alone) {
        const std::vector<bool> &Reach = reachableFrom(Running);
        for (const Instance &Y : Group)
          // A thread from elsewhere (a shared class's method, a start
          // this chain does not know of) may run at any time.
          if (Y.Thread != -1 && (Reach[size_t(Y.Thread)] || Started[size_t(Y.Thread)] == 0 ||
                                 Fns[size_t(Y.Thread)]->Role == FunctionRole::SharedMethod))
            Alone = false;
      }
      if (!Alone)
        Out.push_back(X);
    }
    return Out;
  }

  /// Whether \p X holds \p Lock exclusively (a write needs it so).
  static bool holdsExclusive(const Instance &X, const std::string &Lock) {
    for (const ItemLock &H : X.I->Held)
      if (H.Mode != AcquireMode::Shared && H.Lock.className() == Lock &&
          onSameObject(H.Lock, X.I->Var))
        return true;
    return false;
  }

  void report(const std::string &Var, const std::vector<Instance> &Group,
              std::vector<Finding> &Out) {
    // Touched by more than one thread?
    std::map<long, unsigned> Threads;
    for (const Instance &X : Group)
      Threads[X.Thread] = std::max(Threads[X.Thread], X.Threads);
    unsigned N = 0;
    for (const auto &[T, K] : Threads)
      N += K;
    if (N < 2)
      return;
    std::string Declared;
    bool Written = false;
    std::vector<std::vector<std::string>> HeldAt;
    for (const Instance &X : Group) {
      if (Declared.empty())
        Declared = X.I->DeclaredGuard;
      Written |= X.I->Kind == AccessKind::Write;
      HeldAt.push_back(X.HeldHere);
    }
    if (Declared.empty())
      for (std::vector<std::string> &Held : HeldAt)
        std::erase_if(Held, [&](const std::string &L) { return DeclaredLocks.count(L) != 0; });
    if (!Written)
      return; // read-only sharing
    GuardVerdict V = inferGuard(HeldAt, Declared);
    // A lock does not guard itself. Accesses to locks and lock wrappers are
    // not recorded (isSyncType); this keeps it so for any other lock the
    // summaries name, whose Lock() calls would look like writes to it.
    if (V.Lock.empty() || V.Lock == Var)
      return;
    auto Holds = [&](const Instance &X) {
      return std::find(X.HeldHere.begin(), X.HeldHere.end(), V.Lock) != X.HeldHere.end();
    };
    bool GuardedWrite = false;
    std::vector<const Instance *> Guarded;
    for (const Instance &X : Group)
      if (X.I->Kind == AccessKind::Write && holdsExclusive(X, V.Lock)) {
        GuardedWrite = true;
        Guarded.push_back(&X);
      }
    for (const Instance &X : Group)
      if (X.I->Kind == AccessKind::Read && Holds(X))
        Guarded.push_back(&X);
    // Notes in source order, writes first.
    std::stable_sort(Guarded.begin(), Guarded.end(), [](const Instance *A, const Instance *B) {
      const Frame &FA = A->I->Chain.front(), &FB = B->I->Chain.front();
      return std::make_tuple(A->I->Kind != AccessKind::Write, FA.File, FA.Line, FA.Column) <
             std::make_tuple(B->I->Kind != AccessKind::Write, FB.File, FB.Line, FB.Column);
    });

    std::string Why = V.Declared ? "which guards it (GUARDED_BY)"
                                 : "which guards it at " + std::to_string(V.Guarded) + " of " +
                                       std::to_string(V.Total) + " accesses";
    auto SharedOnly = [&](const Instance &X) {
      return X.I->Kind == AccessKind::Write && Holds(X) && !holdsExclusive(X, V.Lock);
    };
    auto Unguarded = [&](const Instance &X) {
      if ((Holds(X) && !SharedOnly(X)) || llvm::is_contained(X.MaybeHere, V.Lock))
        return false;
      // Reads race only with writes made under the lock.
      return X.I->Kind == AccessKind::Write || GuardedWrite;
    };
    // An access reported in some function is not reported again at the
    // callers of that function (each is a start point of its own).
    std::map<std::string, std::set<std::string>> ReportedIn; // site -> functions
    for (const Instance &X : Group)
      if (Unguarded(X))
        ReportedIn[frameKey(X.I->Chain.front())].insert(X.I->Chain.back().Function);
    auto ReportedBelow = [&](const Instance &X) {
      const std::set<std::string> &In = ReportedIn[frameKey(X.I->Chain.front())];
      const std::vector<const Frame *> Frames = X.I->Chain.frames();
      for (size_t K = 0; K + 1 < Frames.size(); ++K)
        if (In.count(Frames[K]->Function))
          return true;
      return false;
    };
    // One report per function, variable and kind; a write hides the reads.
    // One access reached without the lock from many start points (a test
    // helper called by fifty tests) is one report, at the first of them,
    // with the number of the others.
    std::set<std::string> Reported;
    std::map<std::string, std::pair<size_t, unsigned>> BySite; // -> finding, others
    for (AccessKind Kind : {AccessKind::Write, AccessKind::Read}) {
      for (const Instance &X : Group) {
        const Item &I = *X.I;
        if (I.Kind != Kind || !Unguarded(X) || ReportedBelow(X))
          continue;
        const Frame &At = I.Chain.back();
        const char *K = Kind == AccessKind::Write ? "|w" : "|r";
        if (!Reported.insert(At.Function + K).second ||
            (Kind == AccessKind::Read && Reported.count(At.Function + "|w")))
          continue;
        std::string Site = frameKey(I.Chain.front()) + K;
        if (I.Chain.size() > 1) {
          auto [It, First] = BySite.try_emplace(Site, Out.size(), 0);
          if (!First) {
            ++It->second.second;
            continue;
          }
        }
        Out.push_back(finding(Var, V, Why, X, SharedOnly(X), Guarded));
      }
    }
    for (const auto &[Site, Found] : BySite)
      if (Found.second)
        Out[Found.first].Notes.push_back(
            {Out[Found.first].Location,
             fmt::format("the same access is reached without the lock from {} more "
                         "caller{}",
                         Found.second, Found.second == 1 ? "" : "s")});
  }

  /// One access is one variable however its callers name it: `this->last_`
  /// in Pipe::read and `g_pipe.last_` where main's thread calls
  /// g_pipe.read(). Where both are reported, the caller's (the longer call
  /// chain to the same access of the same class member) is dropped.
  std::vector<Finding> dropRepeatsAtCallers(std::vector<Finding> Out) const {
    std::map<std::string, size_t> Shortest; // access -> shortest chain reporting it
    for (size_t K = 0; K < Out.size(); ++K) {
      auto [It, New] = Shortest.try_emplace(ReportedAccess[K].first, ReportedAccess[K].second);
      if (!New)
        It->second = std::min(It->second, ReportedAccess[K].second);
    }
    std::vector<Finding> Kept;
    for (size_t K = 0; K < Out.size(); ++K)
      if (ReportedAccess[K].second == Shortest[ReportedAccess[K].first])
        Kept.push_back(std::move(Out[K]));
    return Kept;
  }
  /// Per finding of report(): the access (its place, the member's class
  /// name, the kind) and the length of the call chain down to it.
  std::vector<std::pair<std::string, size_t>> ReportedAccess;

  Finding finding(const std::string &Var, const GuardVerdict &V, const std::string &Why,
                  const Instance &X, bool SharedOnly,
                  const std::vector<const Instance *> &Guarded) {
    const Item &I = *X.I;
    ReportedAccess.push_back({frameKey(I.Chain.front()) + "|" + I.Var.className() + "|" +
                                  (I.Kind == AccessKind::Write ? "w" : "r"),
                              I.Chain.size()});
    bool Write = I.Kind == AccessKind::Write;
    std::string Without = SharedOnly ? "while holding " + quote(V.Lock) + " only shared"
                                     : "without holding " + quote(V.Lock);
    Finding F;
    F.Check = RaceCheck;
    F.Origin = "static";
    F.Location = I.Chain.back();
    F.Locks = {V.Lock};
    if (I.Chain.size() == 1) {
      F.Message = std::string(Write ? "write to " : "read of ") + quote(Var) + " " + Without +
                  ", " + Why;
    } else {
      const std::vector<const Frame *> Frames = I.Chain.frames();
      F.Message = "call to " + quote(Frames[Frames.size() - 2]->Function) +
                  (Write ? " writes " : " reads ") + quote(Var) + " " + Without + ", " + Why;
      for (size_t K = 0; K + 1 < Frames.size(); ++K)
        F.Notes.push_back({*Frames[K], K == 0 ? std::string(Write ? "write to " : "read of ") +
                                                    quote(Var) + " here"
                                              : quote(Frames[K - 1]->Function) + " called here"});
    }
    std::set<std::string> Shown;
    for (const Instance *G : Guarded) {
      if (Shown.size() >= Opts.MaxGuardedNotes)
        break;
      const Frame &W = G->I->Chain.front();
      if (!Shown.insert(frameKey(W)).second)
        continue;
      F.Notes.push_back({W, quote(Var) + (G->I->Kind == AccessKind::Write ? " written" : " read") +
                                " here holding " + quote(V.Lock)});
    }
    F.FingerprintKey = std::string(RaceCheck) + ":" + F.Location.Function + ":" + Var + ":" +
                       V.Lock + ":" + (Write ? "write" : "read");
    return F;
  }
};

} // namespace

std::vector<Finding> findRaces(const std::vector<const FunctionSummary *> &Fns,
                               const std::vector<std::vector<std::vector<size_t>>> &Targets,
                               const RaceOptions &Opts, const std::vector<size_t> &CopyOf,
                               const std::vector<int> &ProgramOf) {
  return RaceFinder(Fns, Targets, Opts, CopyOf, ProgramOf).run();
}

} // namespace lockgraph::analyzer
