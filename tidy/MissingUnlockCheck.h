//===- MissingUnlockCheck.h - lockgraph-missing-unlock ---------*- C++ -*-===//
#ifndef LOCKGRAPH_TIDY_MISSINGUNLOCKCHECK_H
#define LOCKGRAPH_TIDY_MISSINGUNLOCKCHECK_H

#include "LockgraphCheck.h"
#include "lockgraph/analyzer/Summary.h"

namespace clang::tidy::lockgraph {

/// Finds a lock still held on some, but not all, paths out of the function
/// that acquired it.
///
/// For the user-facing documentation see:
/// docs/clang-tidy.md#lockgraph-missing-unlock and docs/checks.md#lockgraph-missing-unlock
class MissingUnlockCheck : public LockgraphCheck {
public:
  MissingUnlockCheck(StringRef Name, ClangTidyContext *Context)
      : LockgraphCheck(Name, Context, ::lockgraph::analyzer::MissingUnlockCheck) {}
};

} // namespace clang::tidy::lockgraph

#endif // LOCKGRAPH_TIDY_MISSINGUNLOCKCHECK_H
