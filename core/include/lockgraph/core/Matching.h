//===- Matching.h - Run-time locks matched to source-level locks -*- C++ -*-===//
//
// The two halves name locks differently: the analyzer by declaration
// (`Account::mu_`, `g_log_mu`), the runtime by instance (a global symbol, or
// `symbol+offset`, or a first-acquisition site). Where a run-time lock is
// taken at exactly the source lines where one static lock is taken, and no
// other run-time lock is, they are the same lock; renaming it lets the
// graphs merge into one, so a cycle seen by both halves is one finding.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_CORE_MATCHING_H
#define LOCKGRAPH_CORE_MATCHING_H

#include "lockgraph/core/LockGraph.h"

#include <string>
#include <unordered_map>
#include <vector>

namespace lockgraph {

/// Run-time lock name -> static lock name, for every run-time lock that
/// matches one static lock one-to-one by acquisition sites (file and line
/// of the first user frame). Two run-time instances of one declaration
/// (two accounts' mutexes) are left apart: merging them would hide the
/// instance-level cycle the runtime saw.
std::unordered_map<std::string, std::string> matchRuntimeLocksToSource(const LockGraph &G);

/// For each of \p Processes (graphs one process each recorded), new names
/// for its locks that are globals named by their symbol when that symbol is
/// declared at more than one place among them: a file-static `mutex` in
/// two sources of one test suite is two locks, which merging by name would
/// make one (and their orders a cycle). They become "mutex (threadpool.c)",
/// as the analyzer names such statics (the file and line when the file
/// names are alike too). A symbol declared at one place keeps its name:
/// the same global in two binaries of a suite is one lock.
std::vector<std::unordered_map<std::string, std::string>>
qualifyGlobalsDeclaredTwice(const std::vector<LockGraph> &Processes);

/// Recorded findings (not cycles: a lock held across a blocking call,
/// misuse) that both halves made about one thing -- the same check at the
/// same source line, or a blocking call the analyzer reached through a call
/// made under the same locks (its note at the blocking call is where the
/// runtime saw it, and the runtime's stack passes through that call) --
/// become one finding: the static one, "(confirmed at run time)", with the
/// run-time finding's message and notes appended as notes. Run-time
/// findings repeated by several processes, call paths or elements of one
/// global array (the same check, place and fingerprint, but for the
/// element: `lru_locks[3]`) become one, "(seen N times)", before: the slowest
/// blocking call, else the first. Other findings are returned unchanged, in
/// order.
std::vector<Finding> mergeFindingsOfBothHalves(std::vector<Finding> Findings);

/// Findings of one process that differ only in which instances of the same
/// locks they are about (`Task::_mutex#2 -> TaskManager::_mutex#2`, then
/// `#3 -> #3`: every task object, the same code) become the first of them,
/// "(seen N times)", with a fingerprint free of instance numbers (which
/// change from run to run). Findings at another place, or about other
/// locks, or suppressed differently, stay apart; the order is kept.
std::vector<Finding> foldFindingsOfInstances(std::vector<Finding> Findings);

} // namespace lockgraph

#endif // LOCKGRAPH_CORE_MATCHING_H
