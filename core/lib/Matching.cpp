//===- Matching.cpp - Run-time locks matched to source-level locks --------===//
#include "lockgraph/core/Matching.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <map>
#include <regex>
#include <optional>
#include <set>
#include <tuple>

namespace lockgraph {

namespace {

/// A source line where a lock was acquired. Paths are compared by their last
/// two components: the analyzer sees the compile database's paths, the
/// runtime the debug info's, which may differ in their prefix.
using Site = std::pair<std::string, unsigned>;

std::string pathKey(const std::string &Path) {
  size_t Last = Path.rfind('/');
  if (Last == std::string::npos || Last == 0)
    return Path;
  size_t Previous = Path.rfind('/', Last - 1);
  return Previous == std::string::npos ? Path : Path.substr(Previous + 1);
}

std::optional<Site> siteOf(const Stack &S) {
  if (S.empty())
    return std::nullopt;
  const Frame &F = S[firstUserFrame(S)];
  if (!F.hasSource() || isSystemFrame(F))
    return std::nullopt;
  return Site{pathKey(F.File), F.Line};
}

} // namespace

std::unordered_map<std::string, std::string> matchRuntimeLocksToSource(const LockGraph &G) {
  // Where each lock was acquired, seen from each half.
  std::vector<std::set<Site>> StaticSites(G.locks().size()), RuntimeSites(G.locks().size());
  std::vector<bool> SeenStatically(G.locks().size()), SeenAtRunTime(G.locks().size());
  for (const Edge &E : G.edges()) {
    for (const EdgeEvidence &V : E.Evidence) {
      bool Static = V.Origin == "static";
      auto &Sites = Static ? StaticSites : RuntimeSites;
      auto &Seen = Static ? SeenStatically : SeenAtRunTime;
      Seen[E.From] = Seen[E.To] = true;
      if (auto S = siteOf(V.HeldAt))
        Sites[E.From].insert(*S);
      if (auto S = siteOf(V.AcquiredAt))
        Sites[E.To].insert(*S);
    }
  }

  // Site -> the static locks acquired there.
  std::map<Site, std::set<LockId>> StaticAt;
  for (LockId L = 0; L < G.locks().size(); ++L)
    if (SeenStatically[L] && !SeenAtRunTime[L])
      for (const Site &S : StaticSites[L])
        StaticAt[S].insert(L);

  // Each run-time lock whose sites all point at one static lock.
  std::map<LockId, std::vector<LockId>> Candidates; // static -> run-time locks
  for (LockId R = 0; R < G.locks().size(); ++R) {
    if (!SeenAtRunTime[R] || SeenStatically[R])
      continue;
    std::optional<LockId> Match;
    bool Ambiguous = false;
    for (const Site &S : RuntimeSites[R]) {
      auto It = StaticAt.find(S);
      if (It == StaticAt.end())
        continue;
      if (It->second.size() != 1 || (Match && *Match != *It->second.begin())) {
        Ambiguous = true;
        break;
      }
      Match = *It->second.begin();
    }
    if (Match && !Ambiguous)
      Candidates[*Match].push_back(R);
  }

  std::unordered_map<std::string, std::string> Aliases;
  for (const auto &[Static, Runtime] : Candidates)
    if (Runtime.size() == 1)
      Aliases[G.lock(Runtime.front()).Name] = G.lock(Static).Name;
  return Aliases;
}

/// \p Findings but those \p Folded into another, each shown one saying
/// how many it stands for, "(seen N times)".
/// With \p Processes, "(seen N times in K processes)" when K > 1.
static std::vector<Finding> shownOfFolded(std::vector<Finding> Findings,
                                          const std::vector<bool> &Folded,
                                          const std::vector<uint64_t> &Times,
                                          const std::vector<size_t> *Processes = nullptr) {
  std::vector<Finding> Result;
  Result.reserve(Findings.size());
  for (size_t I = 0; I < Findings.size(); ++I) {
    if (Folded[I])
      continue;
    if (Times[I] > 1)
      Findings[I].Message +=
          " (seen " + std::to_string(Times[I]) + " times" +
          (Processes && (*Processes)[I] > 1
               ? " in " + std::to_string((*Processes)[I]) + " processes)"
               : std::string(")"));
    Result.push_back(std::move(Findings[I]));
  }
  return Result;
}

/// The process a run-time finding names in its last note ("seen in process
/// 'db_test' (pid 4242)"), empty when none.
static std::string processNote(const Finding &F) {
  for (auto It = F.Notes.rbegin(); It != F.Notes.rend(); ++It)
    if (It->Message.compare(0, 16, "seen in process ") == 0)
      return It->Message;
  return {};
}

/// How long the blocking call of a run-time `blocking-under-lock` finding
/// took, from its message's "(took 1.234 ms"; 0 for any other finding.
static double tookMs(const Finding &F) {
  size_t At = F.Message.rfind("(took ");
  return At == std::string::npos ? 0 : std::strtod(F.Message.c_str() + At + 6, nullptr);
}

/// Run-time findings about one thing from several processes or call paths
/// (every test of a suite that writes its log under the same lock; a log
/// written under a lock while a database opens, then from its compaction
/// thread) become one of them, "(seen N times)": the same check, place and
/// fingerprint. The one shown is the slowest blocking call, else the first.
/// \p Text without the index or offset that names an element of a global
/// array in a run-time lock's name (`lru_locks[3]`, `lru_locks+2600`).
static std::string withoutArrayElements(const std::string &Text) {
  static const std::regex ElementOffset(R"(([A-Za-z_][A-Za-z0-9_]*)\+[0-9]+\b)");
  static const std::regex ElementIndex(R"(([A-Za-z_][A-Za-z0-9_]*)\[[0-9]+\])");
  return std::regex_replace(std::regex_replace(Text, ElementOffset, "$1+N"), ElementIndex,
                            "$1[N]");
}

static std::vector<Finding> foldRepeatedFindings(std::vector<Finding> Findings) {
  using Key = std::tuple<std::string, std::string, unsigned, unsigned,
                         std::string, std::string, uint64_t, std::string>;
  std::map<Key, size_t> First;
  std::vector<uint64_t> Times(Findings.size(), 1);
  std::vector<bool> Folded(Findings.size());
  // The processes of each group of findings, by its first finding.
  std::vector<size_t> GroupOf(Findings.size());
  std::map<size_t, std::set<std::string>> ProcessesOf;
  for (size_t I = 0; I < Findings.size(); ++I) {
    const Finding &F = Findings[I];
    GroupOf[I] = I;
    if (F.Origin == "static" || F.FingerprintKey.empty())
      continue;
    const Frame &L = F.Location;
    // A place in the source is one place in every binary built from it (a
    // library linked into each test program); without a source location,
    // the place is the module and offset.
    const bool Source = L.hasSource();
    auto [It, New] = First.try_emplace(
        Key(F.Check, pathKey(L.File), L.Line, L.Column, Source ? "" : L.Function,
            Source ? "" : L.Module, Source ? 0 : L.Offset,
            withoutArrayElements(F.FingerprintKey)),
        I);
    GroupOf[I] = GroupOf[It->second];
    if (std::string Process = processNote(F); !Process.empty())
      ProcessesOf[GroupOf[I]].insert(std::move(Process));
    if (!New) {
      size_t &Shown = It->second;
      Times[I] = Times[Shown] + 1;
      if (tookMs(F) > tookMs(Findings[Shown])) {
        Folded[Shown] = true;
        Shown = I;
      } else {
        ++Times[Shown];
        Folded[I] = true;
      }
    }
  }
  std::vector<size_t> Processes(Findings.size(), 0);
  for (size_t I = 0; I < Findings.size(); ++I)
    if (auto It = ProcessesOf.find(GroupOf[I]); It != ProcessesOf.end())
      Processes[I] = It->second.size();
  return shownOfFolded(std::move(Findings), Folded, Times, &Processes);
}

namespace {
bool sameLine(const Frame &A, const Frame &B) {
  return A.hasSource() && B.hasSource() && A.Line == B.Line && pathKey(A.File) == pathKey(B.File);
}

/// \p Static (a call under a lock that may block further down) is where
/// \p Seen blocked: its note at the blocking call is Seen's place, and its
/// call is among the calls Seen's notes show.
bool reachesThrough(const Finding &Static, const Finding &Seen) {
  const auto Blocking = std::find_if(Static.Notes.begin(), Static.Notes.end(), [](const FindingNote &N) {
    return N.Message.compare(0, 17, "blocking call to ") == 0;
  });
  if (Blocking == Static.Notes.end() || !sameLine(Blocking->Where, Seen.Location))
    return false;
  return std::any_of(Seen.Notes.begin(), Seen.Notes.end(), [&](const FindingNote &N) {
    return sameLine(N.Where, Static.Location);
  });
}

/// Whether the analyzer's lock \p Static is the runtime's \p Seen: the same
/// name, or a file-static global the analyzer qualifies with its file
/// because another file has one of that name (`mu (j.c)`), which the
/// runtime names by its symbol (`mu`).
bool sameLockName(const std::string &Static, const std::string &Seen) {
  return Static == Seen ||
         (Static.size() > Seen.size() + 3 && Static.compare(0, Seen.size(), Seen) == 0 &&
          Static.compare(Seen.size(), 2, " (") == 0 && Static.back() == ')');
}

bool holdsAll(const Finding &Seen, const Finding &Static) {
  return !Static.Locks.empty() &&
         std::all_of(Static.Locks.begin(), Static.Locks.end(), [&](const std::string &L) {
           return std::any_of(Seen.Locks.begin(), Seen.Locks.end(),
                              [&](const std::string &S) { return sameLockName(L, S); });
         });
}

void confirm(Finding &Static, const Finding &Seen) {
  if (Static.Origin == "static") {
    Static.Message += " (confirmed at run time)";
    Static.Origin = "static+runtime";
  }
  Static.Notes.push_back({Seen.Location, "seen at run time: " + Seen.Message});
  Static.Notes.insert(Static.Notes.end(), Seen.Notes.begin(), Seen.Notes.end());
}
} // namespace

std::vector<Finding> mergeFindingsOfBothHalves(std::vector<Finding> Findings) {
  Findings = foldRepeatedFindings(std::move(Findings));
  auto isStaticFinding = [](const Finding &F) { return F.Origin == "static"; };
  auto key = [](const Finding &F) {
    return std::tuple(F.Check, pathKey(F.Location.File), F.Location.Line);
  };
  std::map<std::tuple<std::string, std::string, unsigned>, size_t> StaticAt;
  for (size_t I = 0; I < Findings.size(); ++I)
    if (isStaticFinding(Findings[I]) && Findings[I].Location.hasSource())
      StaticAt.emplace(key(Findings[I]), I);

  std::vector<bool> Absorbed(Findings.size());
  for (size_t I = 0; I < Findings.size(); ++I) {
    Finding &Seen = Findings[I];
    if (isStaticFinding(Seen) || !Seen.Location.hasSource())
      continue;
    auto It = StaticAt.find(key(Seen));
    if (It == StaticAt.end())
      continue;
    confirm(Findings[It->second], Seen);
    Absorbed[I] = true;
  }

  // A blocking call made through calls: the analyzer reports the call made
  // under the lock (`Recover()` in DB::Open), with a note at the blocking
  // call down the chain; the runtime reports the blocking call, with the
  // calls that led to it. They are one finding when the run-time one is at
  // the static one's blocking call, passed through its call, and held its
  // locks.
  for (size_t I = 0; I < Findings.size(); ++I) {
    const Finding &Seen = Findings[I];
    auto fromSource = [](const Finding &F) { return F.Origin.compare(0, 6, "static") == 0; };
    if (Absorbed[I] || fromSource(Seen) || !Seen.Location.hasSource() ||
        Seen.Check != "lockgraph-blocking-under-lock")
      continue;
    for (Finding &Static : Findings) {
      if (!fromSource(Static))
        continue;
      if (Static.Check != Seen.Check ||
          (!sameLine(Static.Location, Seen.Location) &&
           !(reachesThrough(Static, Seen) && holdsAll(Seen, Static))))
        continue;
      confirm(Static, Seen);
      Absorbed[I] = true;
      break;
    }
  }

  std::vector<Finding> Result;
  Result.reserve(Findings.size());
  for (size_t I = 0; I < Findings.size(); ++I)
    if (!Absorbed[I])
      Result.push_back(std::move(Findings[I]));
  return Result;
}

namespace {
std::string withoutNumbersOfInstances(const std::string &Text) {
  std::string Out;
  Out.reserve(Text.size());
  for (size_t I = 0; I < Text.size(); ++I) {
    if (Text[I] == '#' && I > 0 && I + 1 < Text.size() && std::isdigit((unsigned char)Text[I + 1])) {
      size_t End = I + 1;
      while (End < Text.size() && std::isdigit((unsigned char)Text[End]))
        ++End;
      I = End - 1;
      continue;
    }
    Out += Text[I];
  }
  return Out;
}

/// \p Text without the "#2" that number a lock's instances in one process,
/// without the index or offset that names an element of a global array
/// (`lru_locks[3]`, `lru_locks+2600`: memcached's crawler unlocking
/// whichever LRU lock it was at, one finding, not one per element), and
/// without the creation
/// place that tells apart the classes of threads started through one
/// trampoline (`thread:runnableEntry (pool.cpp:276)`): a join made at one
/// place holding one lock, of a thread that runs one routine, is one
/// finding however many pools the tests made.
std::string withoutInstanceDetails(const std::string &Text) {
  static const std::regex ThreadCreationPlace(R"((thread:(?:(?! -> ).)*?) \([^()]*\)(?= -> |$))");
  const std::string Classes = std::regex_replace(Text, ThreadCreationPlace, "$1");
  return withoutNumbersOfInstances(withoutArrayElements(Classes));
}

} // namespace

std::vector<Finding> foldFindingsOfInstances(std::vector<Finding> Findings) {
  using Key = std::tuple<std::string, std::string, unsigned, unsigned, std::string, bool>;
  std::map<Key, size_t> First;
  std::vector<uint64_t> Times(Findings.size(), 1);
  std::vector<bool> Folded(Findings.size(), false);
  for (size_t I = 0; I < Findings.size(); ++I) {
    Finding &F = Findings[I];
    if (F.FingerprintKey.empty())
      continue;
    F.FingerprintKey = withoutInstanceDetails(F.FingerprintKey);
    auto [It, New] = First.try_emplace(Key(F.Check, pathKey(F.Location.File), F.Location.Line,
                                           F.Location.Column, F.FingerprintKey,
                                           F.SuppressedBy.empty()),
                                       I);
    if (!New) {
      ++Times[It->second];
      Folded[I] = true;
    }
  }
  return shownOfFolded(std::move(Findings), Folded, Times);
}

namespace {

/// Where a run-time lock named by a global's symbol was declared, as the
/// symbolizer read it from the debug info (a file and line, with no
/// function or module: an acquisition site, which names a lock without a
/// declaration, has those).
bool isDeclaration(const Frame &F) {
  return F.hasSource() && F.Function.empty() && F.Module.empty();
}

/// The symbol a run-time lock is named by, without the "#2" of another
/// instance of it in one process; empty for locks named otherwise (an
/// instance's first acquisition, a thread).
std::string globalSymbol(const Lock &L) {
  if (!L.Class.empty() || !isDeclaration(L.DeclaredAt) ||
      L.Name.compare(0, 7, "thread:") == 0)
    return {};
  size_t Hash = L.Name.rfind('#');
  if (Hash == std::string::npos || Hash + 1 == L.Name.size() ||
      L.Name.find_first_not_of("0123456789", Hash + 1) != std::string::npos)
    return L.Name;
  return L.Name.substr(0, Hash);
}

std::string baseName(const std::string &Path) {
  size_t Slash = Path.rfind('/');
  return Slash == std::string::npos ? Path : Path.substr(Slash + 1);
}

} // namespace

std::vector<std::unordered_map<std::string, std::string>>
qualifyGlobalsDeclaredTwice(const std::vector<LockGraph> &Processes) {
  // A thread class named by its routine is declared where the routine is
  // defined: two programs' file-static `worker`s are two classes.
  auto SymbolOf = [](const Lock &L) {
    if (L.Kind == LockKind::Thread && isDeclaration(L.DeclaredAt) &&
        L.Name.find(" (") == std::string::npos)
      return L.Name;
    return globalSymbol(L);
  };
  std::map<std::string, std::set<Site>> DeclsOf;
  for (const LockGraph &G : Processes)
    for (const Lock &L : G.locks())
      if (std::string Symbol = SymbolOf(L); !Symbol.empty())
        DeclsOf[Symbol].insert({pathKey(L.DeclaredAt.File), L.DeclaredAt.Line});
  std::vector<std::unordered_map<std::string, std::string>> Renames(Processes.size());
  for (size_t P = 0; P < Processes.size(); ++P) {
    for (const Lock &L : Processes[P].locks()) {
      std::string Symbol = SymbolOf(L);
      auto It = DeclsOf.find(Symbol);
      if (Symbol.empty() || It->second.size() < 2)
        continue;
      const Site Here{pathKey(L.DeclaredAt.File), L.DeclaredAt.Line};
      const std::string File = baseName(Here.first);
      bool SameFileName = false;
      for (const Site &Other : It->second)
        SameFileName |= Other != Here && baseName(Other.first) == File;
      Renames[P][L.Name] = Symbol + " (" + File +
                           (SameFileName ? ":" + std::to_string(Here.second) : "") + ")";
    }
  }
  return Renames;
}

} // namespace lockgraph
