//===- CheckCommand.cpp - lockgraph check (issue 5) -----------------------===//
#include "Commands.h"

#include "llvm/Support/CommandLine.h"

using namespace llvm;

static cl::SubCommand CheckCmd("check", "Analyze C/C++ sources through a "
                                        "compile_commands.json");

bool lockgraph::tool::checkCommandSelected() { return bool(CheckCmd); }

int lockgraph::tool::runCheckCommand() {
  printError("'lockgraph check' is not implemented yet");
  return ExitUsageError;
}
