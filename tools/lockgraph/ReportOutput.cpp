//===- ReportOutput.cpp - What every subcommand shares to report ----------===//
#include "ReportOutput.h"
#include "Commands.h"

#include "lockgraph/core/GraphFile.h"
#include "lockgraph/core/Matching.h"
#include "lockgraph/core/Reporters.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <map>
#include <unordered_map>

using namespace llvm;

namespace lockgraph::tool {

namespace {

/// Fingerprints of a previous run's findings: its SARIF
/// (partialFingerprints) or its lockgraph JSON (fingerprint).
Expected<std::vector<std::string>> readBaseline(StringRef Path) {
  ErrorOr<std::unique_ptr<MemoryBuffer>> Buffer = MemoryBuffer::getFile(Path);
  if (!Buffer)
    return createStringError(Buffer.getError(), "%s: cannot read baseline: %s",
                             Path.str().c_str(), Buffer.getError().message().c_str());
  Expected<json::Value> Root = json::parse((*Buffer)->getBuffer());
  if (!Root)
    return createStringError(inconvertibleErrorCode(), "%s: malformed baseline: %s",
                             Path.str().c_str(), llvm::toString(Root.takeError()).c_str());
  std::vector<std::string> Fingerprints;
  const json::Object *Obj = Root->getAsObject();
  if (Obj && Obj->getArray("runs")) {
    for (const json::Value &Run : *Obj->getArray("runs"))
      if (const json::Object *R = Run.getAsObject(); R && R->getArray("results"))
        for (const json::Value &Result : *R->getArray("results"))
          if (const json::Object *Res = Result.getAsObject())
            if (const json::Object *FP = Res->getObject("partialFingerprints"))
              if (auto F = FP->getString("lockgraphFingerprint/v1"))
                Fingerprints.push_back(F->str());
  } else if (Obj && Obj->getString("format") == "lockgraph-findings" &&
             Obj->getArray("findings")) {
    for (const json::Value &Finding : *Obj->getArray("findings"))
      if (const json::Object *F = Finding.getAsObject())
        if (auto FP = F->getString("fingerprint"))
          Fingerprints.push_back(FP->str());
  } else {
    return createStringError(inconvertibleErrorCode(),
                             "%s: not a lockgraph SARIF or JSON report", Path.str().c_str());
  }
  llvm::sort(Fingerprints);
  return Fingerprints;
}

/// Whether a config suppression matches a finding.
bool suppresses(const ConfigSuppression &S, const Finding &F) {
  if (!S.Fingerprint.empty())
    return S.Fingerprint == fingerprint(F);
  if (!S.Check.empty() && S.Check != F.Check)
    return false;
  std::vector<std::string> Want = S.Locks, Have = F.Locks;
  llvm::sort(Want);
  llvm::sort(Have);
  return Want == Have;
}

llvm::Error writeFile(StringRef Path, StringRef Text) {
  std::error_code EC;
  raw_fd_ostream Out(Path, EC, sys::fs::OF_TextWithCRLF);
  if (EC)
    return createStringError(EC, "cannot write '%s': %s", Path.str().c_str(),
                             EC.message().c_str());
  Out << Text;
  return llvm::Error::success();
}

} // namespace

OutputOptions::OutputOptions(cl::SubCommand &Sub, cl::OptionCategory &Cat)
    : Format("format", cl::desc("Output format"), cl::init(OutputFormat::Text),
             cl::values(clEnumValN(OutputFormat::Text, "text",
                                   "clang-tidy style diagnostics (default)"),
                        clEnumValN(OutputFormat::Sarif, "sarif", "SARIF 2.1.0"),
                        clEnumValN(OutputFormat::Json, "json",
                                   "lockgraph findings JSON"),
                        clEnumValN(OutputFormat::Dot, "dot",
                                   "Graphviz DOT of the lock graph, cycles in red"),
                        clEnumValN(OutputFormat::Html, "html",
                                   "one self-contained HTML page: the lock graph, "
                                   "cycles highlighted, evidence on click")),
             cl::sub(Sub), cl::cat(Cat)),
      OutputFile("o", cl::desc("Write the report to <file> instead of stdout"),
                 cl::value_desc("file"), cl::sub(Sub), cl::cat(Cat)),
      ShowSuppressed("show-suppressed",
                     cl::desc("Also list findings that a filter, the config or the "
                              "baseline ruled out, with the reason"),
                     cl::init(false), cl::sub(Sub), cl::cat(Cat)),
      DisabledFilters(
          "disable-filter", cl::CommaSeparated, cl::value_desc("filter,..."),
          cl::desc("Report cycles even when this filter rules them out: "
                   "single-thread, gate-lock, trylock, read-read, start-join, handshake, same-fix"),
          cl::sub(Sub), cl::cat(Cat)),
      Checks("checks", cl::value_desc("globs"),
             cl::desc("Comma-separated globs of checks to report, as clang-tidy: "
                      "'-glob' removes (default: all, or the config's 'checks')"),
             cl::sub(Sub), cl::cat(Cat)),
      MaxCycleLength("max-cycle-length", cl::init(0), cl::value_desc("N"),
                     cl::desc("Report cycles of at most N locks (default 0: no limit)"),
                     cl::sub(Sub), cl::cat(Cat)),
      MaxCyclesPerComponent(
          "max-cycles-per-component", cl::init(64), cl::value_desc("N"),
          cl::desc("Report at most N cycles (the shortest) per strongly connected "
                   "set of locks, so that a dense graph cannot flood the report "
                   "(default 64; 0: no limit)"),
          cl::sub(Sub), cl::cat(Cat)),
      SourceRoot("source-root", cl::value_desc("dir"),
                 cl::desc("SARIF: make file URIs under <dir> relative to "
                          "%SRCROOT% (default: the current directory)"),
                 cl::sub(Sub), cl::cat(Cat)),
      ConfigFile("config", cl::value_desc("file"),
                 cl::desc("Read settings from <file> instead of the nearest "
                          ".lockgraph.yaml (see docs/config.md)"),
                 cl::sub(Sub), cl::cat(Cat)),
      BaselineFile("baseline", cl::value_desc("file"),
                   cl::desc("Report only findings that are not in <file>, a "
                            "previous run's SARIF or JSON report (matched by "
                            "fingerprint)"),
                   cl::sub(Sub), cl::cat(Cat)),
      WriteBaselineFile("write-baseline", cl::value_desc("file"),
                        cl::desc("Also write this run's findings to <file> as a "
                                 "baseline for --baseline"),
                        cl::sub(Sub), cl::cat(Cat)) {}

llvm::Error OutputOptions::loadConfig() {
  for (const std::string &Name : DisabledFilters)
    if (Name != "single-thread" && Name != "gate-lock" && Name != "trylock" &&
        Name != "read-read" && Name != "start-join" && Name != "handshake" &&
        Name != "same-fix")
      return createStringError(inconvertibleErrorCode(),
                               "unknown filter '%s' in --disable-filter; expected "
                               "single-thread, gate-lock, trylock, read-read, "
                               "start-join, handshake or same-fix",
                               Name.c_str());
  std::optional<std::string> Path;
  if (!ConfigFile.empty()) {
    Path = ConfigFile;
  } else {
    SmallString<256> Cwd;
    if (!sys::fs::current_path(Cwd))
      Path = findProjectConfig(Cwd);
  }
  if (Path) {
    Expected<ProjectConfig> Loaded = loadProjectConfig(*Path);
    if (!Loaded)
      return Loaded.takeError();
    Config = std::move(*Loaded);
  }
  if (!BaselineFile.empty()) {
    Expected<std::vector<std::string>> Fingerprints = readBaseline(BaselineFile);
    if (!Fingerprints)
      return Fingerprints.takeError();
    BaselineFingerprints = std::move(*Fingerprints);
  }
  return llvm::Error::success();
}

/// \p G with the locks \p NewNames names renamed.
static LockGraph renamed(LockGraph G,
                         const std::unordered_map<std::string, std::string> &NewNames) {
  if (NewNames.empty())
    return G;
  LockGraph Renamed;
  Renamed.merge(G, &NewNames);
  return Renamed;
}

/// \p Findings (a process's recorded ones: blocking calls, misuse) with the
/// locks \p NewNames renames named so in their locks, messages and notes.
static void renameLocksIn(std::vector<Finding> &Findings,
                          const std::unordered_map<std::string, std::string> &NewNames) {
  if (NewNames.empty())
    return;
  auto Requote = [&](std::string &Text) {
    for (const auto &[Old, New] : NewNames) {
      const std::string From = "'" + Old + "'", To = "'" + New + "'";
      for (size_t At = Text.find(From); At != std::string::npos;
           At = Text.find(From, At + To.size()))
        Text.replace(At, From.size(), To);
    }
  };
  for (Finding &F : Findings) {
    for (std::string &L : F.Locks)
      if (auto It = NewNames.find(L); It != NewNames.end())
        L = It->second;
    Requote(F.Message);
    Requote(F.FingerprintKey);
    for (FindingNote &N : F.Notes)
      Requote(N.Message);
  }
}

/// \p G with its run-time locks renamed to the static locks they match.
static LockGraph withSourceNames(LockGraph G) {
  auto Matched = matchRuntimeLocksToSource(G);
  return renamed(std::move(G), Matched);
}

/// Whether \p G is what one process recorded: its evidence names threads
/// (static evidence has none), or its locks are instances of classes. Such
/// graphs are analyzed each on its own: two threads of two processes are
/// never one thread, so a process that takes A -> B and B -> A in one
/// thread, run twice, must not read as two threads taking opposite orders.
static bool isOneProcessGraph(const LockGraph &G) {
  return !G.threads().empty() ||
         llvm::any_of(G.locks(), [](const Lock &L) { return !L.Class.empty(); });
}

static std::string sampledOutNote(uint64_t N) {
  return samplingNote(N, "--runtime-options=max_edges_per_path=0");
}

void noteSampledOut(const LockGraph &G) {
  if (G.sampledOut())
    llvm::errs() << "lockgraph: note: " << sampledOutNote(G.sampledOut()) << "\n";
  if (G.reportsDropped())
    llvm::errs() << "lockgraph: note: " << droppedReportsNote(G.reportsDropped()) << "\n";
}

bool OutputOptions::readGraphs(ArrayRef<std::string> Paths, Graphs &Into) const {
  const auto *Aliases = Config.Aliases.empty() ? nullptr : &Config.Aliases;
  bool AllRead = true;
  LockGraph Shared;
  std::vector<LockGraph> Processes;
  for (const std::string &Path : Paths) {
    Result<LockGraph> G = readGraphFile(Path);
    if (!G) {
      // Keep going: the findings of the other files are still reported.
      printError(G.error().Message);
      AllRead = false;
      continue;
    }
    if (isOneProcessGraph(G.value()))
      Processes.push_back(std::move(G.value()));
    else
      Shared.merge(G.value(), Aliases);
  }
  Into = Graphs();
  if (Processes.size() <= 1) {
    for (const LockGraph &G : Processes)
      Shared.merge(G, Aliases);
    // Run-time locks taken exactly where one static lock is taken are that
    // lock: renamed so that both halves' edges meet.
    Into.Merged = withSourceNames(std::move(Shared));
    return AllRead;
  }
  LockGraph ByClass = Shared;
  std::vector<std::unordered_map<std::string, std::string>> ToClassOf(Processes.size());
  // Two globals of one name (file-static `mutex`es) stay two locks.
  const std::vector<std::unordered_map<std::string, std::string>> Qualified =
      qualifyGlobalsDeclaredTwice(Processes);
  // A process's blocking-call and misuse findings name those globals as its
  // cycles do (`while holding 'mutex (p1.c)'`).
  for (uint32_t Process = 0; Process < Processes.size(); ++Process)
    renameLocksIn(Processes[Process].recordedFindings(), Qualified[Process]);
  for (uint32_t Process = 0; Process < Processes.size(); ++Process) {
    const LockGraph &G = Processes[Process];
    std::unordered_map<std::string, std::string> &ToClass = ToClassOf[Process];
    for (const Lock &L : G.locks()) {
      std::string Target = L.Class.empty() ? L.Name : L.Class;
      if (auto It = Qualified[Process].find(L.Name); It != Qualified[Process].end())
        Target = It->second;
      if (Aliases)
        if (auto It = Aliases->find(Target); It != Aliases->end())
          Target = It->second;
      if (Target != L.Name)
        ToClass.emplace(L.Name, std::move(Target));
    }
    ByClass.merge(G, &ToClass);
  }
  // Each process's edges under the names they have in Merged: its lock's
  // class, renamed to the static lock it matches.
  const std::unordered_map<std::string, std::string> Matched =
      matchRuntimeLocksToSource(ByClass);
  auto Renamed = [](const std::unordered_map<std::string, std::string> &Map,
                    const std::string &Name) -> const std::string & {
    auto It = Map.find(Name);
    return It == Map.end() ? Name : It->second;
  };
  Into.EdgesOfProcess.resize(Processes.size());
  for (uint32_t Process = 0; Process < Processes.size(); ++Process) {
    const LockGraph &G = Processes[Process];
    auto FinalName = [&](LockId L) {
      return Renamed(Matched, Renamed(ToClassOf[Process], G.lock(L).Name));
    };
    for (const Edge &E : G.edges())
      Into.EdgesOfProcess[Process].emplace(FinalName(E.From), FinalName(E.To));
  }
  Into.QualifiedNames = Qualified;
  Into.PerProcess = std::move(Processes);
  Into.Merged = renamed(std::move(ByClass), Matched);
  Into.Shared = std::move(Shared);
  return AllRead;
}

DeadlockOptions OutputOptions::deadlockOptions() const {
  DeadlockOptions Opts;
  Opts.Cycles.MaxCycleLength = MaxCycleLength;
  Opts.Cycles.MaxCyclesPerComponent = MaxCyclesPerComponent;
  for (const std::string &Name : DisabledFilters) {
    if (Name == "single-thread")
      Opts.Filters.SingleThread = false;
    else if (Name == "gate-lock")
      Opts.Filters.GateLock = false;
    else if (Name == "trylock")
      Opts.Filters.TryLock = false;
    else if (Name == "read-read")
      Opts.Filters.ReadRead = false;
    else if (Name == "start-join")
      Opts.Filters.StartJoin = false;
    else if (Name == "handshake")
      Opts.Filters.Handshake = false;
    else if (Name == "same-fix")
      Opts.Filters.SameFix = false;
  }
  return Opts;
}

std::vector<Finding> OutputOptions::analyze(const Graphs &In) const {
  const LockGraph &G = In.Merged;
  std::vector<Finding> Findings;
  if (In.PerProcess.empty()) {
    Findings = foldFindingsOfInstances(findDeadlocks(G, deadlockOptions()));
  } else {
    // One finding per cycle however many processes saw it (a test binary
    // run once per test): the first that is not filtered out.
    std::map<std::pair<std::string, std::string>, size_t> Seen;
    auto Add = [&](std::vector<Finding> More) {
      for (Finding &F : foldFindingsOfInstances(std::move(More))) {
        auto [It, New] = Seen.try_emplace({F.Check, F.FingerprintKey}, Findings.size());
        if (New)
          Findings.push_back(std::move(F));
        else if (!Findings[It->second].SuppressedBy.empty() && F.SuppressedBy.empty())
          Findings[It->second] = std::move(F);
      }
    };
    const auto *Aliases = Config.Aliases.empty() ? nullptr : &Config.Aliases;
    for (size_t Index = 0; Index < In.PerProcess.size(); ++Index) {
      // Its findings name its globals as Merged does (`mutex (p1.c)` when
      // another process's file has a `mutex` too).
      const LockGraph Process =
          Index < In.QualifiedNames.size()
              ? renamed(In.PerProcess[Index], In.QualifiedNames[Index])
              : In.PerProcess[Index];
      if (In.Shared.locks().empty() && !Aliases) {
        // Nothing to merge it with or rename (no static lock to match): as
        // read, without two copies of its evidence per process.
        Add(findDeadlocks(Process, deadlockOptions()));
        continue;
      }
      LockGraph One = In.Shared;
      One.merge(Process, Aliases);
      Add(findDeadlocks(withSourceNames(std::move(One)), deadlockOptions()));
    }
    Add(findCrossProcessDeadlocks(G, In.EdgesOfProcess, deadlockOptions()));
  }
  if (!Config.LockOrder.empty())
    llvm::append_range(Findings, findOrderViolations(G, Config.LockOrder));
  llvm::append_range(Findings, mergeFindingsOfBothHalves(G.recordedFindings()));
  return Findings;
}

LockGraph OutputOptions::drawnGraph(const Graphs &In, const std::vector<Finding> &Findings) {
  LockGraph Drawn = In.Merged;
  for (const Finding &F : Findings) {
    if (!isCycleCheck(F.Check) || F.Locks.empty() ||
        llvm::all_of(F.Locks, [&](const std::string &L) { return Drawn.findLock(L); }))
      continue;
    for (const LockGraph &Process : In.PerProcess) {
      LockGraph Cycle;
      bool Whole = true;
      for (size_t I = 0; I < F.Locks.size() && Whole; ++I) {
        auto From = Process.findLock(F.Locks[I]);
        auto To = Process.findLock(F.Locks[(I + 1) % F.Locks.size()]);
        auto Edge = From && To ? Process.findEdge(*From, *To) : std::nullopt;
        if (!Edge) {
          Whole = false;
          break;
        }
        for (EdgeEvidence E : Process.edges()[*Edge].Evidence) {
          E.Thread = NoThread;
          E.OtherHeld.clear();
          Cycle.addEdge(Cycle.addLock(Process.lock(*From)), Cycle.addLock(Process.lock(*To)),
                        std::move(E));
        }
      }
      if (Whole) {
        Drawn.merge(Cycle);
        break;
      }
    }
  }
  return Drawn;
}

int OutputOptions::emit(std::vector<Finding> Findings, const LockGraph *Graph) const {
  // Checks the config turns off are dropped; the other rules keep the
  // finding, suppressed with a reason that --show-suppressed prints.
  llvm::erase_if(Findings, [&](const Finding &F) {
    return !Config.isCheckEnabled(F.Check) || !checkGlobsMatch(Checks, F.Check);
  });
  for (Finding &F : Findings) {
    if (!F.SuppressedBy.empty())
      continue;
    if (F.Location.hasSource() && Config.isPathExcluded(F.Location.File)) {
      F.SuppressedBy = "excluded path: " + F.Location.File + " (" + Config.Path + ")";
      continue;
    }
    for (const ConfigSuppression &S : Config.Suppressions)
      if (suppresses(S, F)) {
        F.SuppressedBy = "suppressed by " + Config.Path +
                         (S.Reason.empty() ? std::string() : ": " + S.Reason);
        break;
      }
    if (F.SuppressedBy.empty() &&
        std::binary_search(BaselineFingerprints.begin(), BaselineFingerprints.end(),
                           fingerprint(F)))
      F.SuppressedBy = "baseline: already reported in " + BaselineFile;
  }

  ReportOptions Opts;
  Opts.ShowSuppressed = ShowSuppressed;
  // originalUriBaseIds must hold an absolute URI: make the root absolute.
  SmallString<256> Root(SourceRoot.getValue());
  if (!sys::fs::make_absolute(Root)) {
    sys::path::remove_dots(Root, /*remove_dot_dot=*/true);
    Opts.SourceRoot = std::string(Root);
  }

  if (Graph && Graph->sampledOut())
    Opts.Notes.push_back(sampledOutNote(Graph->sampledOut()));
  if (Graph && Graph->reportsDropped())
    Opts.Notes.push_back(droppedReportsNote(Graph->reportsDropped()));
  std::string Text;
  switch (Format) {
  case OutputFormat::Text:
    Text = renderText(Findings, Opts);
    break;
  case OutputFormat::Sarif:
    Text = renderSarif(Findings, Opts);
    break;
  case OutputFormat::Json:
    Text = renderJson(Findings, Opts);
    break;
  case OutputFormat::Dot:
    Text = renderDot(Graph ? *Graph : LockGraph(), Findings);
    break;
  case OutputFormat::Html:
    Text = renderHtml(Graph ? *Graph : LockGraph(), Findings, Opts);
    break;
  }

  int Status = ExitClean;
  if (OutputFile.empty() || OutputFile == "-") {
    outs() << Text;
    outs().flush();
  } else if (llvm::Error E = writeFile(OutputFile, Text)) {
    printError(llvm::toString(std::move(E)));
    Status = ExitUsageError;
  }

  if (!WriteBaselineFile.empty()) {
    // Everything found now, including what the old baseline hid, so that
    // the new baseline stays complete.
    std::vector<Finding> Current = Findings;
    for (Finding &F : Current)
      if (F.SuppressedBy.rfind("baseline:", 0) == 0)
        F.SuppressedBy.clear();
    llvm::erase_if(Current, [](const Finding &F) { return !F.SuppressedBy.empty(); });
    if (llvm::Error E = writeFile(WriteBaselineFile, renderJson(Current))) {
      printError(llvm::toString(std::move(E)));
      Status = ExitUsageError;
    }
  }

  size_t Reported = 0, Suppressed = 0;
  for (const Finding &F : Findings)
    (F.SuppressedBy.empty() ? Reported : Suppressed) += 1;
  if (Reported || Suppressed) {
    errs() << Reported << (Reported == 1 ? " finding" : " findings");
    if (Suppressed)
      errs() << " (" << Suppressed << " more ruled out by filters, config or baseline"
             << (ShowSuppressed ? "" : "; --show-suppressed lists them") << ")";
    errs() << ".\n";
  }
  if (Status != ExitClean)
    return Status;
  return Reported ? ExitFindings : ExitClean;
}

} // namespace lockgraph::tool
