//===- LockGraph.cpp - The lock-order graph model -------------------------===//
#include "lockgraph/core/LockGraph.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <utility>

namespace lockgraph {

namespace {
constexpr std::array<std::pair<LockKind, std::string_view>, 9> KindNames = {{
    {LockKind::Unknown, "unknown"},
    {LockKind::Mutex, "mutex"},
    {LockKind::RecursiveMutex, "recursive"},
    {LockKind::RwLock, "rwlock"},
    {LockKind::SpinLock, "spin"},
    {LockKind::C11Mutex, "c11"},
    {LockKind::Once, "once"},
    {LockKind::CondVar, "condvar"},
    {LockKind::Thread, "thread"},
}};

/// Two observations are the same evidence when they differ only in count.
bool sameObservation(const EdgeEvidence &A, const EdgeEvidence &B) {
  return A.Thread == B.Thread && A.Segment == B.Segment &&
         A.FromMode == B.FromMode &&
         A.ToMode == B.ToMode && A.TryAcquire == B.TryAcquire &&
         A.HeldSinceWait == B.HeldSinceWait &&
         A.JoinedThreadDone == B.JoinedThreadDone &&
         A.OtherHeld == B.OtherHeld && A.HeldAt == B.HeldAt &&
         A.AcquiredAt == B.AcquiredAt && A.Origin == B.Origin;
}

/// When an edge keeps no more evidence, a new observation is counted on the
/// record it most resembles, so that filters still see its thread and modes.
size_t closestEvidence(const std::vector<EdgeEvidence> &Kept,
                       const EdgeEvidence &E) {
  size_t Best = 0;
  int BestScore = -1;
  for (size_t I = 0; I < Kept.size(); ++I) {
    const EdgeEvidence &K = Kept[I];
    int Score = (K.Thread == E.Thread) * 4 +
                (K.TryAcquire == E.TryAcquire &&
                 K.HeldSinceWait == E.HeldSinceWait &&
                 K.JoinedThreadDone == E.JoinedThreadDone) * 2 +
                (K.ToMode == E.ToMode && K.FromMode == E.FromMode);
    if (Score > BestScore) {
      Best = I;
      BestScore = Score;
    }
  }
  return Best;
}
} // namespace

std::string_view toString(LockKind K) {
  for (const auto &[Kind, Name] : KindNames)
    if (Kind == K)
      return Name;
  return "unknown";
}

std::optional<LockKind> parseLockKind(std::string_view S) {
  for (const auto &[Kind, Name] : KindNames)
    if (Name == S)
      return Kind;
  return std::nullopt;
}

std::string_view toString(AcquireMode M) {
  return M == AcquireMode::Shared ? "shared" : "exclusive";
}

std::optional<AcquireMode> parseAcquireMode(std::string_view S) {
  if (S == "shared")
    return AcquireMode::Shared;
  if (S == "exclusive")
    return AcquireMode::Exclusive;
  return std::nullopt;
}

bool isSystemFrame(const Frame &F) {
  std::string_view File = F.File;
  for (std::string_view Dir : {"/usr/include/", "/usr/lib/", "/lib/", "/usr/local/include/"})
    if (File.rfind(Dir, 0) == 0)
      return true;
  // glibc's own sources, as its debug info names them ("./csu/../csu/libc-start.c").
  for (std::string_view Dir : {"./csu/", "./nptl/", "../sysdeps/", "./misc/", "./posix/"})
    if (File.rfind(Dir, 0) == 0)
      return true;
  return F.File.empty() && !F.Module.empty() &&
         (F.Module.find("/libc.so") != std::string::npos ||
          F.Module.find("/libstdc++.so") != std::string::npos ||
          F.Module.find("/libpthread.so") != std::string::npos);
}

/// The unqualified name of function \p F ("Lock" of
/// "leveldb::port::Mutex::Lock()"), and its class's when it has one.
static std::pair<std::string_view, std::string_view> functionAndClass(std::string_view F) {
  // The name ends at the parameter list (not inside template arguments).
  int Angle = 0;
  size_t End = F.size();
  for (size_t I = 0; I < F.size(); ++I) {
    if (F[I] == '<')
      ++Angle;
    else if (F[I] == '>' && Angle > 0)
      --Angle;
    else if (F[I] == '(' && Angle == 0 && F.compare(I, 21, "(anonymous namespace)") != 0) {
      End = I;
      break;
    }
  }
  F = F.substr(0, End);
  // The last "::" outside template arguments, and the name after it without
  // its own (`ScopedLock` of "Poco::ScopedLock<Poco::Mutex>").
  auto LastComponent = [](std::string_view Name) {
    int Depth = 0;
    size_t Colons = std::string_view::npos;
    for (size_t I = Name.size(); I-- > 1;) {
      if (Name[I] == '>')
        ++Depth;
      else if (Name[I] == '<' && Depth > 0)
        --Depth;
      else if (Depth == 0 && Name[I] == ':' && Name[I - 1] == ':') {
        Colons = I - 1;
        break;
      }
    }
    std::string_view Last = Colons == std::string_view::npos ? Name : Name.substr(Colons + 2);
    std::string_view Scope =
        Colons == std::string_view::npos ? std::string_view() : Name.substr(0, Colons);
    if (size_t Angle = Last.find('<'); Angle != std::string_view::npos && Angle > 0 &&
                                       Last.compare(0, 8, "operator") != 0)
      Last = Last.substr(0, Angle);
    return std::pair(Last, Scope);
  };
  auto [Function, Scope] = LastComponent(F);
  return {Function, LastComponent(Scope).first};
}

/// The words of an identifier, lowercase: "SpinLockHolder" and
/// "spin_lock_holder" are {spin, lock, holder}.
static std::vector<std::string> identifierWords(std::string_view Name) {
  std::vector<std::string> Words(1);
  for (size_t I = 0; I < Name.size(); ++I) {
    const auto C = static_cast<unsigned char>(Name[I]);
    if (C == '_' || (std::isupper(C) && I > 0 &&
                     std::islower(static_cast<unsigned char>(Name[I - 1])))) {
      if (!Words.back().empty())
        Words.emplace_back();
      if (C == '_')
        continue;
    }
    Words.back() += char(std::tolower(C));
  }
  if (Words.back().empty())
    Words.pop_back();
  return Words;
}

bool isSyncWrapperFrame(const Frame &F) {
  auto [Function, Class] = functionAndClass(F.Function);
  std::vector<std::string> Words = identifierWords(Function);
  // The implementation a wrapper forwards to is the same call (Poco's
  // MutexImpl::lockImpl, RWLockImpl::readLockImpl).
  if (Words.size() > 1 && Words.back() == "impl")
    Words.pop_back();
  if (Words.empty())
    return false;
  auto Is = [](const std::string &W, std::initializer_list<std::string_view> Set) {
    return std::find(Set.begin(), Set.end(), W) != Set.end();
  };
  // A guard's constructor: MutexLock, SpinLockHolder, QMutexLocker.
  if (!Class.empty() && Function == Class)
    return std::any_of(Words.begin(), Words.end(), [&](const std::string &W) {
      return Is(W, {"lock", "locker", "guard", "holder"});
    });
  // Lock, ReaderLock, uv_mutex_lock, uv_rwlock_rdlock, Acquire: a lock
  // call, alone or after a word that says which lock or how (not
  // write_under_lock, item_lock: functions of the program's own).
  const std::string &Last = Words.back();
  const std::string *Before = Words.size() >= 2 ? &Words[Words.size() - 2] : nullptr;
  if (Is(Last, {"lock", "rdlock", "wrlock", "trylock", "timedlock", "readlock", "writelock",
                "acquire", "enter"}))
    return !Before || Is(*Before, {"mutex", "mtx", "rwlock", "spin", "spinlock", "read", "write",
                                   "reader", "writer", "rd", "wr", "rw", "shared", "exclusive",
                                   "try", "timed", "recursive", "critical", "lock"});
  // A try after the lock it tries: SQLite's sqlite3_mutex_try and
  // pthreadMutexTry (not Parser::Try, or try alone).
  if (Last == "try")
    return Before && Is(*Before, {"mutex", "mtx", "rwlock", "spin", "spinlock", "lock"});
  // A wait on a condition variable, or its signal: nni_plat_cv_wait,
  // uv_cond_timedwait, nni_cv_until, CondVar::Wait, nni_plat_cv_wake,
  // nni_pthread_cond_broadcast, uv_cond_signal, CondVar::SignalAll (not
  // task_wait, wait_for_reply or signal_done, which wait for or announce
  // something of the program's own). A condition variable is named by
  // where it is first waited on or signalled, which its wrapper's place
  // would make the same for all of them.
  const bool AllOrOne = Before && Is(Last, {"all", "one"}) &&
                        Is(*Before, {"signal", "notify", "wake", "broadcast"});
  const size_t OpWords = AllOrOne ? 2 : 1;
  if (AllOrOne || Is(Last, {"wait", "timedwait", "until", "signal", "broadcast", "wake",
                            "wake1", "notify"})) {
    auto IsCondWord = [&](const std::string &W) {
      return Is(W, {"cond", "cv", "condvar", "condition", "cnd"});
    };
    if (Words.size() > OpWords)
      return std::any_of(Words.begin(), Words.end() - OpWords, IsCondWord);
    const std::vector<std::string> ClassWords = identifierWords(Class);
    return std::any_of(ClassWords.begin(), ClassWords.end(), IsCondWord);
  }
  // lock_shared, LockExclusive, SDL_LockMutex.
  return Before && Is(*Before, {"lock", "acquire"}) && Is(Last, {"shared", "exclusive", "mutex"});
}

size_t firstUserFrame(const Stack &S) {
  size_t First = 0;
  while (First < S.size() && isSystemFrame(S[First]))
    ++First;
  if (First == S.size())
    return 0;
  for (size_t I = First; I < S.size(); ++I)
    if (!isSystemFrame(S[I]) && !isSyncWrapperFrame(S[I]))
      return I;
  return First;
}

void appendStackNotes(std::vector<FindingNote> &Notes, const Stack &S,
                      std::string Headline) {
  constexpr size_t MaxFramesPerStack = 16;
  if (S.empty()) {
    Notes.push_back({Frame{}, std::move(Headline)});
    return;
  }
  // From the innermost user frame to the outermost one: the C/C++ runtime's
  // frames around them (lock wrappers, thread start) say nothing new.
  const size_t First = firstUserFrame(S);
  size_t End = S.size();
  while (End > First + 1 && (isSystemFrame(S[End - 1]) || !S[End - 1].hasSource()))
    --End;
  for (size_t I = First; I < End && I < First + MaxFramesPerStack; ++I) {
    std::string Message;
    if (I == First)
      Message = Headline;
    else if (!S[I - 1].Function.empty())
      Message = fmt::format("'{}' called here", S[I - 1].Function);
    else
      Message = "called from here";
    if (!S[I].hasSource() && !S[I].Module.empty())
      Message += fmt::format(" (in {}+{:#x}{})", S[I].Module, S[I].Offset,
                             S[I].Function.empty() ? "" : ", " + S[I].Function);
    Notes.push_back({S[I], std::move(Message)});
  }
}

uint64_t Edge::totalCount() const {
  uint64_t Total = 0;
  for (const EdgeEvidence &E : Evidence)
    Total += E.Count;
  return Total;
}

LockId LockGraph::addLock(const Lock &L) {
  auto [It, Inserted] = LockByName.try_emplace(L.Name, LockId(Locks.size()));
  if (Inserted) {
    Locks.push_back(L);
    return It->second;
  }
  Lock &Existing = Locks[It->second];
  if (Existing.Kind == LockKind::Unknown && L.Kind != LockKind::Unknown)
    Existing.Kind = L.Kind;
  if (!Existing.DeclaredAt.hasSource() && L.DeclaredAt.hasSource())
    Existing.DeclaredAt = L.DeclaredAt;
  return It->second;
}

std::optional<LockId> LockGraph::findLock(std::string_view Name) const {
  auto It = LockByName.find(std::string(Name));
  if (It == LockByName.end())
    return std::nullopt;
  return It->second;
}

ThreadIndex LockGraph::addThread(std::string Label) {
  Threads.push_back(std::move(Label));
  return ThreadIndex(Threads.size() - 1);
}

std::optional<size_t> LockGraph::findEdge(LockId From, LockId To) const {
  auto It = EdgeByKey.find(edgeKey(From, To));
  if (It == EdgeByKey.end())
    return std::nullopt;
  return It->second;
}

void LockGraph::addEdge(LockId From, LockId To, EdgeEvidence E) {
  if (From == To)
    return;
  std::sort(E.OtherHeld.begin(), E.OtherHeld.end());
  E.OtherHeld.erase(std::unique(E.OtherHeld.begin(), E.OtherHeld.end()),
                    E.OtherHeld.end());
  std::erase_if(E.OtherHeld, [&](LockId L) { return L == From || L == To; });

  auto [It, Inserted] = EdgeByKey.try_emplace(edgeKey(From, To), Edges.size());
  if (Inserted)
    Edges.push_back(Edge{From, To, {}});
  std::vector<EdgeEvidence> &Kept = Edges[It->second].Evidence;
  for (EdgeEvidence &K : Kept) {
    if (sameObservation(K, E)) {
      K.Count += E.Count;
      return;
    }
  }
  if (Kept.size() < MaxEvidencePerEdge) {
    Kept.push_back(std::move(E));
    return;
  }
  EdgeEvidence &Closest = Kept[closestEvidence(Kept, E)];
  Closest.Count += E.Count;
  // It now stands for observations of two segments: no longer ordered.
  if (Closest.Thread != E.Thread || Closest.Segment != E.Segment)
    Closest.Segment = NoSegment;
}

void LockGraph::merge(const LockGraph &Other,
                      const std::unordered_map<std::string, std::string> *Aliases) {
  std::vector<LockId> LockMap;
  LockMap.reserve(Other.Locks.size());
  for (const Lock &L : Other.Locks) {
    auto Alias = Aliases ? Aliases->find(L.Name) : decltype(Aliases->end()){};
    if (Aliases && Alias != Aliases->end()) {
      Lock Renamed = L;
      Renamed.Name = Alias->second;
      Renamed.Class.clear(); // the new name is what it merges by
      LockMap.push_back(addLock(Renamed));
    } else {
      LockMap.push_back(addLock(L));
    }
  }

  std::vector<ThreadIndex> ThreadMap;
  ThreadMap.reserve(Other.Threads.size());
  for (const std::string &T : Other.Threads)
    ThreadMap.push_back(addThread(T));

  const auto MapThread = [&](ThreadIndex T) {
    return T < ThreadMap.size() ? ThreadMap[T] : NoThread;
  };
  for (ThreadOrder O : Other.Orders) {
    O.FromThread = MapThread(O.FromThread);
    O.ToThread = MapThread(O.ToThread);
    if (O.FromThread != NoThread && O.ToThread != NoThread)
      Orders.push_back(O);
  }

  for (const Edge &OE : Other.Edges) {
    for (EdgeEvidence E : OE.Evidence) {
      if (E.Thread != NoThread)
        E.Thread = E.Thread < ThreadMap.size() ? ThreadMap[E.Thread] : NoThread;
      for (LockId &H : E.OtherHeld)
        H = LockMap[H];
      addEdge(LockMap[OE.From], LockMap[OE.To], std::move(E));
    }
  }
  Recorded.insert(Recorded.end(), Other.Recorded.begin(), Other.Recorded.end());
  SampledOut += Other.SampledOut;
  ReportsDropped += Other.ReportsDropped;
}

} // namespace lockgraph
