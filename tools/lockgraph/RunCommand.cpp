//===- RunCommand.cpp - lockgraph run (issue 4) ---------------------------===//
#include "Commands.h"

#include "llvm/Support/CommandLine.h"

using namespace llvm;

static cl::SubCommand RunCmd("run", "Run a command under the lockgraph preload "
                                    "runtime and report what it saw");

bool lockgraph::tool::runCommandSelected() { return bool(RunCmd); }

int lockgraph::tool::runRunCommand() {
  printError("'lockgraph run' is not implemented yet");
  return ExitUsageError;
}
