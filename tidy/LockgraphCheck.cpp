//===- LockgraphCheck.cpp - One shared analysis per translation unit ------===//
#include "LockgraphCheck.h"

#include "lockgraph/analyzer/Linker.h"
#include "lockgraph/analyzer/TUAnalysis.h"

#include "clang/AST/ASTContext.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"
#include "clang/ASTMatchers/ASTMatchers.h"
#include "clang/Basic/SourceManager.h"
#include "llvm/ADT/StringExtras.h"

#include <memory>
#include <vector>

using namespace clang::ast_matchers;

namespace clang::tidy::lockgraph {

namespace {

namespace lg = ::lockgraph;

/// The findings of one analysis of one TU.
struct TUFindings {
  const ASTContext *Ctx = nullptr;
  std::string ExtraBlocking; ///< the analysis options it ran with
  std::vector<lg::Finding> Findings;
};

/// The analyses of the current TU, usually one (two if a check sets its own
/// blocking functions). clang-tidy runs the checks of a TU on one thread,
/// and onStartOfTranslationUnit clears this before the next TU.
std::vector<std::unique_ptr<TUFindings>> &cache() {
  static std::vector<std::unique_ptr<TUFindings>> C;
  return C;
}

/// Analyzes \p Ctx with the analyzer's per-TU phase and links the TU alone,
/// or returns the cached result.
const TUFindings &analyze(ASTContext &Ctx, const std::string &ExtraBlocking) {
  for (const auto &R : cache())
    if (R->Ctx == &Ctx && R->ExtraBlocking == ExtraBlocking)
      return *R;
  lg::analyzer::TUAnalysisOptions Opts;
  Opts.BlockingFunctions = lg::analyzer::defaultBlockingFunctions();
  SmallVector<StringRef> Extra;
  StringRef(ExtraBlocking).split(Extra, ';', -1, /*KeepEmpty=*/false);
  for (StringRef Name : Extra)
    if (!Name.trim().empty())
      Opts.BlockingFunctions.insert(Name.trim().ltrim(':').str());
  std::vector<lg::analyzer::TUSummary> TUs(1);
  lg::analyzer::analyzeTranslationUnit(Ctx, Opts, TUs.front());
  lg::analyzer::LinkResult Linked = lg::analyzer::link(TUs);
  auto R = std::make_unique<TUFindings>();
  R->Ctx = &Ctx;
  R->ExtraBlocking = ExtraBlocking;
  R->Findings = std::move(Linked.Findings);
  cache().push_back(std::move(R));
  return *cache().back();
}

/// The location of \p F in this TU, or an invalid one if its file was not
/// read by the TU.
SourceLocation locate(SourceManager &SM, const lg::Frame &F) {
  if (!F.hasSource())
    return {};
  OptionalFileEntryRef FE = SM.getFileManager().getOptionalFileRef(F.File);
  if (!FE)
    return {};
  return SM.translateFileLineCol(&FE->getFileEntry(), F.Line,
                                 F.Column ? F.Column : 1);
}

} // namespace

void LockgraphCheck::registerMatchers(MatchFinder *Finder) {
  Finder->addMatcher(translationUnitDecl().bind("tu"), this);
}

void LockgraphCheck::onStartOfTranslationUnit() { cache().clear(); }

void LockgraphCheck::check(const MatchFinder::MatchResult &Result) {
  if (!Result.Nodes.getNodeAs<TranslationUnitDecl>("tu"))
    return;
  SourceManager &SM = *Result.SourceManager;
  for (const lg::Finding &F : analyze(*Result.Context, ExtraBlockingFunctions).Findings) {
    // Cycles that core's filters explain away (single thread, gate lock,
    // trylock, read-read) are not reported; NOLINT is clang-tidy's job.
    if (F.Check != FindingCheck || !F.SuppressedBy.empty())
      continue;
    diag(locate(SM, F.Location), "%0",
         F.Level == lg::Severity::Error ? DiagnosticIDs::Error : DiagnosticIDs::Warning)
        << F.Message;
    for (const lg::FindingNote &N : F.Notes) {
      SourceLocation Loc = locate(SM, N.Where);
      if (Loc.isValid())
        diag(Loc, "%0", DiagnosticIDs::Note) << N.Message;
    }
  }
}

} // namespace clang::tidy::lockgraph
