//===- SymbolizerService.h - One symbolizer for all processes of a run ----===//
//
// `lockgraph run` serves llvm-symbolizer's query protocol on a Unix socket
// (the runtime's symbolizer_socket option): every process of the command
// asks it at exit instead of starting an llvm-symbolizer of its own, which
// costs 100-200 ms per process (a test suite starts hundreds) and loads the
// same debug information again each time. One LLVMSymbolizer keeps the
// modules it has read.
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_TOOL_SYMBOLIZERSERVICE_H
#define LOCKGRAPH_TOOL_SYMBOLIZERSERVICE_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

#include <memory>
#include <string>

namespace llvm::symbolize {
class LLVMSymbolizer;
}

namespace lockgraph::tool {

/// Answers llvm-symbolizer's input lines (`CODE "module" 0xoffset`, `DATA
/// "module" 0xoffset`) as `llvm-symbolizer --inlines --demangle` prints them:
/// per query, its frames or its global, then an empty line.
std::string answerSymbolizerQueries(llvm::StringRef Queries,
                                    llvm::symbolize::LLVMSymbolizer &Symbolizer);

class SymbolizerService {
public:
  SymbolizerService();
  ~SymbolizerService();
  /// Listens on \p SocketPath (which must not exist) and answers each
  /// connection in a thread of its own, one connection at a time.
  llvm::Error start(llvm::StringRef SocketPath);
  /// Stops listening and removes the socket.
  void stop();

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

} // namespace lockgraph::tool

#endif // LOCKGRAPH_TOOL_SYMBOLIZERSERVICE_H
