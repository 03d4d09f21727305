//===- Linker.h - The link step: summaries -> lock graph + findings -*- C++ -*-===//
//
// Merges the per-TU summaries of a whole program: a call-graph fixpoint of
// the locks each function may acquire (and the blocking calls it may make),
// with parameters and `this` substituted by the arguments of each call site;
// then one static lock graph (core's model, cycles found by core) and the
// analyzer's own findings.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYZER_LINKER_H
#define LOCKGRAPH_ANALYZER_LINKER_H

#include "lockgraph/analyzer/Summary.h"
#include "lockgraph/analyzer/TUAnalysis.h"
#include "lockgraph/core/Deadlocks.h"

#include <map>
#include <string>
#include <vector>

namespace lockgraph::analyzer {

struct LinkOptions {
  DeadlockOptions Deadlocks;
  /// Bounds that keep the fixpoint small on big programs.
  unsigned MaxLocksPerFunction = 64;
  unsigned MaxBlockingPerFunction = 4;
  unsigned MaxLiftDepth = 8;
};

struct LinkResult {
  LockGraph Graph;
  /// Cycle findings (from core) and the analyzer's findings, sorted by
  /// location; NOLINT is not applied yet (see applyNolint).
  std::vector<Finding> Findings;
};

LinkResult link(const std::vector<TUSummary> &TUs, const LinkOptions &Opts = {});

/// What calls through function-pointer fields and variables do to the
/// caller's locks, by callee key ("field:record::field", "var:USR"), from
/// one link of \p TUs.
struct PointerCalls {
  /// The global locks that the functions stored there release for their
  /// callers (TUAnalysisOptions::PointerCallReleases). Only globals: a lock
  /// reached through a callback's argument would have to be followed
  /// through the loop's own fields (nng's aio callbacks release their
  /// objects' locks, named through the aio's task argument), and the
  /// program's other callbacks, stored in the same field, would hand theirs
  /// over too. Empty entries are left out.
  std::map<std::string, std::vector<LockRef>> Releases;
  /// Where the field or variable holds lock methods (SQLite's
  /// sqlite3_mutex_methods, whose xMutexEnter holds pthreadMutexEnter, or
  /// noopMutexEnter): the effect of the functions stored there on their
  /// arguments' locks, when every one of them that does anything has the
  /// same effect (what it leaves held, what it releases, all reached
  /// through its parameters) and the others do nothing at all
  /// (TUAnalysisOptions::PointerCallEffects). A callback field whose stored
  /// functions do unrelated things is no lock method.
  std::map<std::string, ExternalEffect> Methods;
};
PointerCalls throughPointers(const std::vector<TUSummary> &TUs);

/// Marks findings suppressed by `// NOLINT`, `// NOLINTNEXTLINE` and
/// `// NOLINTBEGIN`/`// NOLINTEND` comments (optionally with a check list
/// in parentheses, globs allowed) at their location, as clang-tidy does.
/// Reads each file once.
void applyNolint(std::vector<Finding> &Findings);


} // namespace lockgraph::analyzer

#endif // LOCKGRAPH_ANALYZER_LINKER_H
