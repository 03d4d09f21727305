//===- ReportOutput.h - Output options shared by every subcommand -*- C++ -*-===//
//
// check, run and report all print findings the same way: --format, -o,
// --show-suppressed, --disable-filter and --source-root. Each subcommand
// owns one OutputOptions, which registers these options on it.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOLS_REPORTOUTPUT_H
#define LOCKGRAPH_TOOLS_REPORTOUTPUT_H

#include "lockgraph/core/Deadlocks.h"
#include "lockgraph/core/LockGraph.h"

#include "llvm/Support/CommandLine.h"

#include <string>
#include <vector>

namespace lockgraph::tool {

enum class OutputFormat { Text, Sarif, Json, Dot, Html };

class OutputOptions {
public:
  OutputOptions(llvm::cl::SubCommand &Sub, llvm::cl::OptionCategory &Cat);

  /// Turns off the filters named by --disable-filter.
  void applyFilters(FilterOptions &Filters) const;

  /// Prints \p Findings in the chosen format to -o or stdout, and a one-line
  /// summary on stderr. Returns ExitFindings when an unsuppressed finding was
  /// reported, ExitClean when none, ExitUsageError when the output could not
  /// be written. \p Graph is drawn by --format=dot (may be null).
  int emit(const std::vector<Finding> &Findings, const LockGraph *Graph) const;

private:
  llvm::cl::opt<OutputFormat> Format;
  llvm::cl::opt<std::string> OutputFile;
  llvm::cl::opt<bool> ShowSuppressed;
  llvm::cl::list<std::string> DisabledFilters;
  llvm::cl::opt<std::string> SourceRoot;
};

} // namespace lockgraph::tool

#endif // LOCKGRAPH_TOOLS_REPORTOUTPUT_H
