//===- CheckCommand.cpp - lockgraph check (issue 5) -----------------------===//
//
// lockgraph check -p BUILD_DIR [FILES...]
//
// Static analysis through a compile_commands.json: the per-TU phase runs in
// parallel (cached per TU), the link step builds one static lock graph, core
// finds its cycles, and the findings are printed clang-tidy style (or as
// SARIF, JSON, DOT).
//
// Exit status: 0 no findings; 1 findings reported; 2 usage or input error
// (no or malformed compilation database, unknown file, unwritable output),
// and also 2 when some translation unit could not be parsed, in which case
// the findings of the other TUs are still printed.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "ReportOutput.h"

#include "lockgraph/analyzer/Analyzer.h"
#include "lockgraph/analyzer/Linker.h"
#include "lockgraph/core/GraphFile.h"
#include "lockgraph/core/Reporters.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/JSON.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/xxhash.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;
using namespace lockgraph;

static cl::SubCommand CheckCmd("check", "Analyze C/C++ sources through a "
                                        "compile_commands.json");

static cl::OptionCategory CheckCat("lockgraph check options");

static tool::OutputOptions Output(CheckCmd, CheckCat);

static cl::opt<std::string> BuildPath(
    "p", cl::desc("Build directory containing compile_commands.json (or the "
                  "file itself)"),
    cl::value_desc("build-dir"), cl::sub(CheckCmd), cl::cat(CheckCat));

static cl::list<std::string> SourceFiles(
    cl::Positional, cl::desc("[FILES...] (default: every file of the database)"),
    cl::sub(CheckCmd), cl::cat(CheckCat));

static cl::opt<unsigned> Jobs("j", cl::desc("Translation units analyzed in parallel "
                                            "(default: number of cores)"),
                              cl::init(0), cl::value_desc("N"), cl::Prefix, cl::sub(CheckCmd),
                              cl::cat(CheckCat));



static cl::opt<std::string> ExportGraph(
    "export-graph",
    cl::desc("Also write the static lock graph in lockgraph's graph-file format "
             "(mergeable with runtime graphs by 'lockgraph report')"),
    cl::value_desc("file"), cl::sub(CheckCmd), cl::cat(CheckCat));


static cl::list<std::string> BlockingFunctions(
    "blocking-functions",
    cl::desc("Comma-separated qualified names added to the list of blocking "
             "functions; a name starting with '-' removes it from the list"),
    cl::CommaSeparated, cl::value_desc("names"), cl::sub(CheckCmd), cl::cat(CheckCat));

static cl::list<std::string> ExtraArgs("extra-arg",
                                       cl::desc("Extra compiler argument for every TU"),
                                       cl::value_desc("arg"), cl::sub(CheckCmd),
                                       cl::cat(CheckCat));

static cl::opt<std::string> CacheDir(
    "cache-dir",
    cl::desc("Per-TU summary cache (default: BUILD_DIR/.lockgraph-cache)"),
    cl::value_desc("dir"), cl::sub(CheckCmd), cl::cat(CheckCat));

static cl::opt<bool> NoCache("no-cache", cl::desc("Do not read or write the summary cache"),
                             cl::init(false), cl::sub(CheckCmd), cl::cat(CheckCat));



static cl::opt<std::string> EmitSummaries(
    "emit-summaries",
    cl::desc("Also write each TU's summary to DIR (one JSON file per TU), so the "
             "per-TU phase can run as separate build steps or shards"),
    cl::value_desc("dir"), cl::sub(CheckCmd), cl::cat(CheckCat));

static cl::opt<bool> LinkSummaries(
    "link-summaries",
    cl::desc("Skip the per-TU phase: FILES are summary files (or directories of "
             "them) written by --emit-summaries; link them and report"),
    cl::init(false), cl::sub(CheckCmd), cl::cat(CheckCat));

static cl::opt<bool> ListBlocking("list-blocking-functions",
                                  cl::desc("Print the blocking-function list and exit"),
                                  cl::init(false), cl::sub(CheckCmd), cl::cat(CheckCat));

static cl::opt<std::string> Progress(
    "progress", cl::desc("Print '[i/N] file' progress: auto (on a terminal), always, never"),
    cl::init("auto"), cl::value_desc("auto|always|never"), cl::sub(CheckCmd),
    cl::cat(CheckCat));

static cl::opt<bool> Verbose("v", cl::desc("Say what the analyzer could not model"),
                             cl::init(false), cl::sub(CheckCmd), cl::cat(CheckCat));

bool lockgraph::tool::checkCommandSelected() { return bool(CheckCmd); }

/// Reads summary files (or every *.json in directories) for --link-summaries.
static Expected<lockgraph::analyzer::PerTUResult>
readSummaries(const std::vector<std::string> &Paths) {
  lockgraph::analyzer::PerTUResult R;
  std::vector<std::string> Files;
  for (const std::string &P : Paths) {
    if (!sys::fs::is_directory(P)) {
      Files.push_back(P);
      continue;
    }
    std::error_code EC;
    for (sys::fs::directory_iterator It(P, EC), End; It != End && !EC; It.increment(EC))
      if (StringRef(It->path()).ends_with(".json"))
        Files.push_back(It->path());
  }
  std::sort(Files.begin(), Files.end());
  if (Files.empty())
    return createStringError(inconvertibleErrorCode(), "no summary files given");
  for (const std::string &F : Files) {
    auto Buf = MemoryBuffer::getFile(F);
    if (!Buf)
      return createStringError(Buf.getError(), "cannot read summary '" + F +
                                                   "': " + Buf.getError().message());
    auto V = json::parse((*Buf)->getBuffer());
    if (!V)
      return createStringError(inconvertibleErrorCode(),
                               "malformed summary '" + F + "': " + toString(V.takeError()));
    auto S = lockgraph::analyzer::summaryFromJSON(*V);
    if (!S)
      return createStringError(inconvertibleErrorCode(),
                               "malformed summary '" + F + "': " + toString(S.takeError()));
    R.Summaries.push_back(std::move(*S));
  }
  return R;
}

static llvm::Error writeSummaries(const std::string &Dir,
                            const std::vector<lockgraph::analyzer::TUSummary> &Summaries) {
  if (std::error_code EC = sys::fs::create_directories(Dir))
    return createStringError(EC, "cannot create '" + Dir + "': " + EC.message());
  for (const auto &S : Summaries) {
    SmallString<256> Path(Dir);
    std::string Name = sys::path::filename(S.File).str() + "-" +
                       utohexstr(xxh3_64bits(S.File)) + ".json";
    sys::path::append(Path, Name);
    std::error_code EC;
    raw_fd_ostream OS(Path, EC, sys::fs::OF_Text);
    if (EC)
      return createStringError(EC, "cannot write '" + Path + "': " + EC.message());
    OS << formatv("{0:1}", json::Value(lockgraph::analyzer::toJSON(S)));
  }
  return llvm::Error::success();
}

int lockgraph::tool::runCheckCommand() {
  using namespace lockgraph::tool;
  using namespace lockgraph::analyzer;

  if (llvm::Error E = Output.loadConfig()) {
    printError(llvm::toString(std::move(E)));
    return ExitUsageError;
  }
  if (Progress != "auto" && Progress != "always" && Progress != "never") {
    printError("unknown --progress '" + Progress + "'; expected auto, always or never");
    return ExitUsageError;
  }

  LinkOptions LO;
  LO.Deadlocks = Output.deadlockOptions();

  CheckOptions Opts;
  Opts.BuildPath = BuildPath.empty() ? "." : std::string(BuildPath);
  Opts.Files.assign(SourceFiles.begin(), SourceFiles.end());
  Opts.Jobs = Jobs;
  Opts.TU.BlockingFunctions = defaultBlockingFunctions();
  for (const std::string &B : Output.config().BlockingFunctions)
    Opts.TU.BlockingFunctions.insert(B);
  for (const std::string &B : Output.config().NonBlockingFunctions)
    Opts.TU.BlockingFunctions.erase(B);
  for (const std::string &B : BlockingFunctions) {
    StringRef Name = StringRef(B).trim();
    if (Name.consume_front("-"))
      Opts.TU.BlockingFunctions.erase(Name.str());
    else if (!Name.empty())
      Opts.TU.BlockingFunctions.insert(Name.str());
  }
  if (ListBlocking) {
    for (const std::string &B : Opts.TU.BlockingFunctions)
      outs() << B << "\n";
    return ExitClean;
  }
  Opts.ExtraArgs.assign(ExtraArgs.begin(), ExtraArgs.end());
  if (!NoCache) {
    if (!CacheDir.empty()) {
      Opts.CacheDir = CacheDir;
    } else {
      SmallString<256> Dir(Opts.BuildPath);
      if (!sys::fs::is_directory(Dir))
        sys::path::remove_filename(Dir);
      if (Dir.empty())
        Dir = ".";
      sys::path::append(Dir, ".lockgraph-cache");
      Opts.CacheDir = std::string(Dir);
    }
  }
  Opts.Progress = Progress == "always" ||
                  (Progress == "auto" && sys::Process::StandardErrIsDisplayed());
  Opts.Verbose = Verbose;

  Expected<PerTUResult> PerTU =
      LinkSummaries ? readSummaries(Opts.Files) : runPerTU(Opts, errs());
  if (!PerTU) {
    printError(toString(PerTU.takeError()));
    return ExitUsageError;
  }
  for (const std::string &F : PerTU->Failed)
    printError(F);
  if (!EmitSummaries.empty())
    if (llvm::Error E = writeSummaries(EmitSummaries, PerTU->Summaries)) {
      printError(toString(std::move(E)));
      return ExitUsageError;
    }

  LinkResult Linked = link(PerTU->Summaries, LO);
  std::vector<Finding> Findings = std::move(Linked.Findings);
  if (!Output.config().LockOrder.empty())
    llvm::append_range(Findings,
                       findOrderViolations(Linked.Graph, Output.config().LockOrder));
  applyNolint(Findings);

  if (!ExportGraph.empty()) {
    for (const Finding &F : Findings)
      if (!isCycleCheck(F.Check) && F.SuppressedBy.empty())
        Linked.Graph.recordedFindings().push_back(F);
    GraphProducer P;
    P.Tool = "lockgraph-check";
    P.Origin = "static";
    P.Command = "lockgraph check -p " + Opts.BuildPath;
    Status S = writeGraphFileAtomic(Linked.Graph, ExportGraph, P);
    if (!S.ok()) {
      printError(S.error().Message);
      return ExitUsageError;
    }
  }

  int Status = Output.emit(std::move(Findings), &Linked.Graph);
  if (!PerTU->Failed.empty())
    return ExitUsageError;
  return Status;
}
