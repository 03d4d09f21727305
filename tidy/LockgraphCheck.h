//===- LockgraphCheck.h - Base of lockgraph's clang-tidy checks -*- C++ -*-===//
//
// Every lockgraph check reports one kind of the static analyzer's findings
// for the translation unit clang-tidy is running on. The analysis itself is
// the analyzer's (lockgraph::analyzer::analyzeTranslationUnit, then link() on
// this one TU), run once per TU and shared by all enabled lockgraph checks.
// Calls are followed within the TU only; the cross-TU analysis stays in
// `lockgraph check`.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TIDY_LOCKGRAPHCHECK_H
#define LOCKGRAPH_TIDY_LOCKGRAPHCHECK_H

#include "ClangTidyCheck.h"

#include <string>

namespace clang::tidy::lockgraph {

/// LockgraphCheck
///
/// Requires: registered under a `lockgraph-*` name; \p FindingCheck is the
/// analyzer's check name whose findings this check reports.
/// Provides: one warning per unsuppressed finding of that check in the TU,
/// at the finding's location, with its notes as clang notes. NOLINT and
/// --header-filter apply as for any clang-tidy check.
class LockgraphCheck : public ClangTidyCheck {
public:
  void registerMatchers(ast_matchers::MatchFinder *Finder) override;
  void check(const ast_matchers::MatchFinder::MatchResult &Result) override;
  /// Drops the previous TU's analysis (ASTContext addresses are reused).
  void onStartOfTranslationUnit() override;

protected:
  LockgraphCheck(StringRef Name, ClangTidyContext *Context, StringRef FindingCheck)
      : ClangTidyCheck(Name, Context), FindingCheck(FindingCheck) {}

  /// Extra blocking functions for the analysis, ';'-separated qualified
  /// names, added to the analyzer's defaults.
  std::string ExtraBlockingFunctions;

private:
  std::string FindingCheck;
};

} // namespace clang::tidy::lockgraph

#endif // LOCKGRAPH_TIDY_LOCKGRAPHCHECK_H
