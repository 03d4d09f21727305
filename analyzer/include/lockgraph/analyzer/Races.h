//===- Races.h - lockgraph-race: guard inference over summaries -*- C++ -*-===//
//
// The link-step half of the static race check. From the shared-variable
// accesses of every function summary (with the locks held at each), carried
// up the call graph to the functions threads start in, it infers each
// variable's guarding lock -- declared with GUARDED_BY, else the lock held at
// more than half (and at least two) of its accesses, as RacerD and Coverity's
// MISSING_LOCK do -- and reports the accesses made without it, in code that
// more than one thread can run. No Clang header here.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYZER_RACES_H
#define LOCKGRAPH_ANALYZER_RACES_H

#include "lockgraph/analyzer/Summary.h"

#include <string>
#include <vector>

namespace lockgraph::analyzer {

/// A variable's guard and how many of its accesses hold it.
struct GuardVerdict {
  std::string Lock; ///< empty: no guard
  unsigned Guarded = 0;
  unsigned Total = 0;
  bool Declared = false;
};

/// Infers the guard of one variable. \p HeldAt has, for each access, the
/// lock classes held there (held on the same object, where that can be
/// told). A \p Declared guard (GUARDED_BY) wins; otherwise the lock held at
/// the most accesses guards the variable if that is more than half of them
/// and at least two (ties go to the first name in order).
GuardVerdict inferGuard(const std::vector<std::vector<std::string>> &HeldAt,
                        const std::string &Declared = {});

struct RaceOptions {
  /// Accesses carried per function up the call graph, and call depth.
  unsigned MaxAccessesPerFunction = 256;
  unsigned MaxChain = 8;
  /// Guarded accesses shown as notes under each warning.
  unsigned MaxGuardedNotes = 3;
};

/// The lockgraph-race findings of a linked program. \p Fns are the
/// program's function summaries; Targets[f][c] the functions call c of
/// function f may reach (as the link step resolved them). CopyOf[f], when
/// given, is the entry that f is a copy of, specialized to the functions
/// passed for its function-pointer parameters (SIZE_MAX: none).
/// ProgramOf[f], when given, is the program f belongs to (a TU that defines
/// `main`), or -1 for a library's function, which any program may run: the
/// accesses of two programs are never compared.
std::vector<Finding> findRaces(const std::vector<const FunctionSummary *> &Fns,
                               const std::vector<std::vector<std::vector<size_t>>> &Targets,
                               const RaceOptions &Opts = {},
                               const std::vector<size_t> &CopyOf = {},
                               const std::vector<int> &ProgramOf = {});

} // namespace lockgraph::analyzer

#endif // LOCKGRAPH_ANALYZER_RACES_H
