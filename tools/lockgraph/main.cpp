//===- main.cpp - The lockgraph command -----------------------------------===//
//
// lockgraph check  -p BUILD_DIR [FILES...]   static analysis (Clang)
// lockgraph run    [options] -- COMMAND...   run under the preload runtime
// lockgraph report [options] GRAPH...        cycles and findings from graphs
//
//===----------------------------------------------------------------------===//
#include "Commands.h"

#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/WithColor.h"
#include "llvm/Support/raw_ostream.h"

using namespace llvm;

namespace lockgraph::tool {
void printError(const Twine &Message) {
  WithColor::error(errs(), "lockgraph") << Message << "\n";
}
void printWarning(const Twine &Message) {
  WithColor::warning(errs(), "lockgraph") << Message << "\n";
}
} // namespace lockgraph::tool

static void printVersion(raw_ostream &OS) {
  OS << "lockgraph 0.1.0 (LLVM " << LLVM_VERSION_STRING << ")\n";
}

int main(int argc, char **argv) {
  InitLLVM X(argc, argv);
  cl::SetVersionPrinter(printVersion);
  cl::HideUnrelatedOptions(ArrayRef<const cl::OptionCategory *>{});
  const char *Overview =
      "lockgraph: finds lock-order cycles (potential deadlocks), locks held "
      "across blocking calls and lock misuse in C and C++ programs, from "
      "source (check) and at run time (run), and reports them from lock-graph "
      "files (report).\n\n"
      "  lockgraph check -p BUILD_DIR [FILES...]\n"
      "  lockgraph run [OPTIONS] -- COMMAND [ARGS...]\n"
      "  lockgraph report [--format=text|sarif|json|dot] [-o FILE] GRAPH...\n\n"
      "Run 'lockgraph SUBCOMMAND --help' for a subcommand's options.\n"
      "Exit status: 0 no findings, 1 findings reported, 2 usage or input "
      "error.\n";
  std::string ParseErrors;
  raw_string_ostream ErrStream(ParseErrors);
  if (!cl::ParseCommandLineOptions(argc, argv, Overview, &ErrStream)) {
    ErrStream.flush();
    errs() << ParseErrors;
    return lockgraph::tool::ExitUsageError;
  }
  using namespace lockgraph::tool;
  if (reportCommandSelected())
    return runReportCommand();
  if (runCommandSelected())
    return runRunCommand();
#if LOCKGRAPH_HAVE_ANALYZER
  if (checkCommandSelected())
    return runCheckCommand();
#endif
  printError("no subcommand given; expected 'check', 'run' or 'report' "
             "(see 'lockgraph --help')");
  return ExitUsageError;
}
