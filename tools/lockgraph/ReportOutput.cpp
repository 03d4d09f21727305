//===- ReportOutput.cpp - Output options shared by every subcommand -------===//
#include "ReportOutput.h"
#include "Commands.h"

#include "lockgraph/core/Reporters.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace lockgraph::tool {

OutputOptions::OutputOptions(cl::SubCommand &Sub, cl::OptionCategory &Cat)
    : Format("format", cl::desc("Output format"), cl::init(OutputFormat::Text),
             cl::values(clEnumValN(OutputFormat::Text, "text",
                                   "clang-tidy style diagnostics (default)"),
                        clEnumValN(OutputFormat::Sarif, "sarif", "SARIF 2.1.0"),
                        clEnumValN(OutputFormat::Json, "json",
                                   "lockgraph findings JSON"),
                        clEnumValN(OutputFormat::Dot, "dot",
                                   "Graphviz DOT of the lock graph, cycles in red"),
                        clEnumValN(OutputFormat::Html, "html",
                                   "one self-contained HTML page: the lock graph, "
                                   "cycles highlighted, evidence on click")),
             cl::sub(Sub), cl::cat(Cat)),
      OutputFile("o", cl::desc("Write the report to <file> instead of stdout"),
                 cl::value_desc("file"), cl::sub(Sub), cl::cat(Cat)),
      ShowSuppressed("show-suppressed",
                     cl::desc("Also list cycles that a filter ruled out, with "
                              "the reason"),
                     cl::init(false), cl::sub(Sub), cl::cat(Cat)),
      DisabledFilters(
          "disable-filter", cl::CommaSeparated, cl::value_desc("filter,..."),
          cl::desc("Report cycles even when this filter rules them out: "
                   "single-thread, gate-lock, trylock, read-read"),
          cl::sub(Sub), cl::cat(Cat)),
      SourceRoot("source-root", cl::value_desc("dir"),
                 cl::desc("SARIF: make file URIs under <dir> relative to "
                          "%SRCROOT% (default: the current directory)"),
                 cl::sub(Sub), cl::cat(Cat)) {}

void OutputOptions::applyFilters(FilterOptions &Filters) const {
  for (const std::string &Name : DisabledFilters) {
    if (Name == "single-thread")
      Filters.SingleThread = false;
    else if (Name == "gate-lock")
      Filters.GateLock = false;
    else if (Name == "trylock")
      Filters.TryLock = false;
    else if (Name == "read-read")
      Filters.ReadRead = false;
    else
      printWarning("unknown filter '" + Name +
                   "' in --disable-filter (known: single-thread, gate-lock, "
                   "trylock, read-read)");
  }
}

int OutputOptions::emit(const std::vector<Finding> &Findings,
                        const LockGraph *Graph) const {
  ReportOptions Opts;
  Opts.ShowSuppressed = ShowSuppressed;
  // originalUriBaseIds must hold an absolute URI: make the root absolute.
  SmallString<256> Root(SourceRoot.getValue());
  if (!sys::fs::make_absolute(Root)) {
    sys::path::remove_dots(Root, /*remove_dot_dot=*/true);
    Opts.SourceRoot = std::string(Root);
  }

  std::string Text;
  switch (Format) {
  case OutputFormat::Text:
    Text = renderText(Findings, Opts);
    break;
  case OutputFormat::Sarif:
    Text = renderSarif(Findings, Opts);
    break;
  case OutputFormat::Json:
    Text = renderJson(Findings, Opts);
    break;
  case OutputFormat::Dot:
    Text = renderDot(Graph ? *Graph : LockGraph(), Findings);
    break;
  case OutputFormat::Html:
    Text = renderHtml(Graph ? *Graph : LockGraph(), Findings, Opts);
    break;
  }

  if (OutputFile.empty() || OutputFile == "-") {
    outs() << Text;
    outs().flush();
  } else {
    std::error_code EC;
    raw_fd_ostream Out(OutputFile, EC, sys::fs::OF_TextWithCRLF);
    if (EC) {
      printError("cannot write '" + OutputFile + "': " + EC.message());
      return ExitUsageError;
    }
    Out << Text;
  }

  size_t Reported = 0, Suppressed = 0;
  for (const Finding &F : Findings)
    (F.SuppressedBy.empty() ? Reported : Suppressed) += 1;
  if (Reported || Suppressed) {
    errs() << Reported << (Reported == 1 ? " finding" : " findings");
    if (Suppressed)
      errs() << " (" << Suppressed << " more ruled out by filters"
             << (ShowSuppressed ? "" : "; --show-suppressed lists them") << ")";
    errs() << ".\n";
  }
  return Reported ? ExitFindings : ExitClean;
}

} // namespace lockgraph::tool
