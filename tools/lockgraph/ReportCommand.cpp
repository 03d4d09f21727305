//===- ReportCommand.cpp - lockgraph report -------------------------------===//
//
// Reads lock-graph files (from the runtime, the analyzer or both), merges
// them by lock name, finds the lock-order cycles, applies the filters and
// prints every finding in the chosen format.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "ReportOutput.h"

#include "lockgraph/core/Deadlocks.h"
#include "lockgraph/core/GraphFile.h"

#include "llvm/Support/CommandLine.h"

using namespace llvm;
using namespace lockgraph;

static cl::SubCommand ReportCmd(
    "report", "Find and report potential deadlocks in lock-graph files");

static cl::OptionCategory ReportCategory("lockgraph report options");

static cl::list<std::string>
    GraphFiles(cl::Positional, cl::OneOrMore, cl::value_desc("graph.json"),
               cl::desc("<lock-graph files written by 'lockgraph run', the "
                        "preload runtime or 'lockgraph check --export-graph'>"),
               cl::sub(ReportCmd), cl::cat(ReportCategory));

static tool::OutputOptions Output(ReportCmd, ReportCategory);

static cl::opt<unsigned> MaxCycleLength(
    "max-cycle-length", cl::init(0), cl::value_desc("N"),
    cl::desc("Report cycles of at most N locks (default 0: no limit)"),
    cl::sub(ReportCmd), cl::cat(ReportCategory));

static cl::opt<unsigned> MaxCyclesPerComponent(
    "max-cycles-per-component", cl::init(64), cl::value_desc("N"),
    cl::desc("Report at most N cycles (the shortest) per strongly connected "
             "set of locks, so that a dense graph cannot flood the report "
             "(default 64; 0: no limit)"),
    cl::sub(ReportCmd), cl::cat(ReportCategory));

bool tool::reportCommandSelected() { return bool(ReportCmd); }

int tool::runReportCommand() {
  LockGraph Merged;
  bool InputError = false;
  for (const std::string &Path : GraphFiles) {
    Result<LockGraph> G = readGraphFile(Path);
    if (!G) {
      // Keep going: the findings of the other files are still reported.
      printError(G.error().Message);
      InputError = true;
      continue;
    }
    Merged.merge(G.value());
  }

  DeadlockOptions Opts;
  Opts.Cycles.MaxCycleLength = MaxCycleLength;
  Opts.Cycles.MaxCyclesPerComponent = MaxCyclesPerComponent;
  Output.applyFilters(Opts.Filters);
  std::vector<Finding> Findings = findDeadlocks(Merged, Opts);
  const auto &Recorded = Merged.recordedFindings();
  Findings.insert(Findings.end(), Recorded.begin(), Recorded.end());

  int Status = Output.emit(Findings, &Merged);
  if (InputError)
    return ExitUsageError;
  return Status;
}
