//===- HtmlReporter.cpp - One self-contained HTML page --------------------===//
#include "lockgraph/core/Reporters.h"

namespace lockgraph {

std::string renderHtml(const LockGraph &, const std::vector<Finding> &,
                       const ReportOptions &) {
  return "<!doctype html><title>lockgraph</title><p>HTML report not built yet</p>\n";
}

} // namespace lockgraph
