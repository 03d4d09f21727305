//===- Analyzer.h - The per-TU phase over a compilation database -*- C++ -*-===//
//
// Runs the per-TU phase (TUAnalysis.h) on the translation units of a
// compile_commands.json, in parallel, with a per-TU summary cache keyed by
// the TU's command line and the contents of every file it read. No Clang
// header here: the `lockgraph check` command includes it.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYZER_ANALYZER_H
#define LOCKGRAPH_ANALYZER_ANALYZER_H

#include "lockgraph/analyzer/TUAnalysis.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace lockgraph::analyzer {

struct CheckOptions {
  /// Build directory holding compile_commands.json, or the file itself.
  std::string BuildPath;
  /// Source files to analyze; empty means every file of the database.
  std::vector<std::string> Files;
  /// Parallel TUs; 0 means one per core.
  unsigned Jobs = 0;
  TUAnalysisOptions TU;
  /// Extra compiler arguments appended to every command.
  std::vector<std::string> ExtraArgs;
  /// Directory of cached per-TU summaries; empty disables the cache.
  std::string CacheDir;
  /// Print "[i/N] file" progress lines.
  bool Progress = false;
  /// Print what the analyzer could not model.
  bool Verbose = false;
};

struct PerTUResult {
  std::vector<TUSummary> Summaries;
  /// TUs that could not be parsed or analyzed, each "file: reason".
  std::vector<std::string> Failed;
  unsigned FromCache = 0;
};

/// Loads the compilation database and analyzes the selected TUs. An Error
/// means nothing could run (no or malformed database, unknown file); a TU
/// that fails is listed in Failed and the others are still analyzed.
/// Compiler diagnostics of failing TUs and progress go to \p Log.
llvm::Expected<PerTUResult> runPerTU(const CheckOptions &Opts, llvm::raw_ostream &Log);

} // namespace lockgraph::analyzer

#endif // LOCKGRAPH_ANALYZER_ANALYZER_H
