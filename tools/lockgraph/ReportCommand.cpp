//===- ReportCommand.cpp - lockgraph report -------------------------------===//
//
// Reads lock-graph files (from the runtime, the analyzer or both), merges
// them by lock name, finds the lock-order cycles, applies the filters and
// prints every finding in the chosen format.
//
//===----------------------------------------------------------------------===//
#include "Commands.h"
#include "ReportOutput.h"


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

bool tool::reportCommandSelected() { return bool(ReportCmd); }

int tool::runReportCommand() {
  if (llvm::Error E = Output.loadConfig()) {
    printError(llvm::toString(std::move(E)));
    return ExitUsageError;
  }
  tool::OutputOptions::Graphs Read;
  bool AllRead = Output.readGraphs(GraphFiles, Read);
  std::vector<Finding> Findings = Output.analyze(Read);
  LockGraph Drawn = tool::OutputOptions::drawnGraph(Read, Findings);
  int Status = Output.emit(std::move(Findings), &Drawn);
  tool::noteSampledOut(Read.Merged);
  return AllRead ? Status : ExitUsageError;
}
