//===- ReportOutput.h - What every subcommand shares to report -*- C++ -*-===//
//
// check, run and report all turn a lock graph into findings and print them
// the same way. Each subcommand owns one OutputOptions, which registers the
// shared options on it (--format, -o, --show-suppressed, --disable-filter, --checks,
// --max-cycle-length, --max-cycles-per-component, --source-root, --config,
// --baseline, --write-baseline) and does the shared steps:
//
//   if (Error E = Output.loadConfig()) ...    // .lockgraph.yaml
//   Output.readGraphs(Files, Graphs);         // merge graph files (aliases)
//   Output.emit(Output.analyze(Graphs), &Graphs.Merged);
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOLS_REPORTOUTPUT_H
#define LOCKGRAPH_TOOLS_REPORTOUTPUT_H

#include "ProjectConfig.h"

#include "lockgraph/core/Deadlocks.h"
#include "lockgraph/core/LockGraph.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace lockgraph::tool {

enum class OutputFormat { Text, Sarif, Json, Dot, Html };

/// Says on stderr that the run-time half sampled out lock acquisitions
/// (LockGraph::sampledOut), when it did: the report may miss cycles.
void noteSampledOut(const LockGraph &G);

class OutputOptions {
public:
  OutputOptions(llvm::cl::SubCommand &Sub, llvm::cl::OptionCategory &Cat);

  /// Reads --config, or the nearest .lockgraph.yaml upwards from the working
  /// directory (none is fine), and the --baseline file.
  llvm::Error loadConfig();
  const ProjectConfig &config() const { return Config; }

  /// The graphs of one report.
  struct Graphs {
    /// Every file merged by lock name; or, when there are two or more
    /// processes' graphs, by lock class (Lock::Class), because an
    /// instance's name means nothing in another process.
    LockGraph Merged;
    /// Merged by class: the graphs of those processes as read, and the
    /// other files (static graphs) merged by name. Each process's cycles
    /// are those of its graph merged with Shared, with its own threads.
    std::vector<LockGraph> PerProcess;
    LockGraph Shared;
    /// Merged by class: the edges of each of PerProcess, by their lock
    /// names in Merged.
    std::vector<ProcessEdges> EdgesOfProcess;
    /// For each of PerProcess, its globals whose name another process's
    /// global of another file has, with the file (`mutex (p1.c)`), as
    /// Merged and the analyzer name them.
    std::vector<std::unordered_map<std::string, std::string>> QualifiedNames;
  };

  /// Reads graph files and merges them into \p Into, renaming lock aliases
  /// from the config and run-time locks that match a static lock (see
  /// core/Matching.h). A file that cannot be read is reported on stderr and
  /// skipped; returns false if any was.
  bool readGraphs(llvm::ArrayRef<std::string> Paths, Graphs &Into) const;

  /// Cycle caps and filters as the options say.
  DeadlockOptions deadlockOptions() const;

  /// The findings of \p G: its cycles (capped and filtered as the options
  /// say; with graphs per process, each process's cycles and the cycles no
  /// one process saw whole), edges against the config's declared lock
  /// order, and the findings recorded in the graphs.
  std::vector<Finding> analyze(const Graphs &G) const;

  /// The graph --format=dot and html draw: \p G's merged graph, and with
  /// graphs per process, the cycles of \p Findings that are between one
  /// process's instances (not in the merged graph by class) added to it.
  static LockGraph drawnGraph(const Graphs &G, const std::vector<Finding> &Findings);

  /// Applies the config (checks, excluded paths, suppressions) and the
  /// baseline, prints the findings in the chosen format to -o or stdout and
  /// a one-line summary on stderr, and writes --write-baseline. Returns
  /// ExitFindings when an unsuppressed finding was reported, ExitClean when
  /// none, ExitUsageError when an output could not be written. \p Graph is
  /// drawn by --format=dot and html (may be null).
  int emit(std::vector<Finding> Findings, const LockGraph *Graph) const;

private:
  llvm::cl::opt<OutputFormat> Format;
  llvm::cl::opt<std::string> OutputFile;
  llvm::cl::opt<bool> ShowSuppressed;
  llvm::cl::list<std::string> DisabledFilters;
  llvm::cl::opt<std::string> Checks;
  llvm::cl::opt<unsigned> MaxCycleLength;
  llvm::cl::opt<unsigned> MaxCyclesPerComponent;
  llvm::cl::opt<std::string> SourceRoot;
  llvm::cl::opt<std::string> ConfigFile;
  llvm::cl::opt<std::string> BaselineFile;
  llvm::cl::opt<std::string> WriteBaselineFile;

  ProjectConfig Config;
  std::vector<std::string> BaselineFingerprints; ///< sorted
};

} // namespace lockgraph::tool

#endif // LOCKGRAPH_TOOLS_REPORTOUTPUT_H
