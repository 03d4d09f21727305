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

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace llvm::symbolize {
class LLVMSymbolizer;
}

namespace lockgraph::tool {

/// The members of global aggregates, by offset, from a module's debug
/// information (read once per module).
class GlobalMembers {
public:
  GlobalMembers();
  ~GlobalMembers();
  struct Member {
    std::string Path;   ///< ".flusher_mutex_", ".locks[3]"
    uint64_t Offset = 0; ///< of the member in the global
    uint64_t Size = 0;
  };
  /// The member of the global named \p Name (declared at line \p DeclLine)
  /// of \p Module that a lock at \p Offset into it is: the outermost one
  /// that starts there and is a lock type or a struct wrapping one; none
  /// when the global itself is the lock.
  std::optional<Member> memberAt(const std::string &Module, llvm::StringRef Name,
                                 uint32_t DeclLine, uint64_t Offset);

  /// For the data symbol \p Name of a C function's static (clang's
  /// `mutex_alloc.staticMutexes`, gcc's `staticMutexes.0`), declared at
  /// \p DeclLine: `mutex_alloc::staticMutexes`. None for anything else.
  std::optional<std::string> functionStaticName(const std::string &Module, llvm::StringRef Name,
                                                uint32_t DeclLine);

  /// The member a lock acquired at a source site is, by the type that
  /// declares it ("leveldb::DBImpl::mutex_", as `lockgraph check` names it):
  /// the lock expression written at \p File:\p Line:\p Column
  /// (lockExpressionAt), its base variable or `this` looked up in the scope
  /// of that frame of the code at \p Address in \p Module, and its members
  /// in the variable's type. None when any step fails, or when the lock is
  /// a variable of its own (a local, a parameter, a global).
  std::optional<std::string> memberAtSite(const std::string &Module, uint64_t Address,
                                          const std::string &File, uint32_t Line,
                                          uint32_t Column);

private:
  struct Impl;
  std::unique_ptr<Impl> P;
};

/// The lock a call or guard declaration written in \p Text (one source
/// line) at \p Column acquires, as the chain of names it is reached by:
/// `pthread_mutex_lock(&s->inner.mu)` -> {s, inner, mu};
/// `std::lock_guard<std::mutex> g(mu_)` -> {mu_}; `impl->mutex_.Lock()` ->
/// {impl, mutex_}; `this->mu` -> {this, mu}; `writers_.front()->cv.Signal()`
/// -> {writers_, front(), cv} (a method called with no arguments). None for
/// anything else (an index, a call with arguments, a cast, several locks at
/// once).
std::optional<std::vector<std::string>> lockExpressionAt(llvm::StringRef Text,
                                                         unsigned Column);

/// Answers llvm-symbolizer's input lines (`CODE "module" 0xoffset`, `DATA
/// "module" 0xoffset`) as `llvm-symbolizer --inlines --demangle` prints them:
/// per query, its frames or its global, then an empty line. With
/// \p Members, an address inside a global aggregate answers as its member
/// (`g_state.lock`, starting at the member) instead of the whole global,
/// and `LOCK "module" 0xoffset LINE COLUMN FILE` (lockgraph's own query)
/// answers the name memberAtSite gives, or `??`, on one line.
std::string answerSymbolizerQueries(llvm::StringRef Queries,
                                    llvm::symbolize::LLVMSymbolizer &Symbolizer,
                                    GlobalMembers *Members = nullptr);

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
