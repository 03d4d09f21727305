//===- Linker.cpp - Call-graph fixpoint and the static lock graph ---------===//
#include "lockgraph/analyzer/Linker.h"
#include "lockgraph/analyzer/Races.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/GlobPattern.h"
#include "llvm/Support/MemoryBuffer.h"

#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/depth_first_search.hpp>

#include <algorithm>
#include <cstring>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

using namespace llvm;

namespace lockgraph::analyzer {

namespace {

std::string quote(const std::string &S) { return "'" + S + "'"; }

struct AcqItem {
  LockRef Lock;
  Stack Chain; ///< innermost first: the acquisition, then call sites
  AcquireMode Mode = AcquireMode::Exclusive;
  bool Try = false;
  /// The function's caller's locks released when it was acquired.
  std::vector<LockRef> Released;
  /// The program of a function on the chain that belongs to one (-1: all
  /// are the library's): one program's callback, reached through a library
  /// function's call through a field, runs in that program only.
  int Program = -1;
};

struct BlockItem {
  std::string What;
  Stack Chain;
  std::vector<LockRef> Releases;
  std::vector<LockRef> Released;
  /// It blocks only when this parameter of the function is not 0
  /// (BlockingCall::TimeoutParam); -1: always.
  int TimeoutParam = -1;
  int Program = -1; ///< as AcqItem::Program
};

/// Whether \p B, a blocking call of the callee of \p CS, blocks when
/// called there, and on which parameter of the caller that depends
/// (\p CallerParam, -1: on none).
static bool blocksThrough(const BlockItem &B, const CallSite &CS, int &CallerParam) {
  CallerParam = -1;
  if (CS.OnceOnly)
    return false; // a lazy initialization's: once, the first time
  if (B.TimeoutParam < 0)
    return true;
  const unsigned P = unsigned(B.TimeoutParam);
  if (llvm::any_of(CS.ArgFacts, [&](const ParamFact &F) {
        return F.Param == P && F.Path.empty() && F.Equal && F.Value == 0;
      }))
    return false; // the caller passes a timeout of 0
  if (P < CS.ParamArgs.size())
    CallerParam = CS.ParamArgs[P];
  return true;
}

/// Whether \p L is one of \p Refs (same object, or same class when either
/// is imprecise).
bool among(const LockRef &L, const std::vector<LockRef> &Refs) {
  for (const LockRef &R : Refs)
    if (R == L || ((!R.precise() || !L.precise()) && R.className() == L.className()))
      return true;
  return false;
}

std::vector<LockRef> substituteAll(const std::vector<LockRef> &Refs, const CallSite &CS) {
  std::vector<LockRef> Out;
  for (const LockRef &R : Refs)
    Out.push_back(substitute(R, CS.Args, CS.This));
  return Out;
}

struct EdgeRec {
  LockRef From, To;
  AcquireMode FromMode = AcquireMode::Exclusive, ToMode = AcquireMode::Exclusive;
  bool Try = false;
  Stack HeldAt, AcquiredAt;
  std::vector<LockRef> Others;
  /// As AcqItem::Program, for the chains of both ends.
  int Program = -1;
};

struct Caller {
  size_t Fn;   ///< index of the calling function
  size_t Call; ///< index of the call site in it
};

/// Whether \p F is a program's `main`.
bool isMain(const FunctionSummary &F) {
  return F.Name == "main" && StringRef(F.USR).starts_with("c:@F@main");
}

/// Of each TU, the program it belongs to (-1: any, a library's): a TU
/// that defines `main` is a program of its own, numbered in order; a build
/// target with one such TU is that program, with all its TUs
/// (TUSummary::Target).
std::vector<int> programsOf(const std::vector<const TUSummary *> &TUs) {
  std::vector<int> Program;
  std::map<std::string, int> TargetProgram;
  int Programs = 0;
  for (const TUSummary *TU : TUs) {
    if (!llvm::any_of(TU->Functions, isMain)) {
      Program.push_back(-1);
      continue;
    }
    Program.push_back(Programs++);
    if (!TU->Target.empty()) {
      auto [It, New] = TargetProgram.try_emplace(TU->Target, Program.back());
      if (!New)
        It->second = -1; // several mains: which links what is not known
    }
  }
  for (size_t T = 0; T < TUs.size(); ++T)
    if (auto It = TargetProgram.find(TUs[T]->Target);
        Program[T] < 0 && !TUs[T]->Target.empty() && It != TargetProgram.end())
      Program[T] = It->second;
  return Program;
}

/// A compile database may hold several programs: each test its own
/// executable, with its own `main`, and helpers or thread functions of one
/// name in several of them. Of a USR defined at more than one place, the
/// first definition keeps the USR, and each other one is renamed, with its
/// own TU's references to it, to the USR qualified by its TU's file: every
/// body is analyzed, and each TU's calls reach its own definition. (Before,
/// only the first definition was kept: a `main` of another test, first in
/// the database, hid a deadlock in this one's.) Those TUs are copied into
/// \p Owned; the others are used as they are.
std::vector<const TUSummary *> separateDuplicateDefinitions(const std::vector<TUSummary> &TUs,
                                                            std::deque<TUSummary> &Owned) {
  std::vector<const TUSummary *> All;
  for (const TUSummary &TU : TUs)
    All.push_back(&TU);
  const std::vector<int> Program = programsOf(All);
  // Each USR's definitions, by place (a function of a header is defined at
  // one place in every TU), and by variant in the file compiled with other
  // macros for other targets (TUSummary::Variant): the TU of the first one
  // there.
  struct Definition {
    size_t TU;
    std::string File;
    unsigned Line;
    unsigned Variant;
  };
  std::unordered_map<std::string, std::vector<Definition>> Defs;
  for (size_t T = 0; T < TUs.size(); ++T)
    for (const FunctionSummary &F : TUs[T].Functions) {
      if (F.USR.empty())
        continue;
      const unsigned Variant = F.Decl.File == TUs[T].File ? TUs[T].Variant : 0;
      std::vector<Definition> &D = Defs[F.USR];
      if (llvm::none_of(D, [&](const Definition &X) {
            return X.File == F.Decl.File && X.Line == F.Decl.Line && X.Variant == Variant;
          }))
        D.push_back({T, F.Decl.File, F.Decl.Line, Variant});
    }
  std::vector<std::pair<const std::string *, const std::vector<Definition> *>> Several;
  for (const auto &[USR, D] : Defs)
    if (D.size() > 1)
      Several.push_back({&USR, &D});
  auto NameOf = [&](const std::string &USR, const std::vector<Definition> &D,
                    const Definition &X) {
    if (&X == &D.front())
      return USR;
    std::string Name = USR + "@" + TUs[X.TU].File;
    if (X.Variant)
      Name += "#" + std::to_string(X.Variant);
    return Name;
  };
  std::vector<const TUSummary *> Out;
  for (size_t T = 0; T < TUs.size(); ++T) {
    const TUSummary &TU = TUs[T];
    // What this TU's references to a USR defined at several places mean:
    // its own definition; else, in a program, the program's own one, or
    // a library's rather than another program's (mosquitto_sub's
    // client_config_load is client_shared.c's, not mosquitto_ctrl's).
    std::unordered_map<std::string, std::string> Rename;
    for (const auto &[USRPtr, DPtr] : Several) {
      const std::string &USR = *USRPtr;
      const std::vector<Definition> &D = *DPtr;
      const Definition *Pick = nullptr;
      for (const Definition &X : D)
        if (X.TU == T) {
          Pick = &X;
          break;
        }
      if (!Pick && Program[T] >= 0) {
        for (const Definition &X : D)
          if (Program[X.TU] == Program[T]) {
            Pick = &X;
            break;
          }
        if (!Pick && Program[D.front().TU] >= 0 && Program[D.front().TU] != Program[T])
          for (const Definition &X : D)
            if (Program[X.TU] < 0) {
              Pick = &X;
              break;
            }
      }
      if (Pick && Pick != &D.front())
        Rename.emplace(USR, NameOf(USR, D, *Pick));
    }
    if (Rename.empty()) {
      Out.push_back(&TU);
      continue;
    }
    TUSummary &Copy = Owned.emplace_back(TU);
    // A USR, or a function-pointer parameter's key "param:USR#index".
    auto Own = [&](std::string &Ref) {
      if (auto It = Rename.find(Ref); It != Rename.end()) {
        Ref = It->second;
        return;
      }
      StringRef Key(Ref);
      if (!Key.consume_front("param:"))
        return;
      const size_t Hash = Key.rfind('#');
      if (Hash == StringRef::npos)
        return;
      if (auto It = Rename.find(Key.substr(0, Hash).str()); It != Rename.end())
        Ref = "param:" + It->second + Key.substr(Hash).str();
    };
    auto OwnCall = [&](CallSite &C) {
      Own(C.Callee);
      llvm::for_each(C.FnArgs, Own);
      llvm::for_each(C.Running, Own);
    };
    for (FunctionSummary &F : Copy.Functions) {
      // Each definition by its place's name (a header's, kept by the first
      // TU with it, too).
      if (Rename.count(F.USR)) {
        const std::vector<Definition> &D = Defs[F.USR];
        const unsigned Variant = F.Decl.File == TU.File ? TU.Variant : 0;
        for (const Definition &X : D)
          if (X.File == F.Decl.File && X.Line == F.Decl.Line && X.Variant == Variant) {
            F.USR = NameOf(F.USR, D, X);
            break;
          }
      }
      llvm::for_each(F.Overrides, Own);
      llvm::for_each(F.Calls, OwnCall);
      llvm::for_each(F.LambdaCalls, OwnCall);
      for (ThreadSpawn &Spawn : F.Spawns)
        Own(Spawn.Entry);
      for (Access &A : F.Accesses) {
        llvm::for_each(A.Running, Own);
        Own(A.AddressTo);
      }
    }
    for (auto &[Key, USR] : Copy.FieldTargets) {
      Own(Key);
      Own(USR);
    }
    for (auto &[Into, From] : Copy.TargetFlows) {
      Own(Into);
      Own(From);
    }
    Out.push_back(&Copy);
  }
  return Out;
}

class Linker {
public:
  Linker(const std::vector<const TUSummary *> &TUs, const LinkOptions &Opts) : Opts(Opts) {
    const std::vector<int> ProgramOfTU = programsOf(TUs);
    for (const TUSummary *TU : TUs)
      ProgramTUs += llvm::any_of(TU->Functions, isMain);
    for (size_t T = 0; T < TUs.size(); ++T) {
      const TUSummary *TU = TUs[T];
      const int Program = ProgramOfTU[T];
      for (const FunctionSummary &F : TU->Functions)
        if (!F.USR.empty() && Index.emplace(F.USR, Fns.size()).second) {
          Fns.push_back(&F);
          // A function of a header is any program's that includes it.
          ProgramOf.push_back(F.Decl.File == TU->File ? Program : AnyProgram);
        }
    }
    for (const TUSummary *TU : TUs)
      LockTypes.insert(TU->LockTypes.begin(), TU->LockTypes.end());
    for (size_t I = 0; I < Fns.size(); ++I)
      for (const std::string &O : Fns[I]->Overrides)
        Overriders[O].push_back(I);
    // A call through a function-pointer field or parameter calls what is
    // stored there or passed for it, also through parameters passed on.
    auto Store = [&](const std::string &Key, size_t Fn) {
      std::vector<size_t> &Stored = Overriders[Key];
      if (Stored.size() >= MaxStoredTargets || llvm::is_contained(Stored, Fn))
        return false;
      Stored.push_back(Fn);
      return true;
    };
    // A store into a field of an owner's member ("field:X@Owner::m") is a
    // store into the field (what calls through it call), kept also by
    // owner; any other store is kept also as the owner-less "field:X@",
    // for specializeOwnedFields.
    auto Keys = [](const std::string &Key) -> std::vector<std::string> {
      if (!StringRef(Key).starts_with("field:"))
        return {Key};
      if (size_t At = Key.find('@'); At != std::string::npos)
        return {Key.substr(0, At), Key};
      return {Key, Key + "@"};
    };
    for (const TUSummary *TU : TUs)
      for (const auto &[Key, USR] : TU->FieldTargets)
        if (auto It = Index.find(USR); It != Index.end())
          for (const std::string &K : Keys(Key))
            Store(K, It->second);
    std::vector<std::pair<std::string, std::string>> Flows;
    for (const TUSummary *TU : TUs)
      for (const auto &[Into, From] : TU->TargetFlows)
        for (const std::string &K : Keys(Into))
          Flows.push_back({K, From});
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (const auto &[Into, From] : Flows)
        if (auto It = Overriders.find(From); It != Overriders.end())
          for (size_t Fn : std::vector<size_t>(It->second))
            Changed |= Store(Into, Fn);
    }
    Targets.resize(Fns.size());
    for (size_t I = 0; I < Fns.size(); ++I) {
      const FunctionSummary &F = *Fns[I];
      Targets[I].resize(F.Calls.size());
      for (size_t C = 0; C < F.Calls.size(); ++C)
        collectTargets(F.Calls[C].Callee, Targets[I][C], 0,
                       isIndirect(F.Calls[C].Callee) ? MaxStoredCallTargets : MaxOverriders,
                       !F.Calls[C].Direct);
    }
    specializeParamCalls();
    specializeOwnedFields();
    specializeKnownArgs();
    specializeLayeredDispatch();
    Callers.resize(Fns.size());
    for (size_t I = 0; I < Fns.size(); ++I)
      for (size_t C = 0; C < Targets[I].size(); ++C)
        for (size_t G : Targets[I][C])
          Callers[G].push_back({I, C});
  }

  LinkResult run() {
    computeRecursive();
    computeMayRelease();
    computeAcquires();
    computeBlocking();
    for (size_t I = 0; I < Fns.size(); ++I)
      edgesOf(I);
    for (size_t I = 0; I < Fns.size(); ++I)
      if (!isCopy(I))
        waitEdgesOf(I);
    std::vector<int> RacePrograms;
    if (ProgramTUs >= 2)
      RacePrograms = ProgramOf;
    for (Finding &F : findRaces(Fns, Targets, {}, CloneOf, RacePrograms))
      Findings.push_back(std::move(F));
    LinkResult R;
    R.Findings = ProgramTUs < 2 ? findDeadlocks(Graph, Opts.Deadlocks) : programCycles();
    for (Finding &F : Findings)
      R.Findings.push_back(std::move(F));
    for (size_t I = 0; I < Fns.size(); ++I)
      if (!isCopy(I))
        for (const Finding &Fi : Fns[I]->Findings)
          R.Findings.push_back(Fi);
    // A pthread mutex made recursive somewhere (computeRecursive) may be
    // locked again, and unlocked as often, by the thread that holds it.
    llvm::erase_if(R.Findings, [&](const Finding &F) {
      return (F.Check == DoubleLockCheck || F.Check == UnlockUnheldCheck) &&
             llvm::any_of(F.Locks, [&](const std::string &L) { return RecursiveNames.count(L); });
    });
    // Dedupe (a header's function is in many TUs) and sort by location.
    // A double lock through a lock wrapper of another TU is found twice at
    // the call: here, through the call, and by the TU's second pass, which
    // sees the wrapper's effect (ExternalEffects) as an acquisition. One
    // lock locked twice at one place is one finding, the one with more notes
    // (this one, which also shows where the wrapper acquires it again).
    std::map<std::tuple<std::string, std::string, unsigned, unsigned, std::string>, size_t>
        Seen;
    std::vector<Finding> Unique;
    for (Finding &F : R.Findings) {
      std::string What = F.Check == DoubleLockCheck ? join(F.Locks, ",") : F.Message;
      auto [It, New] = Seen.try_emplace(
          {F.Check, F.Location.File, F.Location.Line, F.Location.Column, What}, Unique.size());
      if (New) {
        Unique.push_back(std::move(F));
      } else if (F.Check == CondWaitNoLoopCheck) {
        // One call of a wrapper that waits in two places (nng's
        // nng_cv_until: a timed wait, or an untimed one for NNG_TIME_NEVER):
        // either may be the wait, so the notes show both.
        std::vector<FindingNote> &Notes = Unique[It->second].Notes;
        for (FindingNote &N : F.Notes)
          if (llvm::none_of(Notes, [&](const FindingNote &M) {
                return M.Where == N.Where && M.Message == N.Message;
              }))
            Notes.push_back(std::move(N));
      } else if (F.Notes.size() > Unique[It->second].Notes.size()) {
        Unique[It->second] = std::move(F);
      }
    }
    std::stable_sort(Unique.begin(), Unique.end(), [](const Finding &A, const Finding &B) {
      return std::tie(A.Location.File, A.Location.Line, A.Location.Column) <
             std::tie(B.Location.File, B.Location.Line, B.Location.Column);
    });
    R.Findings = std::move(Unique);
    R.Graph = std::move(Graph);
    return R;
  }

  std::map<std::string, std::vector<LockRef>> releasesThroughPointers() {
    std::map<std::string, std::vector<LockRef>> Out;
    for (size_t I = 0; I < Fns.size(); ++I)
      for (size_t C = 0; C < Fns[I]->Calls.size(); ++C) {
        const std::string &Key = Fns[I]->Calls[C].Callee;
        if (!StringRef(Key).starts_with("field:") && !StringRef(Key).starts_with("var:"))
          continue;
        for (size_t G : Targets[I][C])
          for (const LockRef &R : Fns[G]->ReleasesCallers)
            if (auto &Released = Out[Key]; R.Base == BaseKind::Global && !among(R, Released))
              Released.push_back(R);
      }
    std::erase_if(Out, [](const auto &KV) { return KV.second.empty(); });
    return Out;
  }

  std::map<std::string, ExternalEffect> lockMethodsThroughPointers() {
    std::map<std::string, ExternalEffect> Out;
    std::set<std::string> Done;
    auto DoesNothing = [](const FunctionSummary &F) {
      return F.ReturnsHolding.empty() && F.ReleasesCallers.empty() &&
             F.HandsOverCallers.empty() && F.Acquisitions.empty() && F.Calls.empty() &&
             F.Blocking.empty() && F.Waits.empty() && F.Notifies.empty() && F.Spawns.empty() &&
             F.Accesses.empty();
    };
    auto Digest = [](const FunctionSummary &F) {
      return effectDigest(F.ReturnsHolding, F.ReleasesCallers);
    };
    for (size_t I = 0; I < Fns.size(); ++I)
      for (size_t C = 0; C < Fns[I]->Calls.size(); ++C) {
        const std::string &Key = Fns[I]->Calls[C].Callee;
        if ((!StringRef(Key).starts_with("field:") && !StringRef(Key).starts_with("var:")) ||
            !Done.insert(Key).second)
          continue;
        const FunctionSummary *Method = nullptr;
        bool Agree = true;
        for (size_t G : Targets[I][C]) {
          const FunctionSummary &F = *Fns[G];
          if (DoesNothing(F))
            continue;
          // A method locks or unlocks what it is given; a callback that
          // releases a global its caller holds is handed it
          // (PointerCalls::Releases).
          const bool OnArguments =
              llvm::all_of(F.ReturnsHolding,
                           [](const HeldLock &H) { return H.Lock.Base == BaseKind::Param; }) &&
              llvm::all_of(F.ReleasesCallers,
                           [](const LockRef &R) { return R.Base == BaseKind::Param; });
          if (!F.HandsOverCallers.empty() || !OnArguments ||
              (F.ReturnsHolding.empty() && F.ReleasesCallers.empty()) ||
              (Method && Digest(*Method) != Digest(F))) {
            Agree = false;
            break;
          }
          Method = &F;
        }
        if (Agree && Method)
          Out[Key] = {Method->ReturnsHolding, Method->ReleasesCallers, {}};
      }
    return Out;
  }

private:
  const LinkOptions &Opts;
  std::vector<const FunctionSummary *> Fns;
  /// Per function: the program it belongs to, numbered by the TUs that
  /// define a `main` (each is a program of its own, whose other TUs are not
  /// known), or AnyProgram for a TU without one (a library's: any program
  /// may link it) and for a function of a header.
  static constexpr int AnyProgram = -1;
  std::vector<int> ProgramOf;
  unsigned ProgramTUs = 0;
  /// With several programs: the lock orders each one's functions made, by
  /// program (AnyProgram: the library TUs'), so that a cycle is only found
  /// within one program, and shows that program's code.
  std::map<int, LockGraph> ProgramGraphs;
  std::unordered_map<std::string, size_t> Index;
  std::unordered_map<std::string, std::vector<size_t>> Overriders;
  /// Functions kept per field or parameter: a call through one calls at
  /// most a few of them anyway (collectTargets).
  static constexpr size_t MaxStoredTargets = 64;
  /// Functions a call through a function-pointer field or parameter calls:
  /// every function of the right type stored in any such field, most of
  /// them never in the object at hand (nng's option tables: each module's
  /// getters are in its own table, all in one field), so a few.
  static constexpr size_t MaxStoredCallTargets = 8;
  /// Overriders a virtual call reaches: the class hierarchy says they all
  /// may be called (spdlog's base_sink<std::mutex>::sink_it_ has more than
  /// ten), and one left out would look uncalled, as a thread's start
  /// holding nothing.
  static constexpr size_t MaxOverriders = 32;
  std::vector<std::vector<std::vector<size_t>>> Targets; // [fn][call] -> fns
  static constexpr size_t NoClone = SIZE_MAX;
  std::vector<size_t> CloneOf; // specializeParamCalls
  std::vector<std::vector<Caller>> Callers;
  std::vector<std::vector<AcqItem>> Acq;
  std::vector<std::set<std::string>> AcqKeys;
  std::vector<std::vector<BlockItem>> Blocks;
  std::set<std::string> Lifted; // fn|from|to already lifted
  std::set<std::string> RecursiveKeys, RecursiveNames; // computeRecursive
  std::set<std::pair<std::string, std::string>> LockTypes; // TUSummary's
  /// Per function: its callers' locks it may release, itself or through
  /// what it calls, in its own space (computeMayRelease).
  std::vector<std::vector<LockRef>> MayRelease;
  /// Per function: locks it acquires (through calls too) holding no other.
  std::vector<std::optional<std::vector<AcqItem>>> Outer;
  std::set<std::string> ThreadsDone; // thread nodes whose out-edges exist
  LockGraph Graph;
  std::vector<Finding> Findings;

  /// The specialized copy of Fns[\p From] that \p Key names in \p Copies,
  /// made the first time with the call targets \p MakeTargets returns;
  /// none once MaxCopies exist.
  std::optional<size_t>
  copyOf(std::map<std::string, size_t> &Copies, const std::string &Key, size_t From,
         llvm::function_ref<std::vector<std::vector<size_t>>()> MakeTargets) {
    constexpr size_t MaxCopies = 4096;
    auto [It, New] = Copies.try_emplace(Key, Fns.size());
    if (!New)
      return It->second;
    if (Copies.size() > MaxCopies) {
      Copies.erase(It);
      return std::nullopt;
    }
    std::vector<std::vector<size_t>> CallTargets = MakeTargets();
    Fns.push_back(Fns[From]);
    ProgramOf.push_back(ProgramOf[From]);
    Targets.push_back(std::move(CallTargets));
    CloneOf.push_back(CloneOf[From] == NoClone ? From : CloneOf[From]);
    return It->second;
  }

  /// Calls through a function-pointer parameter call what each call site
  /// passes for it (CallSite::FnArgs), not everything any caller passes:
  /// a call site that passes functions to a callee that calls through (or
  /// passes on) those parameters calls a copy of the callee, specialized to
  /// them (Fns gains an entry for the same summary, CloneOf says of which).
  /// The original's calls through its parameters call nothing.
  void specializeParamCalls() {
    CloneOf.assign(Fns.size(), NoClone);
    std::vector<std::map<unsigned, std::vector<size_t>>> Bound(Fns.size());
    std::map<std::string, size_t> Copies; // function + bindings -> copy
    const size_t PrefixLen = std::strlen(ParamCallPrefix);
    auto ParamIndex = [&](const std::string &S) -> std::optional<unsigned> {
      if (!StringRef(S).starts_with(ParamCallPrefix))
        return std::nullopt;
      unsigned K;
      if (StringRef(S).substr(PrefixLen).getAsInteger(10, K))
        return std::nullopt;
      return K;
    };
    // The parameters a function calls through or passes on.
    auto UsedParams = [&](size_t G) {
      std::set<unsigned> Used;
      for (const CallSite &CS : Fns[G]->Calls) {
        if (auto K = ParamIndex(CS.Callee))
          Used.insert(*K);
        for (const std::string &A : CS.FnArgs)
          if (auto K = ParamIndex(A))
            Used.insert(*K);
      }
      return Used;
    };
    // Fns grows while this runs: the copies are specialized in turn.
    for (size_t I = 0; I < Fns.size(); ++I) {
      const FunctionSummary &F = *Fns[I];
      const std::map<unsigned, std::vector<size_t>> Mine = Bound[I];
      for (size_t C = 0; C < F.Calls.size(); ++C) {
        const CallSite &CS = F.Calls[C];
        if (auto K = ParamIndex(CS.Callee)) {
          if (auto It = Mine.find(*K); It != Mine.end())
            Targets[I][C] = It->second;
          continue;
        }
        std::map<unsigned, std::vector<size_t>> Passed;
        for (unsigned A = 0; A < CS.FnArgs.size(); ++A) {
          if (auto K = ParamIndex(CS.FnArgs[A])) {
            if (auto It = Mine.find(*K); It != Mine.end())
              Passed[A] = It->second;
          } else if (auto It = Index.find(CS.FnArgs[A]); It != Index.end()) {
            Passed[A] = {It->second};
          }
        }
        if (Passed.empty())
          continue;
        std::vector<size_t> Called = Targets[I][C];
        for (size_t &G : Called) {
          std::map<unsigned, std::vector<size_t>> Binding;
          for (unsigned K : UsedParams(G))
            if (auto It = Passed.find(K); It != Passed.end())
              Binding[K] = It->second;
          if (Binding.empty())
            continue;
          size_t Original = CloneOf[G] == NoClone ? G : CloneOf[G];
          std::string Key = std::to_string(Original);
          for (const auto &[K, Fs] : Binding) {
            Key += "|" + std::to_string(K) + "=";
            for (size_t Fn : Fs)
              Key += std::to_string(Fn) + ",";
          }
          const size_t Before = Fns.size();
          std::optional<size_t> Copy =
              copyOf(Copies, Key, Original, [&] { return Targets[Original]; });
          if (!Copy)
            continue;
          if (Fns.size() > Before)
            Bound.push_back(std::move(Binding));
          G = *Copy;
        }
        Targets[I][C] = std::move(Called);
      }
    }
  }


  /// A call that passes a constant, or a variable whose value or fields it
  /// knows, for a parameter the callee tests before some of its calls
  /// (CallSite::ArgFacts, CallSite::Guards) calls a copy of the callee
  /// without the calls that rules out: nng's
  /// nni_aio_finish(aio, rv) is nni_aio_finish_impl(aio, rv, ..., false),
  /// which runs the completion callback itself only `if (sync)`, and
  /// otherwise hands it to a task queue thread; the callbacks, which take
  /// the locks of every protocol, are not called under the caller's locks;
  /// and nni_task_dispatch calls nni_task_exec only `if (task->task_cb ==
  /// NULL)`, where it calls no callback. Only calls are left out, not the
  /// callee's own acquisitions.
  void specializeKnownArgs() {
    // Callee + calls left out + facts passed on -> copy.
    std::map<std::string, size_t> Copies;
    // What a copy's call site knew of the copy's parameters that the copy
    // passes on unchanged (CallSite::ParamArgs): libzmq's
    // zmq_setsockopt(s, ZMQ_LINGER, ...) -> socket_base_t::setsockopt(option)
    // -> options_t::setsockopt(option), whose switch reaches only its case.
    std::vector<std::vector<ParamFact>> PassedOn(Fns.size());
    auto KnownAt = [&](size_t I, const CallSite &CS) {
      std::vector<ParamFact> Known = CS.ArgFacts;
      if (I < PassedOn.size())
        for (const ParamFact &F : PassedOn[I])
          for (unsigned A = 0; A < CS.ParamArgs.size(); ++A)
            if (CS.ParamArgs[A] == int(F.Param)) {
              Known.push_back(F);
              Known.back().Param = A;
            }
      return Known;
    };
    // The conditions on each function's parameters that decide one of its
    // calls, or a call of a callee it passes them on to: a copy is only
    // worth making for what they decide, and callers whose facts decide
    // them alike share it (libevent's constants passed down everywhere made
    // a copy per constant, thousands, that decided nothing).
    constexpr size_t MaxConditions = 32;
    std::vector<std::vector<ParamFact>> Decided(Fns.size());
    auto AddCondition = [&](size_t I, const ParamFact &G) {
      if (Decided[I].size() >= MaxConditions || llvm::is_contained(Decided[I], G))
        return false;
      Decided[I].push_back(G);
      return true;
    };
    for (size_t I = 0; I < Fns.size(); ++I)
      for (const CallSite &CS : Fns[I]->Calls)
        for (const ParamFact &G : CS.Guards)
          AddCondition(I, G);
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (size_t I = 0; I < Decided.size(); ++I)
        for (size_t C = 0; C < Fns[I]->Calls.size(); ++C) {
          const std::vector<int> &PA = Fns[I]->Calls[C].ParamArgs;
          for (size_t H : Targets[I][C])
            for (size_t K = 0; H < Decided.size() && K < Decided[H].size(); ++K) {
              const ParamFact &G = Decided[H][K];
              if (G.Param < PA.size() && PA[G.Param] >= 0) {
                ParamFact Mine = G;
                Mine.Param = unsigned(PA[G.Param]);
                Changed |= AddCondition(I, Mine);
              }
            }
        }
    }
    // Fns grows while this runs: the copies' calls are specialized in turn.
    for (size_t I = 0; I < Fns.size(); ++I) {
      for (size_t C = 0; C < Fns[I]->Calls.size(); ++C) {
        const std::vector<ParamFact> Known = KnownAt(I, Fns[I]->Calls[C]);
        if (Known.empty())
          continue;
        std::vector<size_t> Called = Targets[I][C];
        for (size_t &G : Called) {
          std::vector<size_t> RuledOut;
          const std::vector<CallSite> &GCalls = Fns[G]->Calls;
          for (size_t K = 0; K < GCalls.size(); ++K)
            if (!Targets[G][K].empty() && llvm::any_of(GCalls[K].Guards, [&](const ParamFact &G) {
                  return contradicts(G, Known);
                }))
              RuledOut.push_back(K);
          // Facts that decide a condition further down, passed on; the copy
          // is named by what they decide.
          const std::vector<ParamFact> NoConditions;
          const std::vector<ParamFact> &Conditions = G < Decided.size() ? Decided[G] : NoConditions;
          std::vector<ParamFact> Passed;
          std::string Outcome;
          for (const ParamFact &Cond : Conditions) {
            const bool Decides = contradicts(Cond, Known);
            Outcome += Decides ? '1' : '0';
            if (Decides)
              for (const ParamFact &F : Known)
                if (F.Param == Cond.Param && F.Path == Cond.Path &&
                    !llvm::is_contained(Passed, F))
                  Passed.push_back(F);
          }
          if (RuledOut.empty() && Passed.empty())
            continue;
          std::string Key = std::to_string(G) + "|";
          for (size_t K : RuledOut)
            Key += std::to_string(K) + ",";
          Key += "|" + Outcome;
          const size_t Before = Fns.size();
          std::optional<size_t> Copy = copyOf(Copies, Key, G, [&] {
            std::vector<std::vector<size_t>> CopyTargets = Targets[G];
            for (size_t K : RuledOut)
              CopyTargets[K].clear();
            return CopyTargets;
          });
          if (!Copy)
            continue;
          if (Fns.size() > Before) {
            PassedOn.resize(Fns.size());
            PassedOn[*Copy] = std::move(Passed);
            Decided.resize(Fns.size());
            Decided[*Copy] = Decided[G];
          }
          G = *Copy;
        }
        Targets[I][C] = std::move(Called);
      }
    }
  }

  /// A method that calls through a callback field of its own object
  /// (`if (cb) cb();`) calls, on a member of another object
  /// (`helper_.open()`), what was stored into that member's field, or
  /// stored where the owner is not known, not what other owners stored
  /// into theirs: spdlog's file_helper event handlers, set on one sink type
  /// and called under another sink's lock. Such call sites call a copy of
  /// the method with those calls narrowed.
  void specializeOwnedFields() {
    std::map<std::string, size_t> Copies; // method + owner -> copy
    auto Stored = [&](const std::string &Key) -> const std::vector<size_t> * {
      auto It = Overriders.find(Key);
      return It == Overriders.end() ? nullptr : &It->second;
    };
    const size_t Originals = Fns.size();
    for (size_t I = 0; I < Originals; ++I) {
      for (size_t C = 0; C < Fns[I]->Calls.size(); ++C) {
        const CallSite &CS = Fns[I]->Calls[C];
        if (!CS.This || CS.This->Path.empty() || isIndirect(CS.Callee))
          continue;
        const PathElem &Member = CS.This->Path.back();
        const std::string Owner = "@" + Member.Class + "::" + Member.Field;
        std::vector<size_t> Called = Targets[I][C];
        for (size_t &G : Called) {
          std::vector<std::pair<size_t, std::vector<size_t>>> Narrowed;
          for (size_t K = 0; K < Fns[G]->Calls.size(); ++K) {
            const CallSite &Through = Fns[G]->Calls[K];
            if (!Through.ThroughThis || !StringRef(Through.Callee).starts_with("field:"))
              continue;
            const std::vector<size_t> *Own = Stored(Through.Callee + Owner);
            const std::vector<size_t> *Unowned = Stored(Through.Callee + "@");
            std::vector<size_t> Kept;
            for (size_t T : Targets[G][K])
              if ((Own && llvm::is_contained(*Own, T)) ||
                  (Unowned && llvm::is_contained(*Unowned, T)))
                Kept.push_back(T);
            if (Kept.size() != Targets[G][K].size())
              Narrowed.push_back({K, std::move(Kept)});
          }
          if (Narrowed.empty())
            continue;
          std::optional<size_t> Copy =
              copyOf(Copies, std::to_string(G) + Owner, G, [&] {
                std::vector<std::vector<size_t>> CopyTargets = Targets[G];
                for (auto &[K, Kept] : Narrowed)
                  CopyTargets[K] = Kept;
                return CopyTargets;
              });
          if (Copy)
            G = *Copy;
        }
        Targets[I][C] = std::move(Called);
      }
    }
  }

  /// Whether \p Callee names a call through a function-pointer field or
  /// parameter rather than a function.
  static bool isIndirect(const std::string &Callee) {
    return StringRef(Callee).starts_with("field:") ||
           StringRef(Callee).starts_with(ParamCallPrefix);
  }

  /// A call through a function-pointer field of the caller's argument
  /// (nng's nng_stream_listener_free(l) is `l->sl_free(l)`) made for a
  /// function of source file H does not reach the implementations defined
  /// in a file M that calls into H by direct calls while H calls into M by
  /// none: M is a layer above H. nng's websocket listener (websocket.c)
  /// wraps an HTTP server (http_server.c), which wraps a TCP or TLS
  /// listener through the same interface; the HTTP server's listener is
  /// never a websocket one, yet every implementation is stored in the same
  /// field. Such a caller calls a copy of the dispatching function without
  /// them.
  void specializeLayeredDispatch() {
    using ModuleGraph =
        boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;
    std::unordered_map<std::string, size_t> ModuleOf;
    auto Module = [&](size_t Fn) {
      return ModuleOf.try_emplace(Fns[Fn]->Decl.File, ModuleOf.size()).first->second;
    };
    // Initializers and finalizers call every module's own (nng's API
    // entry points call nni_init, which registers every transport): that
    // orders set-up, it is no use of a layer.
    auto Setup = [&](size_t Fn) { return Fns[Fn]->Role == FunctionRole::InitFini; };
    std::vector<std::pair<size_t, size_t>> Uses;
    for (size_t I = 0; I < Fns.size(); ++I)
      Module(I);
    for (size_t I = 0; I < Fns.size(); ++I)
      if (!isCopy(I) && !Setup(I))
        for (const CallSite &CS : Fns[I]->Calls)
          if (!isIndirect(CS.Callee))
            if (auto It = Index.find(CS.Callee); It != Index.end() && !Setup(It->second))
              Uses.push_back({Module(I), Module(It->second)});
    ModuleGraph Graph(Uses.begin(), Uses.end(), ModuleOf.size());
    std::map<size_t, std::vector<boost::default_color_type>> Reached;
    auto Reaches = [&](size_t From, size_t To) {
      auto [It, New] = Reached.try_emplace(From);
      if (New) {
        It->second.assign(boost::num_vertices(Graph), boost::white_color);
        boost::depth_first_visit(
            Graph, From, boost::default_dfs_visitor(),
            boost::make_iterator_property_map(It->second.begin(),
                                              boost::get(boost::vertex_index, Graph)));
      }
      return It->second[To] != boost::white_color;
    };
    auto Above = [&](size_t M, size_t H) {
      return M != H && Reaches(M, H) && !Reaches(H, M);
    };
    // The dispatch is on what the caller passes for a parameter, and the
    // caller passes a member of its own object (http_server_fini's
    // `s->listener`): the lower layer's part, not any object it was handed
    // or keeps in a global registry.
    auto OnOwnMember = [](const CallSite &Dispatch, const CallSite &Call) {
      if (!StringRef(Dispatch.Callee).starts_with("field:"))
        return false;
      // The object the field is read from is passed on with it, as the
      // first argument that is a parameter (`l->sl_free(l)`).
      for (const std::optional<LockRef> &A : Dispatch.Args) {
        if (!A || A->Base != BaseKind::Param || !A->Path.empty())
          continue;
        if (A->Index < 0 || size_t(A->Index) >= Call.Args.size())
          return false;
        const std::optional<LockRef> &Passed = Call.Args[A->Index];
        return Passed && Passed->symbolic() && !Passed->Path.empty();
      }
      return false;
    };
    std::map<std::string, size_t> Copies; // dispatcher + calls cut -> copy
    // Fns grows while this runs (the copies are visited too).
    for (size_t I = 0; I < Fns.size(); ++I) {
      const size_t Caller = Module(I);
      for (size_t C = 0; C < Fns[I]->Calls.size(); ++C) {
        if (isIndirect(Fns[I]->Calls[C].Callee))
          continue;
        std::vector<size_t> Called = Targets[I][C];
        for (size_t &T : Called) {
          std::vector<std::pair<size_t, size_t>> Cut; // (call, target)
          for (size_t K = 0; K < Fns[T]->Calls.size(); ++K)
            if (OnOwnMember(Fns[T]->Calls[K], Fns[I]->Calls[C]))
              for (size_t G : Targets[T][K])
                if (Above(Module(G), Caller))
                  Cut.push_back({K, G});
          if (Cut.empty())
            continue;
          std::string Key = std::to_string(T) + "|";
          for (auto [K, G] : Cut)
            Key += std::to_string(K) + "-" + std::to_string(G) + ",";
          std::optional<size_t> Copy = copyOf(Copies, Key, T, [&] {
            std::vector<std::vector<size_t>> CopyTargets = Targets[T];
            for (auto [K, G] : Cut)
              llvm::erase(CopyTargets[K], G);
            return CopyTargets;
          });
          if (Copy)
            T = *Copy;
        }
        Targets[I][C] = std::move(Called);
      }
    }
  }

  /// Whether entry \p I of Fns is a specialized copy of another.
  bool isCopy(size_t I) const { return CloneOf[I] != NoClone; }
  /// Whether call \p C of copy \p I calls other functions than the same
  /// call of its original (its findings are the copy's to report).
  bool callDiffers(size_t I, size_t C) const {
    return !isCopy(I) || Targets[I][C] != Targets[CloneOf[I]][C];
  }

  /// \p USR and, unless \p Overridden is false (a direct call), what
  /// overrides it or is stored for it.
  void collectTargets(const std::string &USR, std::vector<size_t> &Out, unsigned Depth,
                      size_t Limit, bool Overridden = true) {
    if (Depth > 3 || Out.size() >= Limit)
      return;
    if (auto It = Index.find(USR); It != Index.end() &&
                                   std::find(Out.begin(), Out.end(), It->second) == Out.end())
      Out.push_back(It->second);
    if (!Overridden)
      return;
    if (auto It = Overriders.find(USR); It != Overriders.end())
      for (size_t O : It->second)
        collectTargets(Fns[O]->USR, Out, Depth + 1, Limit);
  }

  static Stack extend(const Stack &S, const Frame &F) {
    Stack Out = S;
    Out.push_back(F);
    return Out;
  }

  /// The locks made recursive (FunctionSummary::RecursiveInits), mapped
  /// through call sites to the callers' locks while they are parameters.
  /// The classes every constructor of which makes the lock inside the
  /// object recursive, itself (RecursiveInits on a member of `this`) or
  /// through a base class's constructor: Poco::Mutex, whose constructor
  /// calls MutexImpl() (another TU), which sets PTHREAD_MUTEX_RECURSIVE.
  /// Poco::FastMutex, whose constructor calls MutexImpl(true), is not one.
  std::set<std::string> recursiveLockClasses() const {
    auto classOfConstructor = [](StringRef Name) -> StringRef {
      size_t Colons = Name.rfind("::");
      if (Colons == StringRef::npos)
        return {};
      StringRef Class = Name.take_front(Colons);
      size_t Outer = Class.rfind("::");
      StringRef Last = Outer == StringRef::npos ? Class : Class.drop_front(Outer + 2);
      return Last == Name.drop_front(Colons + 2) ? Class : StringRef();
    };
    std::vector<size_t> Ctors;
    std::vector<bool> Recursive(Fns.size(), false);
    for (size_t I = 0; I < Fns.size(); ++I)
      if (Fns[I]->Role == FunctionRole::CtorDtor && !classOfConstructor(Fns[I]->Name).empty()) {
        Ctors.push_back(I);
        Recursive[I] = llvm::any_of(Fns[I]->RecursiveInits, [](const LockRef &R) {
          return R.Base == BaseKind::This && !R.Path.empty();
        });
      }
    for (bool Changed = true; Changed;) {
      Changed = false;
      for (size_t I : Ctors)
        if (!Recursive[I] && llvm::any_of(Fns[I]->Calls, [&](const CallSite &C) {
              auto It = Index.find(C.Callee);
              return It != Index.end() && Recursive[It->second] && C.This &&
                     C.This->Base == BaseKind::This && C.This->Path.empty();
            }))
          Changed = Recursive[I] = true;
    }
    std::map<std::string, std::pair<unsigned, unsigned>> CtorsOf; // all, recursive
    for (size_t I : Ctors) {
      auto &[All, Rec] = CtorsOf[classOfConstructor(Fns[I]->Name).str()];
      ++All;
      Rec += Recursive[I];
    }
    std::set<std::string> Classes;
    for (const auto &[Class, Counts] : CtorsOf)
      if (Counts.first == Counts.second && Counts.second > 0)
        Classes.insert(Class);
    return Classes;
  }

  void computeRecursive() {
    // Members and globals whose lock class its constructors make recursive.
    if (!LockTypes.empty())
      if (std::set<std::string> Classes = recursiveLockClasses(); !Classes.empty())
        for (const auto &[Member, Class] : LockTypes)
          if (Classes.count(Class))
            RecursiveNames.insert(Member);
    // A C struct's lock member that some initializer makes recursive
    // (SQLite's pthreadMutexAlloc, for SQLITE_MUTEX_RECURSIVE only): C has
    // no constructors that say it of every such struct, so any lock of
    // that member, or of a member of that struct's type, may be recursive.
    std::set<std::string> CStructs;
    for (size_t I = 0; I < Fns.size(); ++I)
      for (const LockRef &R : Fns[I]->RecursiveInits)
        if (!R.Path.empty() && R.Base != BaseKind::This && R.Base != BaseKind::Global) {
          RecursiveNames.insert(R.className());
          CStructs.insert(R.Path.back().Class);
        }
    for (const auto &[Member, Class] : LockTypes)
      if (CStructs.count(Class))
        RecursiveNames.insert(Member);
    std::deque<std::pair<size_t, LockRef>> Work;
    for (size_t I = 0; I < Fns.size(); ++I)
      for (const LockRef &R : Fns[I]->RecursiveInits)
        Work.push_back({I, R});
    std::set<std::string> Seen;
    while (!Work.empty() && Seen.size() < 10000) {
      auto [Fn, R] = Work.front();
      Work.pop_front();
      if (!Seen.insert(std::to_string(Fn) + "|" + R.key()).second)
        continue;
      if (!R.symbolic()) {
        RecursiveKeys.insert(R.key());
        RecursiveNames.insert(R.displayName());
        continue;
      }
      for (const Caller &C : Callers[Fn]) {
        const CallSite &CS = Fns[C.Fn]->Calls[C.Call];
        LockRef L = substitute(R, CS.Args, CS.This);
        if (L.precise())
          Work.push_back({C.Fn, L});
      }
    }
  }

  /// MayRelease: FunctionSummary::ReleasesCallers carried up the call
  /// graph. A callee that hands its caller's lock over somewhere (libuv's
  /// loop runs a callback that unlocks what main locked before uv_run) may
  /// take it again without a double lock: which runs first is not known.
  /// Calls \p Lift(G, Caller) for each caller of each function of \p Work
  /// and, whenever Lift says the caller's facts grew, for the caller's
  /// callers in turn, until nothing changes.
  template <typename LiftFn> void liftToCallers(std::deque<size_t> Work, LiftFn Lift) {
    std::vector<bool> Queued(Fns.size(), false);
    for (size_t I : Work)
      Queued[I] = true;
    while (!Work.empty()) {
      size_t G = Work.front();
      Work.pop_front();
      Queued[G] = false;
      for (const Caller &C : Callers[G])
        if (Lift(G, Fns[C.Fn]->Calls[C.Call], C.Fn) && !Queued[C.Fn]) {
          Queued[C.Fn] = true;
          Work.push_back(C.Fn);
        }
    }
  }

  void computeMayRelease() {
    constexpr size_t MaxPerFunction = 32;
    MayRelease.assign(Fns.size(), {});
    std::deque<size_t> Work;
    for (size_t I = 0; I < Fns.size(); ++I) {
      MayRelease[I] = Fns[I]->ReleasesCallers;
      for (const LockRef &R : Fns[I]->HandsOverCallers)
        if (!among(R, MayRelease[I]))
          MayRelease[I].push_back(R);
      if (!MayRelease[I].empty())
        Work.push_back(I);
    }
    liftToCallers(std::move(Work), [&](size_t G, const CallSite &CS, size_t F) {
      bool Changed = false;
      for (size_t K = 0; K < MayRelease[G].size(); ++K) {
        LockRef L = substitute(MayRelease[G][K], CS.Args, CS.This);
        if (MayRelease[F].size() >= MaxPerFunction || among(L, MayRelease[F]))
          continue;
        MayRelease[F].push_back(std::move(L));
        Changed = true;
      }
      return Changed;
    });
  }

  void computeAcquires() {
    Acq.assign(Fns.size(), {});
    AcqKeys.assign(Fns.size(), {});
    std::deque<size_t> Work;
    for (size_t I = 0; I < Fns.size(); ++I) {
      for (const Acquisition &A : Fns[I]->Acquisitions)
        if (!A.Reacquire && AcqKeys[I].insert(A.Lock.key()).second)
          Acq[I].push_back({A.Lock, {A.At}, A.Mode, A.Try, A.Released, ProgramOf[I]});
      if (!Acq[I].empty())
        Work.push_back(I);
    }
    liftToCallers(std::move(Work), [&](size_t G, const CallSite &CS, size_t F) {
      bool Changed = false;
      for (size_t K = 0; K < Acq[G].size(); ++K) {
        if (Acq[F].size() >= Opts.MaxLocksPerFunction)
          break;
        AcqItem Item = Acq[G][K];
        if (conflicting(Item.Program, F))
          continue;
        const int Program = Item.Program >= 0 ? Item.Program : ProgramOf[F];
        LockRef L = substitute(Item.Lock, CS.Args, CS.This);
        if (!AcqKeys[F].insert(L.key() + "|" + std::to_string(Program)).second)
          continue;
        // Acquired while the callee had released a lock of this caller:
        // the caller's lock was not held then.
        std::vector<LockRef> Rel = substituteAll(Item.Released, CS);
        if (among(L, Rel))
          continue; // the caller's own lock, released and retaken
        Rel.insert(Rel.end(), CS.Released.begin(), CS.Released.end());
        Acq[F].push_back({L, extend(Item.Chain, CS.At), Item.Mode, Item.Try, Rel, Program});
        Changed = true;
      }
      return Changed;
    });
  }

  void computeBlocking() {
    Blocks.assign(Fns.size(), {});
    std::deque<size_t> Work;
    // One item per blocking function; one that blocks whatever the
    // arguments replaces one that depends on a timeout parameter (the chain
    // shown is then one that can block: libzmq's process_commands polls
    // with 0 in one place and waits in another).
    auto Slot = [&](size_t F, const BlockItem &N) -> BlockItem * {
      for (BlockItem &B : Blocks[F])
        if (B.What == N.What && B.Program == N.Program)
          return B.TimeoutParam >= 0 && N.TimeoutParam < 0 ? &B : nullptr;
      if (Blocks[F].size() >= Opts.MaxBlockingPerFunction)
        return nullptr;
      return &Blocks[F].emplace_back();
    };
    for (size_t I = 0; I < Fns.size(); ++I) {
      for (const BlockingCall &B : Fns[I]->Blocking) {
        BlockItem N{B.What, {B.At}, B.Releases, B.Released, B.TimeoutParam, ProgramOf[I]};
        if (BlockItem *Into = Slot(I, N))
          *Into = std::move(N);
      }
      if (!Blocks[I].empty())
        Work.push_back(I);
    }
    liftToCallers(std::move(Work), [&](size_t G, const CallSite &CS, size_t F) {
      bool Changed = false;
      for (size_t K = 0; K < Blocks[G].size(); ++K) {
        const BlockItem &B = Blocks[G][K];
        int CallerParam;
        if (!blocksThrough(B, CS, CallerParam) || conflicting(B.Program, F))
          continue;
        BlockItem N{B.What, extend(B.Chain, CS.At), {}, substituteAll(B.Released, CS),
                    CallerParam, B.Program >= 0 ? B.Program : ProgramOf[F]};
        for (const LockRef &R : B.Releases)
          N.Releases.push_back(substitute(R, CS.Args, CS.This));
        N.Released.insert(N.Released.end(), CS.Released.begin(), CS.Released.end());
        if (BlockItem *Into = Slot(F, N)) {
          *Into = std::move(N);
          Changed = true;
        }
      }
      return Changed;
    });
  }

  /// The held locks a blocking call does not release. A local lock of
  /// \p Function itself is left out: no other thread can be waiting for it.
  static std::vector<HeldLock> stillHeld(const std::vector<HeldLock> &Held,
                                         const std::vector<LockRef> &Releases,
                                         const std::string &Function) {
    std::vector<HeldLock> Out;
    for (const HeldLock &H : Held) {
      if (H.Lock.Base == BaseKind::Local && H.Lock.Path.empty() &&
          StringRef(H.Lock.Name).starts_with(Function + "::"))
        continue;
      bool Released = false;
      for (const LockRef &R : Releases)
        Released |= R == H.Lock || R.className() == H.Lock.className();
      if (!Released)
        Out.push_back(H);
    }
    // A wait that releases a lock we cannot match (a condition-variable
    // wrapper that keeps its mutex in a field): assume it is the lock taken
    // last, as a wait's mutex almost always is.
    if (!Releases.empty() && Out.size() == Held.size() && !Out.empty())
      Out.pop_back();
    return Out;
  }

  static void appendChainNotes(std::vector<FindingNote> &Notes, const Stack &Chain,
                               const std::string &Headline) {
    for (size_t I = 0; I < Chain.size(); ++I)
      Notes.push_back({Chain[I], I == 0 ? Headline
                                        : quote(Chain[I - 1].Function) + " called here"});
  }

  void blockingFinding(const Frame &At, const std::string &Message,
                       const std::vector<HeldLock> &Held, const Stack &Chain,
                       const std::string &What) {
    Finding F;
    F.Check = BlockingUnderLockCheck;
    F.Message = Message;
    F.Location = At;
    F.Origin = "static";
    for (const HeldLock &H : Held) {
      F.Notes.push_back({H.At, quote(H.Lock.displayName()) + " acquired here"});
      F.Locks.push_back(H.Lock.displayName());
    }
    if (!Chain.empty())
      appendChainNotes(F.Notes, Chain, "blocking call to " + quote(What) + " here");
    F.FingerprintKey = std::string(BlockingUnderLockCheck) + ":" + At.Function + ":" + What +
                       ":" + (F.Locks.empty() ? "" : F.Locks.front());
    Findings.push_back(std::move(F));
  }

  static std::string heldList(const std::vector<HeldLock> &Held) {
    std::string S;
    for (size_t I = 0; I < Held.size(); ++I) {
      if (I)
        S += I + 1 == Held.size() ? " and " : ", ";
      S += quote(Held[I].Lock.displayName());
    }
    return S;
  }

  void edgesOf(size_t I) {
    const FunctionSummary &F = *Fns[I];
    // A copy adds what its calls through parameters add; the rest is the
    // original's.
    for (const Acquisition &A : isCopy(I) ? std::vector<Acquisition>() : F.Acquisitions)
      for (const HeldLock &H : A.Held) {
        EdgeRec E{H.Lock, A.Lock, H.Mode, A.Mode, A.Try, {H.At}, {A.At}, {}};
        for (const HeldLock &O : A.Held)
          if (!(O.Lock == H.Lock))
            E.Others.push_back(O.Lock);
        emitOrLift(I, std::move(E), 0);
      }
    for (const BlockingCall &B : isCopy(I) ? std::vector<BlockingCall>() : F.Blocking) {
      std::vector<HeldLock> Held = stillHeld(B.Held, B.Releases, F.Name);
      if (!Held.empty())
        blockingFinding(B.At,
                        "blocking call to " + quote(B.What) + " while holding " +
                            heldList(Held),
                        Held, {}, B.What);
    }
    for (size_t C = 0; C < F.Calls.size(); ++C) {
      const CallSite &CS = F.Calls[C];
      if (CS.Held.empty() || !callDiffers(I, C))
        continue;
      bool ReportedBlocking = false, ReportedDouble = false;
      for (size_t G : Targets[I][C]) {
        for (const AcqItem &Item : Acq[G]) {
          if (conflicting(Item.Program, I))
            continue;
          LockRef X = substitute(Item.Lock, CS.Args, CS.This);
          std::vector<LockRef> Rel = substituteAll(Item.Released, CS);
          for (const HeldLock &H : CS.Held) {
            if (among(H.Lock, Rel))
              continue; // the callee released H before taking X
            EdgeRec E{H.Lock, X, H.Mode, Item.Mode, Item.Try, {H.At},
                      extend(Item.Chain, CS.At), {}, Item.Program};
            for (const HeldLock &O : CS.Held)
              if (!(O.Lock == H.Lock))
                E.Others.push_back(O.Lock);
            emitOrLift(I, std::move(E), 0);
            // Re-acquiring a held non-recursive lock through a call.
            // As for a lock taken here: only one held on every path.
            if (!ReportedDouble && !Item.Try && !H.SomePaths && X.precise() && X == H.Lock &&
                X.Kind != LockKind::RecursiveMutex && !RecursiveKeys.count(X.key()) &&
                !(H.Mode == AcquireMode::Shared && Item.Mode == AcquireMode::Shared) &&
                !among(X, substituteAll(MayRelease[G], CS))) {
              ReportedDouble = true;
              Finding D;
              D.Check = DoubleLockCheck;
              D.Message = "double lock of " + quote(X.displayName()) + ": " +
                          quote(CS.CalleeName) +
                          " acquires it while it is already held (self-deadlock)";
              D.Location = CS.At;
              D.Origin = "static";
              D.Locks = {X.displayName()};
              D.Notes.push_back({H.At, quote(X.displayName()) + " first acquired here"});
              appendChainNotes(D.Notes, Item.Chain,
                               quote(X.displayName()) + " acquired again here");
              D.FingerprintKey = std::string(DoubleLockCheck) + ":" + F.Name + ":" +
                                 CS.CalleeName + ":" + X.displayName();
              Findings.push_back(std::move(D));
            }
          }
        }
        if (ReportedBlocking)
          continue;
        for (const BlockItem &B : Blocks[G]) {
          if (int Unused; !blocksThrough(B, CS, Unused) || conflicting(B.Program, I))
            continue;
          std::vector<LockRef> Rel;
          for (const LockRef &R : B.Releases)
            Rel.push_back(substitute(R, CS.Args, CS.This));
          std::vector<LockRef> CalleeReleased = substituteAll(B.Released, CS);
          std::vector<HeldLock> StillHeldHere;
          for (const HeldLock &H : CS.Held)
            if (!among(H.Lock, CalleeReleased))
              StillHeldHere.push_back(H);
          std::vector<HeldLock> Held = stillHeld(StillHeldHere, Rel, F.Name);
          if (Held.empty())
            continue;
          blockingFinding(CS.At,
                          "call to " + quote(CS.CalleeName) + " may block in " +
                              quote(B.What) + " while holding " + heldList(Held),
                          Held, B.Chain, B.What);
          ReportedBlocking = true;
          break;
        }
      }
    }
  }

  //===--------------------------------------------------------------------===//
  // Wait nodes (issue 8)
  //===--------------------------------------------------------------------===//

  /// The locks \p Fn acquires, directly or through calls, while holding no
  /// other lock (what a thread running \p Fn needs before anything else),
  /// each with its call chain. Try-acquisitions cannot block and are left
  /// out. Recursion is cut (an empty set while in progress).
  const std::vector<AcqItem> &outerAcquires(size_t Fn) {
    if (Outer.empty())
      Outer.resize(Fns.size());
    if (Outer[Fn])
      return *Outer[Fn];
    Outer[Fn].emplace();
    std::vector<AcqItem> Out;
    std::set<std::string> Keys;
    const FunctionSummary &F = *Fns[Fn];
    for (const Acquisition &A : F.Acquisitions)
      if (A.Held.empty() && !A.Try && !A.Reacquire && Keys.insert(A.Lock.key()).second)
        Out.push_back({A.Lock, {A.At}, A.Mode, false, {}});
    for (size_t C = 0; C < F.Calls.size(); ++C) {
      const CallSite &CS = F.Calls[C];
      if (!CS.Held.empty())
        continue;
      for (size_t G : Targets[Fn][C])
        for (const AcqItem &Item : std::vector<AcqItem>(outerAcquires(G))) {
          if (Out.size() >= Opts.MaxLocksPerFunction)
            break;
          LockRef L = substitute(Item.Lock, CS.Args, CS.This);
          if (Keys.insert(L.key()).second)
            Out.push_back({L, extend(Item.Chain, CS.At), Item.Mode, false, {}});
        }
    }
    Outer[Fn] = std::move(Out);
    return *Outer[Fn];
  }

  /// The held locks a wait keeps while it blocks: all of them for a join;
  /// for a condition-variable wait, all but the mutex it releases (when
  /// that mutex cannot be matched, the lock taken last, as in stillHeld).
  static std::vector<HeldLock> heldAcross(const WaitSite &W) {
    std::vector<HeldLock> Out;
    for (const HeldLock &H : W.Held) {
      bool Released = false;
      for (const LockRef &R : W.Releases)
        Released |= R == H.Lock || R.className() == H.Lock.className();
      if (!Released)
        Out.push_back(H);
    }
    if (W.Kind == LockKind::CondVar && Out.size() == W.Held.size() && !Out.empty())
      Out.pop_back();
    return Out;
  }

  /// \p F does nothing but make calls with what it reads from its
  /// parameters (`&cv->cv, &cv->mtx->mtx`; nng's nni_cv_until picks
  /// nni_plat_cv_wait or nni_plat_cv_until by the time it is given): a
  /// wrapper that forwards.
  static bool forwards(const FunctionSummary &F) {
    return !F.Calls.empty() && F.Acquisitions.empty() && F.Blocking.empty() &&
           F.Waits.empty() && F.Notifies.empty() && F.Spawns.empty() &&
           llvm::all_of(F.Accesses, [](const Access &A) {
             return A.Kind == AccessKind::Read && A.Var.Base == BaseKind::Param;
           });
  }

  /// Edges through wait nodes: `L -> W` for a lock held across a wait for
  /// W, `CV -> L` for a lock the notifier of CV acquires before notifying,
  /// `thread:F -> L` for a lock the thread running F acquires.
  void waitEdgesOf(size_t I) {
    const FunctionSummary &F = *Fns[I];
    // A wait with no check around it is fine in a wrapper whose every call
    // is in a loop that re-checks (leveldb's CondVar::Wait()).
    // Otherwise a wait wrapper (its condition variable is a parameter, as
    // uv_cond_wait's) is reported where it is called outside such a loop,
    // which is where to fix or suppress it; any other function (one that
    // waits for a thread it started to say it is up) at the wait itself.
    for (const Finding &Wait : F.UncheckedWaits) {
      const WaitSite *Site = nullptr;
      for (const WaitSite &W : F.Waits)
        if (W.At == Wait.Location && W.Kind == LockKind::CondVar)
          Site = &W;
      bool CallersLoop = !Callers[I].empty();
      for (const Caller &C : Callers[I])
        CallersLoop &= Fns[C.Fn]->Calls[C.Call].InLoop;
      if (CallersLoop)
        continue;
      // A wait wrapper no call we follow reaches (libevent's
      // evthread_posix_cond_wait, copied into a table of callbacks with
      // memcpy): whether its callers loop is not known, so nothing is said.
      if (Callers[I].empty() && Site && Site->CondVar.symbolic())
        continue;
      if (!Site || !Site->CondVar.symbolic()) {
        Findings.push_back(Wait);
        continue;
      }
      // A wrapper of the wrapper (libevent's debug_cond_wait passing its
      // own parameter on) is no place to loop either. One that only
      // forwards (nng's nni_plat_cv_wait passing &cv->cv, itself forwarded
      // to by nni_cv_wait) hands the question to its callers, up to the
      // first that names the condition variable itself.
      std::vector<std::pair<size_t, LockRef>> Wrappers{{I, Site->CondVar}};
      std::set<size_t> Seen{I};
      while (!Wrappers.empty()) {
        auto [G, CondVar] = Wrappers.back();
        Wrappers.pop_back();
        for (const Caller &C : Callers[G]) {
          const CallSite &CS = Fns[C.Fn]->Calls[C.Call];
          if (CS.InLoop)
            continue;
          LockRef Passed = substitute(CondVar, CS.Args, CS.This);
          if (Passed.Base == BaseKind::Param && forwards(*Fns[C.Fn])) {
            if (Seen.size() < 16 && Seen.insert(C.Fn).second)
              Wrappers.push_back({C.Fn, Passed});
            continue;
          }
          if (Passed.Base == BaseKind::Param && Passed.Path.empty())
            continue;
          Finding At = Wait;
          At.Location = CS.At;
          // The condition variable as the caller passes it.
          At.Locks = {Passed.displayName()};
          At.Message = quote(CS.CalleeName) + " waits on " + quote(At.Locks[0]) +
                       " with no check around the wait, and is not called in a loop "
                       "that re-checks its condition (spurious and lost wake-ups)";
          At.Notes.insert(At.Notes.begin(), {Wait.Location, "the wait is here"});
          At.FingerprintKey = Wait.FingerprintKey + " via " + Fns[C.Fn]->Name;
          Findings.push_back(std::move(At));
        }
      }
    }
    for (const WaitSite &W : F.Waits) {
      LockRef Node = W.CondVar;
      if (W.Kind == LockKind::Thread) {
        if (W.Thread < 0 || size_t(W.Thread) >= F.Spawns.size())
          continue;
        const ThreadSpawn &T = F.Spawns[W.Thread];
        Node = LockRef{};
        Node.Base = BaseKind::Global;
        Node.Name = T.Name;
        Node.Kind = LockKind::Thread;
        threadEdges(T, Node);
      }
      std::vector<HeldLock> Held = heldAcross(W);
      for (const HeldLock &H : Held) {
        EdgeRec E{H.Lock, Node, H.Mode, AcquireMode::Exclusive, W.Timed, {H.At}, {W.At}, {}};
        for (const HeldLock &O : Held)
          if (!(O.Lock == H.Lock))
            E.Others.push_back(O.Lock);
        emitOrLift(I, std::move(E), 0);
      }
    }
    // The notifier's other locks are not a gate: a waiter holding one of
    // them already blocks the notifier on it. So no Others here.
    for (const NotifySite &N : F.Notifies) {
      auto Add = [&](const HeldLock &H) {
        emitOrLift(I, EdgeRec{N.CondVar, H.Lock, AcquireMode::Exclusive, H.Mode, false,
                              {N.At}, {H.At}, {}},
                   0);
      };
      for (const HeldLock &H : N.Held)
        Add(H);
      for (const HeldLock &H : N.AcquiredBefore)
        Add(H);
    }
  }

  /// `thread:F -> L` for every lock F acquires holding no other, once per
  /// thread node. Nothing when F's body is not in the program.
  void threadEdges(const ThreadSpawn &T, const LockRef &Node) {
    auto It = Index.find(T.Entry);
    // By entry too: two programs' threads of one name run different bodies
    // (separateDuplicateDefinitions).
    if (It == Index.end() || !ThreadsDone.insert(T.Entry + "|" + T.Name).second)
      return;
    for (const AcqItem &Item : outerAcquires(It->second)) {
      // A bare parameter of the entry (the thread's argument) names no lock.
      if (Item.Lock.symbolic() && Item.Lock.Path.empty())
        continue;
      emit(EdgeRec{Node, Item.Lock, AcquireMode::Exclusive, Item.Mode, false,
                   {T.At}, Item.Chain, {}},
           ProgramOf[It->second]);
    }
  }

  /// An edge whose naming depends on the caller: a bare lock parameter, or
  /// two locks of the same class reached from parameters/`this` (whose
  /// instances only the caller can tell apart).
  static bool needsCaller(const EdgeRec &E) {
    if ((E.From.symbolic() && E.From.Path.empty()) || (E.To.symbolic() && E.To.Path.empty()))
      return true;
    return (E.From.symbolic() || E.To.symbolic()) &&
           E.From.className() == E.To.className();
  }

  void emitOrLift(size_t Fn, EdgeRec E, unsigned Depth) {
    if (needsCaller(E) && !Callers[Fn].empty() && Depth < Opts.MaxLiftDepth) {
      std::string Key = std::to_string(Fn) + "|" + E.From.key() + "|" + E.To.key() + "|" +
                        std::to_string(E.Program);
      if (!Lifted.insert(Key).second)
        return;
      if (E.Program < 0)
        E.Program = ProgramOf[Fn];
      for (const Caller &C : Callers[Fn]) {
        if (conflicting(E.Program, C.Fn))
          continue;
        const CallSite &CS = Fns[C.Fn]->Calls[C.Call];
        EdgeRec N = E;
        N.From = substitute(E.From, CS.Args, CS.This);
        N.To = substitute(E.To, CS.Args, CS.This);
        for (LockRef &O : N.Others)
          O = substitute(O, CS.Args, CS.This);
        N.HeldAt.push_back(CS.At);
        N.AcquiredAt.push_back(CS.At);
        // Locks the caller holds around the call are held here too.
        for (const HeldLock &H : CS.Held)
          N.Others.push_back(H.Lock);
        emitOrLift(C.Fn, std::move(N), Depth + 1);
      }
      return;
    }
    emit(E, E.Program >= 0 ? E.Program : ProgramOf[Fn]);
  }

  /// An item of program \p Program (AcqItem::Program) reaching function
  /// \p Fn of another program: one program's function never calls
  /// another's, so that is no path (a call through a library's field
  /// reaching the other program's callback).
  bool conflicting(int Program, size_t Fn) const {
    return Program >= 0 && ProgramOf[Fn] >= 0 && Program != ProgramOf[Fn];
  }

  static LockId lockFor(LockGraph &G, const std::string &Name, const LockRef &R,
                        const Frame &At) {
    Lock L;
    L.Name = Name;
    L.Kind = R.Kind;
    L.DeclaredAt = At;
    return G.addLock(L);
  }

  /// The cycles of each program's lock orders with the library TUs' (the
  /// TUs without a `main`): a test's `main` that takes `a` then `b` and
  /// another test's that takes `b` then `a` are two executables, no cycle.
  std::vector<Finding> programCycles() const {
    static const LockGraph None;
    auto Library = ProgramGraphs.find(AnyProgram);
    const LockGraph &Shared = Library == ProgramGraphs.end() ? None : Library->second;
    std::vector<Finding> Out = findDeadlocks(Shared, Opts.Deadlocks);
    for (const auto &[Program, Own] : ProgramGraphs) {
      if (Program == AnyProgram)
        continue;
      LockGraph Whole = Shared;
      Whole.merge(Own);
      for (Finding &F : findDeadlocks(Whole, Opts.Deadlocks))
        Out.push_back(std::move(F));
    }
    return Out;
  }

  /// Adds \p E, made by a function of program \p Program, to the graph.
  void emit(const EdgeRec &E, int Program) {
    std::string From = E.From.className(), To = E.To.className();
    if (From == To) {
      std::string FI = E.From.instanceName(), TI = E.To.instanceName();
      if (FI.empty() || TI.empty() || FI == TI)
        return; // one lock class: a recursive or same-class acquisition
      From = FI;
      To = TI;
    }
    auto AddTo = [&](LockGraph &G) {
      EdgeEvidence V;
      V.Thread = NoThread;
      V.FromMode = E.FromMode;
      V.ToMode = E.ToMode;
      V.TryAcquire = E.Try;
      V.HeldAt = E.HeldAt;
      V.AcquiredAt = E.AcquiredAt;
      V.Origin = "static";
      LockId FromId = lockFor(G, From, E.From, E.HeldAt.front());
      LockId ToId = lockFor(G, To, E.To, E.AcquiredAt.front());
      for (const LockRef &O : E.Others) {
        LockId Id = lockFor(G, O.className(), O, Frame{});
        if (Id != FromId && Id != ToId)
          V.OtherHeld.push_back(Id);
      }
      std::sort(V.OtherHeld.begin(), V.OtherHeld.end());
      V.OtherHeld.erase(std::unique(V.OtherHeld.begin(), V.OtherHeld.end()),
                        V.OtherHeld.end());
      G.addEdge(FromId, ToId, std::move(V));
    };
    AddTo(Graph);
    if (ProgramTUs >= 2)
      AddTo(ProgramGraphs[Program]);
  }
};

//===----------------------------------------------------------------------===//
// NOLINT
//===----------------------------------------------------------------------===//

/// Whether a NOLINT comment's optional check list (text after the marker,
/// "(a,b*)" or nothing) covers \p Check.
bool nolintCovers(StringRef After, StringRef Check) {
  After = After.ltrim(' ');
  if (!After.starts_with("("))
    return true;
  size_t Close = After.find(')');
  if (Close == StringRef::npos)
    return true;
  SmallVector<StringRef, 4> Globs;
  After.substr(1, Close - 1).split(Globs, ',', -1, false);
  for (StringRef G : Globs) {
    G = G.trim();
    if (G == "*")
      return true;
    if (auto Pat = GlobPattern::create(G); Pat && Pat->match(Check))
      return true;
  }
  return false;
}

/// Finds \p Marker in \p Line not followed by letters (so NOLINT does not
/// match NOLINTNEXTLINE); returns the text after it.
std::optional<StringRef> findMarker(StringRef Line, StringRef Marker) {
  size_t Pos = 0;
  while ((Pos = Line.find(Marker, Pos)) != StringRef::npos) {
    StringRef After = Line.substr(Pos + Marker.size());
    if (After.empty() || !(isAlpha(After.front()) || After.front() == '_'))
      return After;
    Pos += Marker.size();
  }
  return std::nullopt;
}

} // namespace

LinkResult link(const std::vector<TUSummary> &TUs, const LinkOptions &Opts) {
  std::deque<TUSummary> Owned;
  Linker L(separateDuplicateDefinitions(TUs, Owned), Opts);
  return L.run();
}

PointerCalls throughPointers(const std::vector<TUSummary> &TUs) {
  LinkOptions Opts;
  std::deque<TUSummary> Owned;
  Linker L(separateDuplicateDefinitions(TUs, Owned), Opts);
  return {L.releasesThroughPointers(), L.lockMethodsThroughPointers()};
}

void applyNolint(std::vector<Finding> &Findings) {
  std::map<std::string, std::vector<std::string>> Files;
  // How a NOLINT comment at \p At covers \p Check, if one does.
  auto SuppressedAt = [&](const Frame &At, StringRef Check) -> std::optional<std::string> {
    if (At.File.empty() || At.Line == 0)
      return std::nullopt;
    auto It = Files.find(At.File);
    if (It == Files.end()) {
      std::vector<std::string> Lines;
      if (auto Buf = MemoryBuffer::getFile(At.File)) {
        SmallVector<StringRef, 0> Split;
        (*Buf)->getBuffer().split(Split, '\n');
        for (StringRef S : Split)
          Lines.push_back(S.str());
      }
      It = Files.emplace(At.File, std::move(Lines)).first;
    }
    const std::vector<std::string> &Lines = It->second;
    unsigned Line = At.Line;
    if (Line > Lines.size())
      return std::nullopt;
    if (auto A = findMarker(Lines[Line - 1], "NOLINT"); A && nolintCovers(*A, Check))
      return "NOLINT";
    if (Line >= 2)
      if (auto A = findMarker(Lines[Line - 2], "NOLINTNEXTLINE"); A && nolintCovers(*A, Check))
        return "NOLINTNEXTLINE";
    // NOLINTBEGIN/END: count open regions covering the check above the line.
    int Open = 0;
    for (unsigned I = 0; I + 1 < Line; ++I) {
      if (auto A = findMarker(Lines[I], "NOLINTBEGIN"); A && nolintCovers(*A, Check))
        ++Open;
      if (auto A = findMarker(Lines[I], "NOLINTEND"); A && nolintCovers(*A, Check) && Open)
        --Open;
    }
    if (Open > 0)
      return "NOLINTBEGIN";
    return std::nullopt;
  };
  for (Finding &F : Findings) {
    if (!F.SuppressedBy.empty())
      continue;
    if (auto By = SuppressedAt(F.Location, F.Check)) {
      F.SuppressedBy = *By;
      continue;
    }
    // A blocking call reached through calls: a NOLINT at the blocking call,
    // or at a call on the way to it, says that call is meant to block under
    // its callers' locks, for every caller (leveldb's LogAndApply opens its
    // first MANIFEST under the DB mutex, "only ... when opening the
    // database", through Env::NewWritableFile).
    if (F.Check == BlockingUnderLockCheck)
      for (const FindingNote &N : F.Notes)
        if (StringRef(N.Message).starts_with("blocking call to ") ||
            StringRef(N.Message).ends_with("' called here"))
          if (auto By = SuppressedAt(N.Where, F.Check)) {
            F.SuppressedBy = *By + " on the way to the blocking call";
            break;
          }
  }
}

} // namespace lockgraph::analyzer
