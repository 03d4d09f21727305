//===- lg_symbolize.h - PCs and data addresses to names ---------*- C++ -*-===//
//
// Batch symbolization for reports (never on the hot path): queries are
// collected, then answered by one llvm-symbolizer process when one is
// available (LOCKGRAPH_OPTIONS=symbolizer=..., else
// /usr/lib/llvm-19/bin/llvm-symbolizer), or by the one that symbolizer_socket
// serves (`lockgraph run`: one for all its processes), else by dladdr
// (function names and module offsets only).
//
//===----------------------------------------------------------------------===//
#ifndef LOCKGRAPH_RT_SYMBOLIZE_H
#define LOCKGRAPH_RT_SYMBOLIZE_H

#include "lockgraph/core/LockGraph.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lockgraph::rt {

struct DataSymbol {
  std::string Name; ///< demangled; empty when unknown
  uint64_t Offset = 0; ///< of the address inside the symbol
  Frame Decl;       ///< where it is declared, when known
};

class Symbolizer {
public:
  /// A return address (the call instruction before it is looked up).
  void addCode(uintptr_t PC);
  void addData(uintptr_t Addr);
  /// Answers every query added so far.
  void run();
  /// Frames for \p PC, innermost (inlined) first; at least one frame.
  const std::vector<Frame> &code(uintptr_t PC);
  /// The global variable containing \p Addr, if any.
  const DataSymbol *data(uintptr_t Addr);
  /// For each of \p Sites (symbolized frames where a lock was acquired), the
  /// member of a type that the lock written there is ("leveldb::DBImpl::
  /// mutex_"), as the symbolizer `lockgraph run` serves reads it from the
  /// source and the debug information; empty where it cannot tell, and for
  /// every site without that symbolizer.
  std::vector<std::string> lockMembers(const std::vector<const Frame *> &Sites);

private:
  struct Module {
    std::string Path;
    uintptr_t Bias = 0;
    std::vector<std::pair<uintptr_t, uintptr_t>> Ranges;
  };
  struct Query {
    bool IsCode;
    uintptr_t Addr;
    const Module *M;
  };
  void loadModules();
  const Module *moduleFor(uintptr_t Addr) const;
  bool runExternal();
  /// Fills Code and Data from llvm-symbolizer's answer to \p Queries.
  bool parseSymbolizerOutput(const std::vector<Query> &Queries,
                             const std::string &Output);
  void runDladdr();

  std::vector<Module> Modules;
  bool ModulesLoaded = false;
  std::map<uintptr_t, std::vector<Frame>> Code;
  std::map<uintptr_t, DataSymbol> Data;
  std::vector<uintptr_t> PendingCode, PendingData;
};

/// The last path component of \p Path.
std::string baseName(const std::string &Path);

/// A module about to be dlclose'd: its path, load bias and PT_LOAD ranges.
struct ClosingModule {
  char Path[512];
  uintptr_t Bias;
  unsigned NumRanges;
  uintptr_t Lo[8], Hi[8];
  /// The lock instances created before it was closed are 1 .. this.
  uint32_t InstancesBefore;
};

/// Describes in \p M the module behind \p Handle, about to be dlclose'd,
/// and remembers where it is loaded: stacks captured in it while it was
/// loaded still symbolize in the exit report (a plugin's initializer
/// writing under its loader's lock, in a library unloaded before exit:
/// Poco's ClassLoader). False when the handle names no module with a path.
/// Allocation-free; keeps errno.
bool rememberClosingModule(void *Handle, ClosingModule &M);

/// After a dlclose of \p M succeeded: when that closed its last reference
/// (no module is loaded at its bias under its path any more), the locks
/// that lived in its memory are retired, as free() retires those of a freed
/// block. Another library loaded there next has its own locks at the same
/// addresses, which must not be the unloaded one's instances. Allocation-
/// free; keeps errno.
void retireLocksOfUnloaded(const ClosingModule &M);

/// Whether the lock instance \p Instance at \p Addr was created after a
/// module that was loaded at that address was dlclose'd, and no module is
/// loaded there now: memory mapped later where the module was (APR's
/// process mutex in an mmap of /dev/zero after testdso unloaded its
/// module), which the module's symbols do not name.
bool bornAfterClosedModule(uintptr_t Addr, uint32_t Instance);

} // namespace lockgraph::rt

#endif // LOCKGRAPH_RT_SYMBOLIZE_H
