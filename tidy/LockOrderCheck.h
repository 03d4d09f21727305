//===- LockOrderCheck.h - lockgraph-lock-order -----------------*- C++ -*-===//
#ifndef LOCKGRAPH_TIDY_LOCKORDERCHECK_H
#define LOCKGRAPH_TIDY_LOCKORDERCHECK_H

#include "LockgraphCheck.h"
#include "lockgraph/core/Deadlocks.h"

namespace clang::tidy::lockgraph {

/// Finds locks taken in orders that form a cycle within one translation unit
/// (A then B in one function, B then A in another, calls followed inside
/// the TU): a potential deadlock.
///
/// For the user-facing documentation see:
/// docs/clang-tidy.md#lockgraph-lock-order and docs/checks.md#lockgraph-lock-order
class LockOrderCheck : public LockgraphCheck {
public:
  LockOrderCheck(StringRef Name, ClangTidyContext *Context)
      : LockgraphCheck(Name, Context, ::lockgraph::LockOrderCheck) {}
};

} // namespace clang::tidy::lockgraph

#endif // LOCKGRAPH_TIDY_LOCKORDERCHECK_H
