//===- LockgraphTidyModule.cpp - lockgraph's clang-tidy module ------------===//
//
// Loaded with `clang-tidy --load=liblockgraph-tidy.so`; the checks run the
// static analyzer on the one TU clang-tidy parses (see LockgraphCheck.h).
//
//===----------------------------------------------------------------------===//
#include "BlockingUnderLockCheck.h"
#include "CondWaitNoLoopCheck.h"
#include "DoubleLockCheck.h"
#include "LockOrderCheck.h"
#include "MissingUnlockCheck.h"
#include "UnlockUnheldCheck.h"
#include "WaitHoldingLockCheck.h"

#include "ClangTidyModule.h"
#include "ClangTidyModuleRegistry.h"

namespace clang::tidy {
namespace lockgraph {

class LockgraphModule : public ClangTidyModule {
public:
  void addCheckFactories(ClangTidyCheckFactories &CheckFactories) override {
    CheckFactories.registerCheck<BlockingUnderLockCheck>("lockgraph-blocking-under-lock");
    CheckFactories.registerCheck<CondWaitNoLoopCheck>("lockgraph-cond-wait-no-loop");
    CheckFactories.registerCheck<DoubleLockCheck>("lockgraph-double-lock");
    CheckFactories.registerCheck<LockOrderCheck>("lockgraph-lock-order");
    CheckFactories.registerCheck<MissingUnlockCheck>("lockgraph-missing-unlock");
    CheckFactories.registerCheck<UnlockUnheldCheck>("lockgraph-unlock-unheld");
    CheckFactories.registerCheck<WaitHoldingLockCheck>("lockgraph-wait-holding-lock");
  }
};

} // namespace lockgraph

// Register the module using this statically initialized variable.
static ClangTidyModuleRegistry::Add<lockgraph::LockgraphModule>
    X("lockgraph-module", "Adds lockgraph's lock-order and lock-misuse checks.");

// This anchor is used to force the linker to link in the generated object file
// and thus register the module.
volatile int LockgraphModuleAnchorSource = 0;

} // namespace clang::tidy
