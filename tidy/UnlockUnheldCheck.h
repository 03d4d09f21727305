//===- UnlockUnheldCheck.h - lockgraph-unlock-unheld -----------*- C++ -*-===//
#ifndef LOCKGRAPH_TIDY_UNLOCKUNHELDCHECK_H
#define LOCKGRAPH_TIDY_UNLOCKUNHELDCHECK_H

#include "LockgraphCheck.h"
#include "lockgraph/analyzer/Summary.h"

namespace clang::tidy::lockgraph {

/// Finds the release of a lock that is not held on that path.
///
/// For the user-facing documentation see:
/// docs/clang-tidy.md#lockgraph-unlock-unheld and docs/checks.md#lockgraph-unlock-unheld
class UnlockUnheldCheck : public LockgraphCheck {
public:
  UnlockUnheldCheck(StringRef Name, ClangTidyContext *Context)
      : LockgraphCheck(Name, Context, ::lockgraph::analyzer::UnlockUnheldCheck) {}
};

} // namespace clang::tidy::lockgraph

#endif // LOCKGRAPH_TIDY_UNLOCKUNHELDCHECK_H
