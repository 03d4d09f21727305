//===- WaitHoldingLockCheck.h - lockgraph-wait-holding-lock ----*- C++ -*-===//
#ifndef LOCKGRAPH_TIDY_WAITHOLDINGLOCKCHECK_H
#define LOCKGRAPH_TIDY_WAITHOLDINGLOCKCHECK_H

#include "LockgraphCheck.h"
#include "lockgraph/core/Deadlocks.h"

namespace clang::tidy::lockgraph {

/// Finds a thread that waits (on a condition variable, or joins a thread
/// started in the same function, or waits on its future) while holding a
/// lock that the notifier or the joined thread acquires, within one
/// translation unit: a deadlock cycle through the wait.
///
/// For the user-facing documentation see:
/// docs/clang-tidy.md#lockgraph-wait-holding-lock and
/// docs/checks.md#lockgraph-wait-holding-lock
class WaitHoldingLockCheck : public LockgraphCheck {
public:
  WaitHoldingLockCheck(StringRef Name, ClangTidyContext *Context)
      : LockgraphCheck(Name, Context, ::lockgraph::WaitHoldingLockCheck) {}
};

} // namespace clang::tidy::lockgraph

#endif // LOCKGRAPH_TIDY_WAITHOLDINGLOCKCHECK_H
