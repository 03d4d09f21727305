//===- Commands.h - The lockgraph subcommands -------------------*- C++ -*-===//
//
// Each subcommand lives in its own file, owns its llvm::cl::SubCommand and
// options, and exposes two functions: whether it was selected on the command
// line, and its entry point returning the process exit code.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOLS_COMMANDS_H
#define LOCKGRAPH_TOOLS_COMMANDS_H

#include "lockgraph/core/Result.h"
#include "llvm/Support/Error.h"

namespace lockgraph::tool {

/// Exit codes shared by every subcommand (documented in docs/exit-codes.md).
enum ExitCode : int {
  ExitClean = 0,      ///< ran, nothing to report
  ExitFindings = 1,   ///< ran, reported at least one finding
  ExitUsageError = 2, ///< bad option, unreadable or malformed input
  /// lockgraph run: no findings, but the command it ran failed.
  ExitCommandFailed = 3,
};

bool reportCommandSelected();
int runReportCommand();

bool runCommandSelected();
int runRunCommand();

#if LOCKGRAPH_HAVE_ANALYZER
bool checkCommandSelected();
int runCheckCommand();
#endif

/// Prints "lockgraph: error: MESSAGE" on stderr (colored on a terminal).
void printError(const llvm::Twine &Message);
void printWarning(const llvm::Twine &Message);

/// Converts a core Error for use with llvm::Error-based code.
inline llvm::Error toLLVMError(const lockgraph::Error &E) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), E.Message);
}

} // namespace lockgraph::tool

#endif // LOCKGRAPH_TOOLS_COMMANDS_H
