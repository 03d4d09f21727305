//===- TUAnalysis.h - The per-TU phase: AST -> function summaries -*- C++ -*-===//
//
// Runs on a parsed translation unit and fills a TUSummary: for each function
// defined outside system headers, a dataflow over its Clang CFG of the held
// lockset gives its acquisitions with the locks held before them, its calls
// and blocking calls with the locks held around them, and local misuse
// findings. Only clang::ASTContext is forward-declared here, so this header
// is cheap to include.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_ANALYZER_TUANALYSIS_H
#define LOCKGRAPH_ANALYZER_TUANALYSIS_H

#include "lockgraph/analyzer/Summary.h"

#include <map>
#include <set>
#include <string>

namespace clang {
class ASTContext;
}

namespace lockgraph::analyzer {

/// A lock wrapper defined in another TU, by its USR: what a call to it does
/// to the caller's locks (FunctionSummary::ReturnsHolding/ReleasesCallers).
struct ExternalEffect {
  std::vector<HeldLock> ReturnsHolding;
  std::vector<LockRef> ReleasesCallers;
  std::vector<LockRef> HandsOverCallers;
  bool ReturnsLockResult = false; ///< FunctionSummary::ReturnsLockResult
};

struct TUAnalysisOptions {
  /// Qualified names of functions that may block ("read",
  /// "std::this_thread::sleep_for"); see defaultBlockingFunctions().
  std::set<std::string> BlockingFunctions;
  /// Lock wrappers of other TUs (USR -> effect), applied at calls to
  /// functions this TU declares but does not define.
  std::map<std::string, ExternalEffect> ExternalEffects;
  /// Names of locks of internal linkage that other TUs have statics of too
  /// (TUSummary::InternalLocks): this TU's are named "name (file.c)".
  std::set<std::string> QualifiedStatics;
  /// Calls through function-pointer fields and variables, by callee key
  /// ("field:record::field", "var:USR"): the caller's locks the functions
  /// stored there may release (PointerCalls::Releases, Linker.h). The call
  /// releases them: which of the stored functions runs is not known, and a
  /// lock handed to a callback (libuv's prepare callback unlocking what main
  /// locked before uv_run) is not to be reported as held after it.
  std::map<std::string, std::vector<LockRef>> PointerCallReleases;
  /// Calls through function-pointer fields and variables that hold lock
  /// methods (PointerCalls::Methods, Linker.h): what the functions
  /// stored there leave held or release, applied at the call as a direct
  /// call to one of them would be.
  std::map<std::string, ExternalEffect> PointerCallEffects;
  /// Parameters that functions of other TUs make non-blocking ("USR#index",
  /// TUSummary::NonBlockingParams): a descriptor passed for one is.
  std::set<std::string> NonBlockingParams;
  /// Descriptor fields ("record::field") other TUs make non-blocking
  /// (TUSummary::NonBlockingFields, FieldOutParams).
  std::set<std::string> NonBlockingFields;
};

/// The default list of blocking functions (I/O, sleeps, joins, waits).
std::set<std::string> defaultBlockingFunctions();

/// Analyzes every function body of \p Ctx outside system headers.
void analyzeTranslationUnit(clang::ASTContext &Ctx, const TUAnalysisOptions &Opts,
                            TUSummary &Out);

} // namespace lockgraph::analyzer

#endif // LOCKGRAPH_ANALYZER_TUANALYSIS_H
