//===- Reporters.h - Findings as text, SARIF, JSON and DOT ------*- C++ -*-===//
#ifndef LOCKGRAPH_CORE_REPORTERS_H
#define LOCKGRAPH_CORE_REPORTERS_H

#include "lockgraph/core/LockGraph.h"

#include <string>
#include <string_view>
#include <vector>

namespace lockgraph {

struct ReportOptions {
  /// Also print findings whose SuppressedBy is set (with the reason).
  bool ShowSuppressed = false;
  /// SARIF: paths under this directory become URIs relative to the
  /// %SRCROOT% base id (originalUriBaseIds). Empty: absolute file URIs.
  std::string SourceRoot;
  std::string ToolVersion = "0.1.0";
  /// Notes on what the report may be missing (the run-time half's
  /// sampling): SARIF toolExecutionNotifications of the run's invocation,
  /// JSON "notes". The text format leaves them to the caller (stderr).
  std::vector<std::string> Notes;
};

/// clang-tidy/GCC-shaped diagnostics:
///   file:line:col: warning: message [check]
///   file:line:col: note: message
/// A location without a file prints as "<unknown>:0:0".
std::string renderText(const std::vector<Finding> &Findings,
                       const ReportOptions &Opts = {});

/// SARIF 2.1.0: one run, rule metadata per check, relatedLocations for notes,
/// partialFingerprints from the finding's FingerprintKey.
std::string renderSarif(const std::vector<Finding> &Findings,
                        const ReportOptions &Opts = {});

/// lockgraph's own findings JSON (documented in docs/output-formats.md).
std::string renderJson(const std::vector<Finding> &Findings,
                       const ReportOptions &Opts = {});

/// Graphviz DOT of \p G, with the edges of unsuppressed cycle findings red.
std::string renderDot(const LockGraph &G, const std::vector<Finding> &Findings);

/// One self-contained HTML page (no network): the lock graph drawn with the
/// cycles of unsuppressed findings highlighted, every finding listed, and an
/// edge's evidence (sites, stacks, threads, counts) shown on click.
std::string renderHtml(const LockGraph &G, const std::vector<Finding> &Findings,
                       const ReportOptions &Opts = {});

/// What a graph's sampled-out count (LockGraph::sampledOut) means for a
/// report: the runtime's exit report and the tools' notes say the same.
/// \p HowToRecordAll is the option as the reader would set it.
std::string samplingNote(uint64_t SampledOut, std::string_view HowToRecordAll);

/// What a graph's dropped-report count (LockGraph::reportsDropped) means for
/// a report.
std::string droppedReportsNote(uint64_t Dropped);

/// Stable hex fingerprint of a finding (check + FingerprintKey).
std::string fingerprint(const Finding &F);

/// Documentation for a check: one-line description and help text, used for
/// SARIF rule metadata and `--list-checks`. Unknown checks get generic text.
struct CheckInfo {
  std::string_view Name;
  std::string_view ShortDescription;
  std::string_view Help;
};
const std::vector<CheckInfo> &knownChecks();
CheckInfo checkInfo(std::string_view Check);

} // namespace lockgraph

#endif // LOCKGRAPH_CORE_REPORTERS_H
