//===- CondWaitNoLoopCheck.h - lockgraph-cond-wait-no-loop -----*- C++ -*-===//
#ifndef LOCKGRAPH_TIDY_CONDWAITNOLOOPCHECK_H
#define LOCKGRAPH_TIDY_CONDWAITNOLOOPCHECK_H

#include "LockgraphCheck.h"
#include "lockgraph/analyzer/Summary.h"

namespace clang::tidy::lockgraph {

/// Finds a condition-variable wait without a predicate (std::condition_variable
/// wait/wait_for/wait_until, pthread_cond_*wait, cnd_*wait) that is not in a
/// loop re-checking its condition: spurious and lost wake-ups. A wait with no
/// check around it in a wrapper is silent when every call of the wrapper in
/// the TU is in such a loop.
///
/// For the user-facing documentation see:
/// docs/clang-tidy.md#lockgraph-cond-wait-no-loop and
/// docs/checks.md#lockgraph-cond-wait-no-loop
class CondWaitNoLoopCheck : public LockgraphCheck {
public:
  CondWaitNoLoopCheck(StringRef Name, ClangTidyContext *Context)
      : LockgraphCheck(Name, Context, ::lockgraph::analyzer::CondWaitNoLoopCheck) {}
};

} // namespace clang::tidy::lockgraph

#endif // LOCKGRAPH_TIDY_CONDWAITNOLOOPCHECK_H
