//===- BlockingUnderLockCheck.h - lockgraph-blocking-under-lock -*- C++ -*-===//
#ifndef LOCKGRAPH_TIDY_BLOCKINGUNDERLOCKCHECK_H
#define LOCKGRAPH_TIDY_BLOCKINGUNDERLOCKCHECK_H

#include "LockgraphCheck.h"
#include "lockgraph/analyzer/Summary.h"

namespace clang::tidy::lockgraph {

/// Finds a call that may block (I/O, sleep, join, a wait on another lock)
/// made while a lock is held, directly or through a callee defined in the
/// same TU.
///
/// Options: `BlockingFunctions`, ';'-separated qualified names of more
/// functions that may block (`::mylib::fetch;::poll_forever`), added to the
/// built-in list.
///
/// For the user-facing documentation see:
/// docs/clang-tidy.md#lockgraph-blocking-under-lock and
/// docs/checks.md#lockgraph-blocking-under-lock
class BlockingUnderLockCheck : public LockgraphCheck {
public:
  BlockingUnderLockCheck(StringRef Name, ClangTidyContext *Context)
      : LockgraphCheck(Name, Context, ::lockgraph::analyzer::BlockingUnderLockCheck) {
    ExtraBlockingFunctions = Options.get("BlockingFunctions", "").str();
  }
  void storeOptions(ClangTidyOptions::OptionMap &Opts) override {
    Options.store(Opts, "BlockingFunctions", ExtraBlockingFunctions);
  }
};

} // namespace clang::tidy::lockgraph

#endif // LOCKGRAPH_TIDY_BLOCKINGUNDERLOCKCHECK_H
