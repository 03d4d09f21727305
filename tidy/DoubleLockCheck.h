//===- DoubleLockCheck.h - lockgraph-double-lock ---------------*- C++ -*-===//
#ifndef LOCKGRAPH_TIDY_DOUBLELOCKCHECK_H
#define LOCKGRAPH_TIDY_DOUBLELOCKCHECK_H

#include "LockgraphCheck.h"
#include "lockgraph/analyzer/Summary.h"

namespace clang::tidy::lockgraph {

/// Finds a non-recursive lock acquired again on a path that already holds it,
/// directly or through a callee defined in the same TU: a self-deadlock.
///
/// For the user-facing documentation see:
/// docs/clang-tidy.md#lockgraph-double-lock and docs/checks.md#lockgraph-double-lock
class DoubleLockCheck : public LockgraphCheck {
public:
  DoubleLockCheck(StringRef Name, ClangTidyContext *Context)
      : LockgraphCheck(Name, Context, ::lockgraph::analyzer::DoubleLockCheck) {}
};

} // namespace clang::tidy::lockgraph

#endif // LOCKGRAPH_TIDY_DOUBLELOCKCHECK_H
